//! The error catalogue's check: every stable `extensions.code` the source can return has a
//! row in `docs/errors.md`, and every row there names a code the source can return.
//!
//! Codes are found by plain string scanning of every `.rs` file under `services/` (no
//! parser, no regex). Comments are blanked first and string and char literals are set
//! apart, so a brace or a `code: "` inside a literal or a comment does not count. Four
//! rules find codes:
//!
//! 1. `code fn`: every `SCREAMING_SNAKE_CASE` literal in the body of every
//!    `fn code(&self) -> &'static str` (`ApiError::code`, `ValueError::code` and every
//!    aggregate error's `code`);
//! 2. `code field`: the literal after every `code: "` (`ApiError::Domain { code: "…", .. }`
//!    raised by the GraphQL layers, or matched on);
//! 3. `subscription end`: the first literal of every `end("…", …)` call in
//!    `subscription.rs` and `event_stream.rs`, where a subscription stream ends with a code;
//! 4. `code set`: every `SCREAMING_SNAKE_CASE` literal in the body of a function that sets
//!    `extensions.code` itself (`.set("code", …)`: the HTTP layer's codes for
//!    async-graphql's own errors).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rules of the module documentation, in order.
const RULES: [&str; 4] = ["code fn", "code field", "subscription end", "code set"];

