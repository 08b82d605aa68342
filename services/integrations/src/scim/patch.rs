//! SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON as served: the use cases
//! then take the patched resource as they take a PUT, so a PATCH and a PUT reach the same
//! state by the same checks. Besides the RFC's forms it takes what Microsoft Entra ID
//! sends: capitalised operations (`Replace`), booleans as the strings `"True"` /
//! `"False"`, a path-less replace whose keys are paths (`name.givenName`, the enterprise
//! URN followed by `:manager`), and `manager` as a bare id.

use serde_json::{Map, Value};

use super::error::{ScimError, ScimResult};
use super::get_ci;

/// One operation's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Where an operation applies: an attribute (of the core schema or of an extension
/// named by its URN), a sub-attribute, and for a multi-valued attribute a `[x eq "v"]`
/// selection of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Path {
    extension: Option<String>,
    attribute: String,
    selection: Option<(String, String)>,
    sub: Option<String>,
}

/// Applies the `Operations` of `body` to `doc`, in order. `extensions` are the schema
/// URNs whose attributes live in an object of their own.
pub fn apply(doc: &mut Value, body: &Value, extensions: &[&str]) -> ScimResult<()> {
    let operations = get_ci(body, "Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::invalid_syntax("a PATCH needs an Operations array"))?;
    for operation in operations {
        let op = match get_ci(operation, "op").and_then(Value::as_str) {
            Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
            Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
            Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
            _ => {
                return Err(ScimError::invalid_syntax(
                    "each operation's op must be add, replace or remove",
                ))
            }
        };
        let value = get_ci(operation, "value").cloned();
        let path = get_ci(operation, "path").and_then(Value::as_str);
        match (op, path, value) {
            (Op::Remove, None, _) => {
                return Err(ScimError::no_target("a remove operation needs a path"))
            }
            (Op::Remove, Some(path), value) => {
                remove(doc, &parse_path(path, extensions)?, value.as_ref())?;
            }
            (_, _, None) => {
                return Err(ScimError::invalid_syntax(
                    "an add or replace operation needs a value",
                ))
            }
            (op, Some(path), Some(value)) => set(doc, &parse_path(path, extensions)?, op, value)?,
            (op, None, Some(Value::Object(values))) => {
                for (key, value) in values {
                    set(doc, &parse_path(&key, extensions)?, op, value)?;
                }
            }
            (_, None, Some(_)) => {
                return Err(ScimError::invalid_syntax(
                    "an operation without a path needs an object as its value",
                ))
            }
        }
    }
    Ok(())
}

fn parse_path(raw: &str, extensions: &[&str]) -> ScimResult<Path> {
    let raw = raw.trim();
    let invalid = || ScimError::invalid_path(format!("{raw} is not a supported path"));
    if let Some(urn) = extensions.iter().find(|urn| raw.eq_ignore_ascii_case(urn)) {
        // The whole extension: its attributes are merged.
        return Ok(Path {
            extension: None,
            attribute: (*urn).to_owned(),
            selection: None,
            sub: None,
        });
    }
    let (extension, rest) = match extensions
        .iter()
        .find(|urn| raw.len() > urn.len() && raw[..urn.len()].eq_ignore_ascii_case(urn))
    {
        Some(urn) if raw[urn.len()..].starts_with(':') => {
            (Some((*urn).to_owned()), &raw[urn.len() + 1..])
        }
        Some(_) => return Err(invalid()),
        None if raw.to_ascii_lowercase().starts_with("urn:") => {
            // The core schema's URN before a core attribute.
            let core = raw
                .rfind(':')
                .map(|at| &raw[at + 1..])
                .ok_or_else(invalid)?;
            (None, core)
        }
        None => (None, raw),
    };
    let (head, selection, tail) = match (rest.find('['), rest.find(']')) {
        (Some(open), Some(close)) if close > open => {
            let inner = &rest[open + 1..close];
            let mut words = inner.splitn(3, ' ');
            let (Some(attr), Some(op), Some(value)) = (words.next(), words.next(), words.next())
            else {
                return Err(invalid());
            };
            if !op.eq_ignore_ascii_case("eq") {
                return Err(invalid());
            }
            let value: String = serde_json::from_str(value.trim()).map_err(|_| invalid())?;
            (
                &rest[..open],
                Some((attr.to_owned(), value)),
                &rest[close + 1..],
            )
        }
        (None, None) => (rest, None, ""),
        _ => return Err(invalid()),
    };
    let (attribute, sub) = match (head.split_once('.'), tail.strip_prefix('.')) {
        (Some((attribute, sub)), _) if selection.is_none() => (attribute, Some(sub)),
        (None, Some(sub)) => (head, Some(sub)),
        (None, None) if tail.is_empty() => (head, None),
        _ => return Err(invalid()),
    };
    if attribute.is_empty() || sub.is_some_and(str::is_empty) {
        return Err(invalid());
    }
    Ok(Path {
        extension,
        attribute: attribute.to_owned(),
        selection,
        sub: sub.map(str::to_owned),
    })
}

/// The object that holds `path`'s attribute (the resource, or its extension's object,
/// created when missing).
fn holder<'a>(doc: &'a mut Value, path: &Path) -> ScimResult<&'a mut Map<String, Value>> {
    let root = doc
        .as_object_mut()
        .ok_or_else(|| ScimError::invalid_syntax("the resource is not an object"))?;
    let Some(urn) = &path.extension else {
        return Ok(root);
    };
    let key = key_ci(root, urn);
    let slot = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
        .ok_or_else(|| ScimError::invalid_syntax("the extension is not an object"))
}

