//! What the client sends of a document: the one operation asked for and the fragments
//! it spreads, nothing else.
//!
//! A document holds a whole entity family (several operations and their shared
//! fragments). Chorus charges only the named operation, but a request should carry
//! what it runs: sent whole, every small mutation would ship (and have the server parse)
//! the family's queries too, and other GraphQL servers validate and price every
//! operation of a document. So [`operation_source`] cuts the document down first.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

/// One top-level definition of a document: its keyword, name and source text.
struct Definition<'a> {
    keyword: &'a str,
    name: &'a str,
    text: &'a str,
}

/// Splits a document into its top-level definitions (comments and strings skipped
/// while counting braces; the documents are ours and well-formed).
fn definitions(document: &str) -> Vec<Definition<'_>> {
    let bytes = document.as_bytes();
    let mut definitions = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, None, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(from) = start.take() {
                        definitions.push(definition(&document[from..=i]));
                    }
                }
            }
            c if depth == 0 && start.is_none() && !c.is_ascii_whitespace() && c != b',' => {
                start = Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    definitions
}

fn definition(text: &str) -> Definition<'_> {
    let mut words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty());
    let keyword = words.next().unwrap_or_default();
    let name = words.next().unwrap_or_default();
    Definition {
        keyword,
        name,
        text,
    }
}

/// The fragment names `text` spreads (`...Name`, not `... on Type`).
fn spreads(text: &str) -> impl Iterator<Item = &str> {
    text.split("...").skip(1).filter_map(|rest| {
        let name = rest
            .trim_start()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default();
        (!name.is_empty() && name != "on").then_some(name)
    })
}

/// The operation `operation_name` of `document` followed by every fragment it uses,
/// directly or through other fragments.
fn cut(document: &str, operation_name: &str) -> String {
    let definitions = definitions(document);
    let fragments: HashMap<&str, &str> = definitions
        .iter()
        .filter(|d| d.keyword == "fragment")
        .map(|d| (d.name, d.text))
        .collect();
    let Some(operation) = definitions
        .iter()
        .find(|d| d.keyword != "fragment" && d.name == operation_name)
    else {
        // Not ours to judge: the server will say what is wrong with it.
        return document.to_owned();
    };
    let mut used = BTreeSet::new();
    let mut pending: Vec<&str> = spreads(operation.text).collect();
    while let Some(name) = pending.pop() {
        if let Some(text) = fragments.get(name) {
            if used.insert(name) {
                pending.extend(spreads(text));
            }
        }
    }
    let mut source = operation.text.to_owned();
    for definition in definitions
        .iter()
        .filter(|d| d.keyword == "fragment" && used.contains(d.name))
    {
        source.push_str("\n\n");
        source.push_str(definition.text);
    }
    source
}

/// The source to send for `operation_name` of `document` (a generated `QUERY`),
/// computed once per operation.
pub fn operation_source(document: &'static str, operation_name: &'static str) -> &'static str {
    static CUT: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let cache = CUT.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(cache) => cache,
        Err(poisoned) => poisoned.into_inner(),
    };
    // One leaked string per operation of the client: a fixed, small set.
    cache
        .entry(operation_name)
        .or_insert_with(|| Box::leak(cut(document, operation_name).into_boxed_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_operation_and_the_fragments_it_uses() {
        let document = r#"
# A comment with { a brace
query A($x: Int = 1) { a(x: $x) { ...F } }
mutation B { b { ...G ... on T { id } } }
fragment F on X { id ...H name(arg: "}") }
fragment G on Y { id }
fragment H on X { other }
"#;
        assert_eq!(
            cut(document, "A"),
            "query A($x: Int = 1) { a(x: $x) { ...F } }\n\n\
             fragment F on X { id ...H name(arg: \"}\") }\n\n\
             fragment H on X { other }"
        );
        assert_eq!(
            cut(document, "B"),
            "mutation B { b { ...G ... on T { id } } }\n\nfragment G on Y { id }"
        );
        assert_eq!(cut(document, "Missing"), document);
    }

    #[test]
    fn a_generated_operation_is_sent_alone() {
        use crate::GraphQLQuery;
        let body = crate::AddPerson::build_query(crate::add_person::Variables {
            input: crate::add_person::AddPersonInput {
                display_name: "x".into(),
                email: "x@example.com".into(),
                affiliation: crate::add_person::Affiliation::INTERNAL,
                external_id: None,
                idempotency_key: None,
            },
        });
        let source = operation_source(body.query, body.operation_name);
        let operations = definitions(source)
            .iter()
            .filter(|d| d.keyword != "fragment")
            .count();
        assert_eq!(operations, 1, "{source}");
        assert!(source.contains("fragment PersonFields") && source.contains("fragment RoleFields"));
        assert!(!source.contains("query People"));
    }
}
