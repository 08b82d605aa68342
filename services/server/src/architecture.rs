//! The invariants ARCHITECTURE.md states that a test can check, checked over the source
//! tree. Each test names the rule it guards; an exception is listed here with its reason,
//! so it is visible and cannot grow by accident.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, recursively, skipping build output.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    let root = root().canonicalize().unwrap_or_default();
    path.canonicalize()
        .unwrap_or_default()
        .strip_prefix(&root)
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// Test code: integration tests, `tests.rs` modules, test support and benches.
fn is_test_code(path: &str) -> bool {
    path.contains("/tests/")
        || path.ends_with("/tests.rs")
        || path.ends_with("test_support.rs")
        || path.ends_with("testing.rs")
        || path.contains("/benches/")
        || path.ends_with("architecture.rs")
        || path.ends_with("catalogue.rs")
}

/// The production source of `dir` as (relative path, text), `#[cfg(test)]` tails cut.
fn production_sources(dir: &str) -> Vec<(String, String)> {
    rust_files(&root().join(dir))
        .into_iter()
        .map(|p| {
            (
                relative(&p),
                std::fs::read_to_string(&p).unwrap_or_default(),
            )
        })
        .filter(|(path, _)| !is_test_code(path))
        .map(|(path, text)| {
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            (path, text)
        })
        .collect()
}

#[test]
fn only_the_kernel_matches_on_the_backend() {
    let needles = [
        "Db::Postgres",
        "Db::Sqlite",
        "DbTx::Postgres",
        "DbTx::Sqlite",
        "Backend::Postgres",
        "Backend::Sqlite",
    ];
    let mut found = Vec::new();
    for dir in [
        "services/api",
        "services/teams",
        "services/content",
        "services/cases",
        "services/integrations",
        "services/server",
        "services/shared",
    ] {
        for (path, text) in production_sources(dir) {
            for (n, line) in text.lines().enumerate() {
                if needles.iter().any(|needle| line.contains(needle)) {
                    found.push(format!("{path}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "only services/kernel may match on the backend (one SQL path for both):\n{}",
        found.join("\n")
    );
}

/// Which context owns each table, from the migrations' `CREATE TABLE`s (the teams
/// context's are its projection's tables).
const OWNERS: &[(&str, &[&str])] = &[
    (
        "kernel",
        &[
            "events",
            "idempotency_keys",
            "aggregate_snapshots",
            "projection_checkpoints",
            "projection_quarantine",
        ],
    ),
    ("server", &["local_secrets"]),
    ("teams", chorus_teams::projection::TeamsProjection::TABLES),
    (
        "content",
        &[
            "posts",
            "post_states",
            "post_channels",
            "post_approvals",
            "post_open_steps",
            "post_open_step_signers",
            "post_rejections",
            "post_status_history",
            "post_timeline",
            "approval_policies",
            "lexicon_terms",
            "legal_reviews",
        ],
    ),
    ("cases", chorus_cases::projection::CASES_TABLES),
    ("integrations", chorus_integrations::TABLES),
];

/// Cross-context reads kept in one SQL statement, with the reason. None now: a query
/// that needs another context's rows splices in the SQL fragment that context's api.rs
/// publishes (content's approval inbox and compliance check use `chorus_teams::api`).
const CROSS_CONTEXT_SQL: &[(&str, &str)] = &[];

fn sql_tables(text: &str) -> Vec<String> {
    let mut tables = Vec::new();
    for keyword in ["FROM ", "JOIN ", "INTO ", "UPDATE "] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            rest = &rest[at + keyword.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                tables.push(name);
            }
        }
    }
    tables
}

#[test]
fn every_table_has_one_owner_and_contexts_name_only_their_own() {
    let all: Vec<&str> = OWNERS.iter().flat_map(|(_, t)| t.iter().copied()).collect();
    for migration in std::fs::read_dir(root().join("migrations/postgres"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(migration.path()).unwrap_or_default();
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("CREATE TABLE ") {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                assert!(
                    all.contains(&name.as_str()),
                    "table {name} has no owner in OWNERS"
                );
            }
        }
    }
    let mut found = Vec::new();
    for (context, own) in OWNERS
        .iter()
        .filter(|(c, _)| matches!(*c, "teams" | "content" | "cases" | "integrations"))
    {
        for (path, text) in production_sources(&format!("services/{context}/src")) {
            for table in sql_tables(&text) {
                let foreign = all.contains(&table.as_str()) && !own.contains(&table.as_str());
                let allowed = CROSS_CONTEXT_SQL.contains(&(path.as_str(), table.as_str()));
                if foreign && !allowed {
                    found.push(format!("{path} names {table}"));
                }
            }
        }
    }
    found.dedup();
    assert!(
        found.is_empty(),
        "a context's SQL names only its own tables; reach another through its api.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn domain_crates_are_pure() {
    for manifest in [
        "services/shared/Cargo.toml",
        "services/teams/domain/Cargo.toml",
        "services/content/domain/Cargo.toml",
        "services/cases/domain/Cargo.toml",
        "services/integrations/domain/Cargo.toml",
    ] {
        let text = std::fs::read_to_string(root().join(manifest)).unwrap_or_default();
        let dependencies = text
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or_default();
        assert!(
            !dependencies.is_empty() || manifest.contains("shared"),
            "{manifest}: no [dependencies] found"
        );
        for io in [
            "sqlx",
            "tokio",
            "async-graphql",
            "actix",
            "chorus-kernel",
            "chorus-api",
        ] {
            assert!(
                !dependencies.lines().any(|l| l.trim_start().starts_with(io)),
                "{manifest}: a domain crate does no I/O, yet depends on {io}"
            );
        }
    }
}

/// Files over the size a reader can hold in mind, with the reason each is still long.
const LONG_FILES: &[&str] = &[];

#[test]
fn no_source_file_is_over_600_lines_but_the_listed_ones() {
    let mut found = Vec::new();
    for dir in ["services", "bench/src", "clients/rust/src"] {
        for (path, text) in production_sources(dir) {
            let lines = text.lines().count();
            if lines > 600 && !LONG_FILES.contains(&path.as_str()) {
                found.push(format!("{path}: {lines} lines"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "split these files (at most about 600 lines):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_server_holds_no_context_folder() {
    let src = root().join("services/server/src");
    let folders: Vec<String> = std::fs::read_dir(&src)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        folders,
        vec!["graphql".to_owned()],
        "services/server/src holds composition and transport only"
    );
}