/// The key of `map` equal to `name` ignoring case, or `name`.
fn key_ci(map: &Map<String, Value>, name: &str) -> String {
    map.keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

fn matches(item: &Value, (attr, value): &(String, String)) -> bool {
    get_ci(item, attr).and_then(Value::as_str) == Some(value.as_str())
}

fn set(doc: &mut Value, path: &Path, op: Op, value: Value) -> ScimResult<()> {
    let holder = holder(doc, path)?;
    let key = key_ci(holder, &path.attribute);
    match (&path.selection, &path.sub) {
        (None, None) => {
            let slot = holder.entry(key).or_insert(Value::Null);
            let is_object = slot.is_object();
            match (op, slot.as_array_mut(), value) {
                // Adding to a multi-valued attribute adds the values not there yet.
                (Op::Add, Some(existing), value) => {
                    let new = match value {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    for item in new {
                        let value_of = get_ci(&item, "value").cloned();
                        let present = existing.iter().any(|e| match &value_of {
                            Some(v) => get_ci(e, "value") == Some(v),
                            None => *e == item,
                        });
                        if !present {
                            existing.push(item);
                        }
                    }
                }
                (_, _, Value::Object(values)) if is_object => {
                    for (sub, value) in values {
                        if let Some(object) = slot.as_object_mut() {
                            let sub_key = key_ci(object, &sub);
                            object.insert(sub_key, value);
                        }
                    }
                }
                (_, _, value) => *slot = value,
            }
        }
        (None, Some(sub)) => {
            let slot = holder
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Some(object) = slot.as_object_mut() {
                let sub_key = key_ci(object, sub);
                object.insert(sub_key, value);
            }
        }
        (Some(selection), sub) => {
            let slot = holder
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()));
            let items = slot.as_array_mut().ok_or_else(|| {
                ScimError::invalid_path("the path selects values of a single-valued attribute")
            })?;
            let mut found = false;
            for item in items.iter_mut().filter(|item| matches(item, selection)) {
                found = true;
                match (sub, item.as_object_mut()) {
                    (Some(sub), Some(object)) => {
                        let sub_key = key_ci(object, sub);
                        object.insert(sub_key, value.clone());
                    }
                    _ => *item = value.clone(),
                }
            }
            if !found {
                if op == Op::Replace && sub.is_none() {
                    return Err(ScimError::no_target("the path selects no value"));
                }
                let mut item = Map::new();
                item.insert(selection.0.clone(), Value::String(selection.1.clone()));
                match sub {
                    Some(sub) => {
                        item.insert(sub.clone(), value);
                    }
                    None => {
                        if let Value::Object(values) = value {
                            item.extend(values);
                        }
                    }
                }
                items.push(Value::Object(item));
            }
        }
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &Path, value: Option<&Value>) -> ScimResult<()> {
    let holder = holder(doc, path)?;
    let key = key_ci(holder, &path.attribute);
    match (&path.selection, &path.sub) {
        (None, None) => match (holder.get_mut(&key).and_then(Value::as_array_mut), value) {
            // Entra: `remove` `members` with the values to remove.
            (Some(items), Some(Value::Array(removed))) => {
                items.retain(|item| {
                    !removed.iter().any(|r| {
                        get_ci(r, "value").is_some() && get_ci(r, "value") == get_ci(item, "value")
                    })
                });
            }
            _ => {
                holder.remove(&key);
            }
        },
        (None, Some(sub)) => {
            if let Some(object) = holder.get_mut(&key).and_then(Value::as_object_mut) {
                let sub_key = key_ci(object, sub);
                object.remove(&sub_key);
            }
        }
        (Some(selection), sub) => {
            if let Some(items) = holder.get_mut(&key).and_then(Value::as_array_mut) {
                match sub {
                    None => items.retain(|item| !matches(item, selection)),
                    Some(sub) => {
                        for item in items.iter_mut().filter(|item| matches(item, selection)) {
                            if let Some(object) = item.as_object_mut() {
                                let sub_key = key_ci(object, sub);
                                object.remove(&sub_key);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn patched(doc: Value, operations: Value) -> Value {
        let mut doc = doc;
        apply(&mut doc, &json!({ "Operations": operations }), &[EXT])
            .unwrap_or_else(|e| panic!("{e:?}"));
        doc
    }

    fn user() -> Value {
        json!({
            "userName": "a@x.example",
            "name": { "givenName": "A", "familyName": "B" },
            "emails": [{ "value": "a@x.example", "type": "work", "primary": true }],
            "active": true,
            EXT: { "department": "Sales" },
            "members": [{ "value": "1" }, { "value": "2" }]
        })
    }

    #[test]
    fn paths_with_sub_attributes_selections_and_the_extension_urn() {
        let doc = patched(
            user(),
            json!([
                { "op": "Replace", "path": "name.familyName", "value": "C" },
                { "op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@x.example" },
                { "op": "Add", "path": format!("{EXT}:manager"), "value": "m-1" },
                { "op": "remove", "path": format!("{EXT}:department") },
                { "op": "replace", "path": "ACTIVE", "value": "False" }
            ]),
        );
        assert_eq!(doc["name"], json!({ "givenName": "A", "familyName": "C" }));
        assert_eq!(doc["emails"][0]["value"], "b@x.example");
        assert_eq!(doc[EXT], json!({ "manager": "m-1" }));
        assert_eq!(doc["active"], "False");
    }

    #[test]
    fn a_path_less_replace_takes_paths_as_keys() {
        let doc = patched(
            user(),
            json!([{ "op": "replace", "value": {
                "name.givenName": "Z",
                format!("{EXT}:employeeNumber"): "7",
                EXT: { "department": "Legal" },
                "active": false
            } }]),
        );
        assert_eq!(doc["name"]["givenName"], "Z");
        assert_eq!(doc["name"]["familyName"], "B");
        assert_eq!(
            doc[EXT],
            json!({ "department": "Legal", "employeeNumber": "7" })
        );
        assert_eq!(doc["active"], false);
    }

    #[test]
    fn members_are_added_once_and_removed_by_selection_or_by_value() {
        let doc = patched(
            user(),
            json!([
                { "op": "add", "path": "members", "value": [{ "value": "2" }, { "value": "3" }] },
                { "op": "remove", "path": "members[value eq \"1\"]" },
                { "op": "Remove", "path": "members", "value": [{ "$ref": null, "value": "2" }] }
            ]),
        );
        assert_eq!(doc["members"], json!([{ "value": "3" }]));
        let doc = patched(
            user(),
            json!([{ "op": "replace", "path": "members", "value": [{ "value": "9" }] }]),
        );
        assert_eq!(doc["members"], json!([{ "value": "9" }]));
    }

    #[test]
    fn malformed_operations_are_refused() {
        for (operations, scim_type) in [
            (json!([{ "op": "remove" }]), "noTarget"),
            (
                json!([{ "op": "copy", "path": "a", "value": 1 }]),
                "invalidSyntax",
            ),
            (json!([{ "op": "add", "path": "a" }]), "invalidSyntax"),
            (json!([{ "op": "add", "value": 1 }]), "invalidSyntax"),
            (
                json!([{ "op": "add", "path": "members[value ne \"1\"]", "value": 1 }]),
                "invalidPath",
            ),
            (
                json!([{ "op": "add", "path": "name.", "value": 1 }]),
                "invalidPath",
            ),
        ] {
            let mut doc = user();
            let refused = apply(&mut doc, &json!({ "Operations": operations }), &[EXT]).err();
            assert_eq!(
                refused.and_then(|e| e.scim_type),
                Some(scim_type),
                "{operations}"
            );
        }
        let mut doc = user();
        assert!(
            apply(&mut doc, &json!({}), &[EXT]).is_err(),
            "no Operations"
        );
    }
}
