//! Checks that the typed client keeps up with the schema: every root field of `Query`,
//! `Mutation` and `Subscription` in `schema/schema.graphql` is selected at the root of
//! some document in `clients/rust/graphql/`, and every operation of every document is
//! an entry of [`crate::operations`].
//!
//! The parsing is deliberately small (the SDL is generated, the documents are ours):
//! strings, block strings and comments are dropped, then names and punctuation are
//! read with a depth count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The three root operation kinds, as their SDL type and document keyword.
const ROOTS: [(&str, &str); 3] = [
    ("Query", "query"),
    ("Mutation", "mutation"),
    ("Subscription", "subscription"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Punct(char),
    /// `...`
    Spread,
}

/// Drops comments, strings and block strings (descriptions, default values), then
/// splits the rest into names and punctuation.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' {
            if chars[i..].starts_with(&['"', '"', '"']) {
                i += 3;
                while i < chars.len() && !chars[i..].starts_with(&['"', '"', '"']) {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && chars[i] != '"' && chars[i] != '\n' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
        } else if c == '.' && chars[i..].starts_with(&['.', '.', '.']) {
            tokens.push(Token::Spread);
            i += 3;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else if c.is_whitespace() || c == ',' {
            i += 1;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

fn is_name(token: Option<&Token>, name: &str) -> bool {
    matches!(token, Some(Token::Name(n)) if n == name)
}

fn is_punct(token: Option<&Token>, c: char) -> bool {
    token == Some(&Token::Punct(c))
}

/// From an opening `(`, `[` or `{` at `i`, the index just past its closing match.
fn skip_group(tokens: &[Token], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < tokens.len() {
        match tokens[i] {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// From a definition's keyword at `i` (`fragment`, `query`, …), the index of the `{` that
/// opens its selection set: past its name, type condition, `(variables)` and directives.
fn selection_start(tokens: &[Token], i: usize) -> usize {
    let mut j = i + 1;
    while j < tokens.len() && !is_punct(tokens.get(j), '{') {
        if is_punct(tokens.get(j), '(') {
            j = skip_group(tokens, j);
        } else {
            j += 1;
        }
    }
    j
}

/// The field names declared by `type <root> { … }` in the SDL (`extend type` too).
fn schema_root_fields(sdl: &str, root: &str) -> BTreeSet<String> {
    let tokens = tokenize(sdl);
    let mut fields = BTreeSet::new();
    let mut i = 0;
    while i + 2 < tokens.len() {
        if !(is_name(tokens.get(i), "type") && is_name(tokens.get(i + 1), root)) {
            i += 1;
            continue;
        }
        // Past `implements …` and directives, to the body.
        let mut j = i + 2;
        while j < tokens.len() && !is_punct(tokens.get(j), '{') {
            j += 1;
        }
        j += 1;
        // Each field: name, optional (arguments), `:`, type, optional directives.
        let mut at_field_start = true;
        while j < tokens.len() && !is_punct(tokens.get(j), '}') {
            match &tokens[j] {
                Token::Punct('(') => {
                    j = skip_group(&tokens, j);
                    continue;
                }
                Token::Punct('@') => {
                    // A directive: `@name` and its arguments.
                    j += 2;
                    if is_punct(tokens.get(j), '(') {
                        j = skip_group(&tokens, j);
                    }
                    at_field_start = true;
                    continue;
                }
                Token::Punct(':') => at_field_start = false,
                Token::Name(name) if at_field_start => {
                    fields.insert(name.clone());
                }
                Token::Name(_) => {
                    // The field's type name: the next name starts a field.
                    at_field_start = true;
                }
                _ => {}
            }
            j += 1;
        }
        i = j;
    }
    fields
}

/// The root fields each operation of a document selects, by operation keyword
/// (`query`, `mutation`, `subscription`), following fragment spreads on the root type.
fn document_root_fields(document: &str) -> BTreeMap<String, BTreeSet<String>> {
    let tokens = tokenize(document);
    // Fragment bodies by name, to follow `...Fragment` at the root.
    let mut fragments: BTreeMap<String, usize> = BTreeMap::new();
    let mut operations: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Name(keyword) if keyword == "fragment" => {
                let name = match tokens.get(i + 1) {
                    Some(Token::Name(name)) => name.clone(),
                    _ => String::new(),
                };
                let j = selection_start(&tokens, i);
                fragments.insert(name, j);
                i = skip_group(&tokens, j);
            }
            Token::Name(keyword) if ROOTS.iter().any(|(_, k)| k == keyword) => {
                // Name, (variables) and directives, then the selection set.
                let j = selection_start(&tokens, i);
                operations.push((keyword.clone(), j));
                i = skip_group(&tokens, j);
            }
            // The `{ … }` shorthand is a query.
            Token::Punct('{') => {
                operations.push(("query".to_owned(), i));
                i = skip_group(&tokens, i);
            }
            _ => i += 1,
        }
    }
    let mut roots: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (keyword, start) in operations {
        let fields = roots.entry(keyword).or_default();
        let mut seen = BTreeSet::new();
        selection_fields(&tokens, start, &fragments, &mut seen, fields);
    }
    roots
}

/// The field names of the selection set opening at `start` (aliases resolved, inline
/// fragments and fragment spreads followed), without `__typename`.
fn selection_fields(
    tokens: &[Token],
    start: usize,
    fragments: &BTreeMap<String, usize>,
    seen_fragments: &mut BTreeSet<String>,
    fields: &mut BTreeSet<String>,
) {
    let end = skip_group(tokens, start).saturating_sub(1);
    let mut i = start + 1;
    while i < end {
        match &tokens[i] {
            Token::Spread => {
                i += 1;
                if is_name(tokens.get(i), "on") || !matches!(tokens.get(i), Some(Token::Name(_))) {
                    // Inline fragment: `... on Type @dir { … }`, `... @dir { … }`, `... { … }`.
                    while i < end && !is_punct(tokens.get(i), '{') {
                        i += 1;
                    }
                    selection_fields(tokens, i, fragments, seen_fragments, fields);
                    i = skip_group(tokens, i);
                } else if let Some(Token::Name(name)) = tokens.get(i) {
                    if let Some(&body) = fragments.get(name) {
                        if seen_fragments.insert(name.clone()) {
                            selection_fields(tokens, body, fragments, seen_fragments, fields);
                        }
                    }
                    i += 1;
                }
            }
            Token::Name(first) => {
                let mut name = first.clone();
                i += 1;
                if is_punct(tokens.get(i), ':') {
                    // `alias: field`
                    if let Some(Token::Name(field)) = tokens.get(i + 1) {
                        name = field.clone();
                    }
                    i += 2;
                }
                if name != "__typename" {
                    fields.insert(name);
                }
            }
            Token::Punct('(' | '{') => i = skip_group(tokens, i),
            Token::Punct('@') => i += 2,
            _ => i += 1,
        }
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every `graphql/*.graphql` document, by file name, sorted.
fn documents() -> Vec<(String, String)> {
    let dir = crate_dir().join("graphql");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut documents: Vec<(String, String)> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "graphql"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, read(&path))
        })
        .collect();
    documents.sort();
    documents
}

#[test]
fn every_root_field_has_a_document() {
    let sdl = read(&crate_dir().join("../../schema/schema.graphql"));
    let mut selected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, document) in documents() {
        for (keyword, fields) in document_root_fields(&document) {
            selected.entry(keyword).or_default().extend(fields);
        }
    }
    let mut missing = Vec::new();
    let mut total = 0;
    for (root, keyword) in ROOTS {
        let fields = schema_root_fields(&sdl, root);
        assert!(
            root == "Subscription" || !fields.is_empty(),
            "found no fields in `type {root}` of schema/schema.graphql: is the parser stale?"
        );
        total += fields.len();
        let covered = selected.get(keyword).cloned().unwrap_or_default();
        missing.extend(
            fields
                .difference(&covered)
                .map(|field| format!("{root}.{field}")),
        );
    }
    assert!(
        missing.is_empty(),
        "{} of {total} root fields of schema/schema.graphql have no document in \
         clients/rust/graphql/ selecting them (add an operation to its entity's document \
         and an `operations!` entry): {}",
        missing.len(),
        missing.join(", ")
    );
}

/// The names of the operations a document defines (`query Name`, `mutation Name`, …).
fn operation_names(document: &str) -> Vec<String> {
    let tokens = tokenize(document);
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Name(keyword) if keyword == "fragment" => {
                let j = selection_start(&tokens, i);
                i = skip_group(&tokens, j);
            }
            Token::Name(keyword) if ROOTS.iter().any(|(_, k)| k == keyword) => {
                if let Some(Token::Name(name)) = tokens.get(i + 1) {
                    names.push(name.clone());
                }
                let j = selection_start(&tokens, i);
                i = skip_group(&tokens, j);
            }
            Token::Punct('{') => i = skip_group(&tokens, i),
            _ => i += 1,
        }
    }
    names
}

#[test]
fn every_document_is_an_operation() {
    let operations = read(&crate_dir().join("src/operations.rs"));
    let mut problems = Vec::new();
    let mut declared = 0;
    for (file, document) in documents() {
        let names = operation_names(&document);
        if names.is_empty() {
            problems.push(format!("{file}: no named operation"));
        }
        for name in names {
            declared += 1;
            let entry = format!("{name} => \"graphql/{file}\";");
            if !operations.contains(&entry) {
                problems.push(format!("{file}: no `{entry}` in src/operations.rs"));
            }
        }
    }
    // Every entry names an operation of its document (the derive checks that too).
    let entries = operations.matches(" => \"graphql/").count();
    if entries != declared {
        problems.push(format!(
            "src/operations.rs has {entries} entries for {declared} operations in the documents"
        ));
    }
    assert!(
        problems.is_empty(),
        "documents out of step:\n{}",
        problems.join("\n")
    );
}

#[test]
fn parser_reads_roots_and_skips_descriptions() {
    let sdl = r#"
"""
type Query { notAField: Int }
"""
type Query {
	"""
	A description with a colon: and (parentheses).
	"""
	viewer: Viewer!
	"one-line description"
	teams(first: Int, filter: TeamFilterInput = { name: "x" }): [Team!]! @deprecated(reason: "no")
	node(id: ID!): Node
}
type Mutation { createTeam(input: CreateTeamInput!): TeamPayload! }
"#;
    let query: Vec<String> = schema_root_fields(sdl, "Query").into_iter().collect();
    assert_eq!(query, ["node", "teams", "viewer"]);
    let mutation: Vec<String> = schema_root_fields(sdl, "Mutation").into_iter().collect();
    assert_eq!(mutation, ["createTeam"]);

    let document = r#"
# query Commented { ignored }
query Q($id: ID!, $n: Int = 3) {
  renamed: team(id: $id) { id name members(first: $n) { nodes { id } } }
  __typename
  ...Roots
  ... on Query { viewer { id } }
  ... @include(if: true) { organization { id } }
}
fragment Roots on Query { people { nodes { id } } }
subscription S { events { position } }
"#;
    let roots = document_root_fields(document);
    let query: Vec<&String> = roots["query"].iter().collect();
    assert_eq!(query, ["organization", "people", "team", "viewer"]);
    let subscription: Vec<&String> = roots["subscription"].iter().collect();
    assert_eq!(subscription, ["events"]);
    assert!(!roots.contains_key("mutation"));
}