/// The workspace root: two levels up from `services/api`.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("services/api has a grandparent")
        .to_path_buf()
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// A stable code: at least three characters, `A-Z` and `_` only, starting with a letter.
fn is_code(text: &str) -> bool {
    text.len() >= 3
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

/// A source file prepared for scanning.
struct Source {
    /// The text with comments and the contents of literals blanked (ASCII only, same
    /// byte offsets as the file): what the patterns and brace counting look at.
    masked: String,
    /// Every string literal's contents (escapes left as written), by the byte offset of
    /// its opening quote (which `masked` keeps).
    literals: BTreeMap<usize, String>,
    /// Byte offsets where lines start, for locations.
    lines: Vec<usize>,
}

impl Source {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut masked = vec![b' '; bytes.len()];
        let mut literals = BTreeMap::new();
        let blank = |masked: &mut Vec<u8>, from: usize, to: usize| {
            for (i, slot) in masked.iter_mut().enumerate().take(to).skip(from) {
                *slot = if bytes[i] == b'\n' { b'\n' } else { b' ' };
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            let next = bytes.get(i + 1).copied();
            if byte == b'/' && next == Some(b'/') {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut masked, i, end);
                i = end;
            } else if byte == b'/' && next == Some(b'*') {
                let (mut depth, mut j) = (1, i + 2);
                while j < bytes.len() && depth > 0 {
                    if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut masked, i, j);
                i = j;
            } else if byte == b'r'
                && (i == 0
                    || !is_ident(bytes[i - 1])
                    || (bytes[i - 1] == b'b' && (i < 2 || !is_ident(bytes[i - 2]))))
                && matches!(next, Some(b'"' | b'#'))
                && bytes[i + 1..].iter().find(|b| **b != b'#') == Some(&b'"')
            {
                // A raw string: r"…", r#"…"#, …
                let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                let open = i + 1 + hashes;
                let closing = format!("\"{}", "#".repeat(hashes));
                let close = text[open + 1..]
                    .find(&closing)
                    .map_or(bytes.len(), |n| open + 1 + n);
                literals.insert(open, text[open + 1..close].to_owned());
                let end = (close + closing.len()).min(bytes.len());
                blank(&mut masked, i, end);
                masked[open] = b'"';
                if close < bytes.len() {
                    masked[close] = b'"';
                }
                i = end;
            } else if byte == b'"' {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let close = j.min(bytes.len());
                literals.insert(i, text[i + 1..close].to_owned());
                blank(&mut masked, i, (close + 1).min(bytes.len()));
                masked[i] = b'"';
                if close < bytes.len() {
                    masked[close] = b'"';
                }
                i = close + 1;
            } else if byte == b'\'' {
                // A char literal ('x', '\n', '{') is blanked; a lifetime ('static) is kept.
                let end = if next == Some(b'\\') {
                    bytes[i + 2..]
                        .iter()
                        .position(|b| *b == b'\'')
                        .map(|n| i + 2 + n)
                } else {
                    text[i + 1..]
                        .chars()
                        .next()
                        .map(|c| i + 1 + c.len_utf8())
                        .filter(|&j| bytes.get(j) == Some(&b'\''))
                };
                match end {
                    Some(end) => {
                        masked[i] = b'\'';
                        masked[end] = b'\'';
                        i = end + 1;
                    }
                    None => {
                        masked[i] = b'\'';
                        i += 1;
                    }
                }
            } else {
                if byte.is_ascii() {
                    masked[i] = byte;
                }
                i += 1;
            }
        }
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(n, _)| n + 1))
            .collect();
        Self {
            masked: String::from_utf8(masked).expect("the masked text is ASCII"),
            literals,
            lines,
        }
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.lines.partition_point(|&start| start <= offset)
    }

    /// Offsets where `pattern` starts in the masked text, not preceded by an identifier
    /// character when the pattern starts with one.
    fn find(&self, pattern: &str) -> Vec<usize> {
        let bytes = self.masked.as_bytes();
        let word = pattern.bytes().next().is_some_and(is_ident);
        self.masked
            .match_indices(pattern)
            .map(|(at, _)| at)
            .filter(|&at| !word || at == 0 || !is_ident(bytes[at - 1]))
            .collect()
    }

    /// The literal that starts at `offset` or after whitespace following it.
    fn literal_after(&self, offset: usize) -> Option<(usize, &str)> {
        let skipped = self.masked[offset..]
            .bytes()
            .take_while(u8::is_ascii_whitespace)
            .count();
        let at = offset + skipped;
        self.literals.get(&at).map(|text| (at, text.as_str()))
    }

    /// The first `{ … }` block starting after `offset` (byte offsets of its braces),
    /// unless a `;` comes first (a declaration without a body).
    fn block_after(&self, offset: usize) -> Option<(usize, usize)> {
        let bytes = self.masked.as_bytes();
        let open = offset
            + bytes[offset..]
                .iter()
                .position(|b| *b == b'{' || *b == b';')?;
        if bytes[open] == b';' {
            return None;
        }
        let mut depth = 0usize;
        for (i, byte) in bytes.iter().enumerate().skip(open) {
            match byte {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((open, i));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The literals between two offsets that are codes.
    fn codes_in(&self, (open, close): (usize, usize)) -> Vec<(usize, &str)> {
        self.literals
            .range(open..close)
            .filter(|(_, text)| is_code(text))
            .map(|(at, text)| (*at, text.as_str()))
            .collect()
    }
}

/// A code found in the source.
#[derive(Debug)]
struct Found {
    code: String,
    rule: &'static str,
    /// `path:line`, relative to the workspace root.
    at: String,
}

/// Every code one file can return, by the rules of the module documentation.
fn codes_of(path: &str, text: &str) -> Vec<Found> {
    let source = Source::new(text);
    let mut found = Vec::new();
    let mut push = |rule: &'static str, at: usize, code: &str| {
        found.push(Found {
            code: code.to_owned(),
            rule,
            at: format!("{path}:{}", source.line(at)),
        });
    };
    for header in source.find("fn code(&self) -> &'static str") {
        if let Some(body) = source.block_after(header) {
            for (at, code) in source.codes_in(body) {
                push(RULES[0], at, code);
            }
        }
    }
    for field in source.find("code: \"") {
        if let Some((at, code)) = source.literal_after(field + "code: ".len()) {
            push(RULES[1], at, code);
        }
    }
    if path.ends_with("subscription.rs") || path.ends_with("event_stream.rs") {
        for call in source.find("end(") {
            if let Some((at, code)) = source.literal_after(call + "end(".len()) {
                push(RULES[2], at, code);
            }
        }
    }
    let functions = source.find("fn ");
    for set in source.find(".set(") {
        if source
            .literal_after(set + ".set(".len())
            .map(|(_, text)| text)
            != Some("code")
        {
            continue;
        }
        // The innermost function whose body holds the call.
        let body = functions
            .iter()
            .rev()
            .filter(|&&start| start < set)
            .filter_map(|&start| source.block_after(start))
            .find(|&(open, close)| open < set && set < close);
        if let Some(body) = body {
            for (at, code) in source.codes_in(body) {
                push(RULES[3], at, code);
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, `target` directories left out, in a stable order.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                rust_files(&path, files);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// Every code the source under `services/` can return.
fn scan_services(root: &Path) -> Vec<Found> {
    let mut files = Vec::new();
    rust_files(&root.join("services"), &mut files);
    assert!(
        !files.is_empty(),
        "no .rs file under {}",
        root.join("services").display()
    );
    files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file)
                .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
            let relative = file
                .strip_prefix(root)
                .unwrap_or(file)
                .display()
                .to_string();
            codes_of(&relative, &text)
        })
        .collect()
}

/// Each code with where it is found.
fn by_code(found: &[Found]) -> BTreeMap<&str, Vec<&str>> {
    let mut codes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in found {
        codes.entry(&f.code).or_default().push(&f.at);
    }
    codes
}

/// The codes that have a row in the catalogue (`` | `CODE` | … ``), with their lines.
fn catalogue_rows(docs: &str) -> Vec<(String, usize)> {
    docs.lines()
        .enumerate()
        .filter_map(|(n, line)| {
            let first = line.trim().strip_prefix('|')?.split('|').next()?.trim();
            let code = first.strip_prefix('`')?.strip_suffix('`')?;
            is_code(code).then(|| (code.to_owned(), n + 1))
        })
        .collect()
}

fn read_catalogue(root: &Path) -> String {
    let path = root.join("docs/errors.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn every_code_the_source_can_return_is_documented() {
    let root = workspace_root();
    let found = scan_services(&root);
    for rule in RULES {
        assert!(
            found.iter().any(|f| f.rule == rule),
            "the rule `{rule}` found no code under services/: the scanner no longer matches the source"
        );
    }
    let codes = by_code(&found);
    assert!(
        codes.len() >= 30,
        "only {} codes found under services/ (expected at least 30): {:?}",
        codes.len(),
        codes.keys().collect::<Vec<_>>()
    );
    let misspelled: Vec<String> = found
        .iter()
        .filter(|f| !is_code(&f.code))
        .map(|f| format!("{:?} ({}, rule `{}`)", f.code, f.at, f.rule))
        .collect();
    assert!(
        misspelled.is_empty(),
        "codes must be SCREAMING_SNAKE_CASE:\n  {}",
        misspelled.join("\n  ")
    );
    let rows = catalogue_rows(&read_catalogue(&root));
    let missing: Vec<String> = codes
        .iter()
        .filter(|(code, _)| !rows.iter().any(|(row, _)| row == *code))
        .map(|(code, at)| format!("`{code}` (returned at {})", at.join(", ")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/errors.md has no row for {} code(s) the source can return:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn the_catalogue_lists_no_code_the_source_never_returns() {
    let root = workspace_root();
    let found = scan_services(&root);
    let codes = by_code(&found);
    let rows = catalogue_rows(&read_catalogue(&root));
    assert!(
        rows.len() >= 30,
        "only {} rows found in docs/errors.md (expected at least 30)",
        rows.len()
    );
    let stale: Vec<String> = rows
        .iter()
        .filter(|(code, _)| !codes.contains_key(code.as_str()))
        .map(|(code, line)| format!("`{code}` (docs/errors.md:{line})"))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/errors.md lists {} code(s) the source never returns:\n  {}",
        stale.len(),
        stale.join("\n  ")
    );
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (code, line) in &rows {
        lines.entry(code).or_default().push(*line);
    }
    let repeated: Vec<String> = lines
        .iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(code, at)| format!("`{code}` (docs/errors.md lines {at:?})"))
        .collect();
    assert!(
        repeated.is_empty(),
        "each code has one row in docs/errors.md; repeated:\n  {}",
        repeated.join("\n  ")
    );
}

#[test]
fn the_scanner_sees_code_only_where_the_rules_say() {
    let text = r#"
// fn code(&self) -> &'static str { "IN_A_COMMENT" }
impl E {
    pub fn code(&self) -> &'static str {
        match self {
            Self::A => "FIRST_CODE", // "NOT_IN_COMMENT"
            Self::B if '{' == '{' => "AFTER_A_BRACE_CHAR",
            Self::C => "lower",
        }
    }
    fn other(&self) -> &'static str { "NOT_A_CODE_FN" }
}
fn raise() { Err(ApiError::Domain { code: "RAISED", message: "{ unbalanced".into() }) }
const TEXT: &str = "code: \"IN_A_LITERAL\"";
fn add(error: &mut E) {
    let code = if x { "SET_HERE" } else { r"RAW_SET" };
    error.extensions.set("code", code);
}
fn untouched() { let _ = "NOT_SET_HERE"; end("NOT_A_SUBSCRIPTION"); }
"#;
    let found = codes_of("x.rs", text);
    let got: Vec<(&str, &str)> = found.iter().map(|f| (f.rule, f.code.as_str())).collect();
    assert_eq!(
        got,
        [
            ("code fn", "FIRST_CODE"),
            ("code fn", "AFTER_A_BRACE_CHAR"),
            ("code field", "RAISED"),
            ("code set", "SET_HERE"),
            ("code set", "RAW_SET"),
        ]
    );
    assert_eq!(found[0].at, "x.rs:6");
    let ended = codes_of(
        "graphql/subscription.rs",
        "let end = |code| ...; Err(end(\n    \"ENDED\", m)); extend(\"NO\");",
    );
    let got: Vec<&str> = ended.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(got, ["ENDED"]);
}
