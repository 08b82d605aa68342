//! SCIM list filters (RFC 7644 §3.4.2.2), the part identity providers send: `eq` on
//! the attributes a resource allows, joined by `and`. Anything else (`or`, `ne`, `co`,
//! `pr`, parentheses, another attribute) is refused with `invalidFilter`.

use super::error::{ScimError, ScimResult};

/// The attribute values a filter asks for, by the resource's canonical attribute name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub terms: Vec<(&'static str, String)>,
    /// Two different values asked for one attribute: nothing matches.
    pub contradictory: bool,
}

impl Filter {
    /// The value asked for `attribute`, if any.
    pub fn value(&self, attribute: &str) -> Option<String> {
        self.terms
            .iter()
            .find(|(name, _)| *name == attribute)
            .map(|(_, value)| value.clone())
    }
}

/// Parses `raw` (absent: no filter), accepting only `allowed` attributes (matched
/// case-insensitively, with or without the core schema URN before them).
pub fn parse(raw: Option<&str>, allowed: &[&'static str]) -> ScimResult<Filter> {
    let mut filter = Filter::default();
    let Some(raw) = raw.map(str::trim).filter(|raw| !raw.is_empty()) else {
        return Ok(filter);
    };
    let mut rest = raw;
    loop {
        let (attribute, after) = word(rest)?;
        let canonical = allowed
            .iter()
            .copied()
            .find(|name| name.eq_ignore_ascii_case(strip_urn(attribute)))
            .ok_or_else(|| {
                ScimError::invalid_filter(format!(
                    "filtering on {attribute} is not supported (only {} with eq and and)",
                    allowed.join(", ")
                ))
            })?;
        let (operator, after) = word(after)?;
        if !operator.eq_ignore_ascii_case("eq") {
            return Err(ScimError::invalid_filter(format!(
                "the operator {operator} is not supported (only eq, joined by and)"
            )));
        }
        let (value, after) = string(after)?;
        match filter.terms.iter().find(|(name, _)| *name == canonical) {
            Some((_, existing)) if *existing != value => filter.contradictory = true,
            Some(_) => {}
            None => filter.terms.push((canonical, value)),
        }
        let after = after.trim_start();
        if after.is_empty() {
            return Ok(filter);
        }
        let (joiner, after) = word(after)?;
        if !joiner.eq_ignore_ascii_case("and") {
            return Err(ScimError::invalid_filter(format!(
                "{joiner} is not supported (only eq, joined by and)"
            )));
        }
        rest = after;
    }
}

/// `urn:ietf:params:scim:schemas:core:2.0:User:userName` → `userName`.
fn strip_urn(attribute: &str) -> &str {
    if attribute.to_ascii_lowercase().starts_with("urn:") {
        attribute.rsplit(':').next().unwrap_or(attribute)
    } else {
        attribute
    }
}

/// The next space-delimited word and what follows it.
fn word(text: &str) -> ScimResult<(&str, &str)> {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let (word, rest) = text.split_at(end);
    if word.is_empty() || word.contains(['(', ')', '[', ']', '"']) {
        return Err(ScimError::invalid_filter(
            "the filter must be: attribute eq \"value\" [and …]",
        ));
    }
    Ok((word, rest))
}

/// A JSON string literal at the start of `text`, decoded, and what follows it.
fn string(text: &str) -> ScimResult<(String, &str)> {
    let text = text.trim_start();
    let invalid = || ScimError::invalid_filter("a value must be a quoted string");
    if !text.starts_with('"') {
        return Err(invalid());
    }
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                let literal = &text[..=at];
                let value: String = serde_json::from_str(literal).map_err(|_| invalid())?;
                return Ok((value, &text[at + 1..]));
            }
            _ => escaped = false,
        }
    }
    Err(invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &[&str] = &["userName", "externalId", "displayName"];

    #[test]
    fn eq_and_and_on_allowed_attributes() {
        let filter = parse(Some(r#"userName eq "ada@x.example""#), USER).unwrap_or_default();
        assert_eq!(filter.value("userName").as_deref(), Some("ada@x.example"));
        let filter = parse(
            Some(r#"USERNAME Eq "a \"b\"" and externalId eq "00u1""#),
            USER,
        )
        .unwrap_or_default();
        assert_eq!(filter.value("userName").as_deref(), Some("a \"b\""));
        assert_eq!(filter.value("externalId").as_deref(), Some("00u1"));
        let filter = parse(
            Some(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#),
            USER,
        )
        .unwrap_or_default();
        assert_eq!(filter.value("userName").as_deref(), Some("x"));
        let filter =
            parse(Some(r#"userName eq "a" and userName eq "b""#), USER).unwrap_or_default();
        assert!(filter.contradictory);
    }

    #[test]
    fn everything_else_is_an_invalid_filter() {
        for raw in [
            r#"userName ne "a""#,
            r#"userName co "a""#,
            r#"userName eq "a" or userName eq "b""#,
            r#"(userName eq "a")"#,
            r#"title eq "a""#,
            "userName pr",
            "userName eq a",
            r#"userName eq "a"#,
            r#"emails[type eq "work"].value eq "a""#,
        ] {
            let refused = parse(Some(raw), USER).err();
            assert_eq!(
                refused.and_then(|e| e.scim_type),
                Some("invalidFilter"),
                "{raw}"
            );
        }
    }
}
