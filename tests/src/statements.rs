//! The SQL statements the test servers run, as sqlx reports each one (an event of target
//! `sqlx::query`), so a test can prove a page costs a constant number of queries. The
//! recorder is the process's global subscriber: nextest runs each test in its own
//! process, so what it records is that test's server's.

use std::fmt::Debug;
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<bool> = OnceLock::new();

struct Recorder;

/// The statement's text from the event's `summary` and `db.statement` fields.
#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.0.push_str(value);
            self.0.push(' ');
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.0.push_str(&format!("{value:?} "));
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut text = Text::default();
        event.record(&mut text);
        if let Ok(mut statements) = STATEMENTS.lock() {
            statements.push(text.0);
        }
    }
}

/// Starts recording statements (before the server starts); panics when another global
/// subscriber was set first (run the test alone, with nextest, without `CHORUS_TEST_LOG`).
pub fn record_statements() {
    let installed = *INSTALLED.get_or_init(|| {
        let recorder =
            Recorder.with_filter(Targets::new().with_target("sqlx::query", tracing::Level::TRACE));
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(recorder))
            .is_ok()
    });
    assert!(
        installed,
        "another global tracing subscriber was set first: run this test alone (nextest) without CHORUS_TEST_LOG"
    );
}

/// Forgets the statements recorded so far.
pub fn clear_statements() {
    if let Ok(mut statements) = STATEMENTS.lock() {
        statements.clear();
    }
}

/// The recorded statements that read (`SELECT` or `WITH`) and name `table`.
pub fn reads_of(table: &str) -> Vec<String> {
    STATEMENTS
        .lock()
        .map(|statements| {
            statements
                .iter()
                .filter(|s| {
                    let head = s.trim_start().to_uppercase();
                    (head.starts_with("SELECT") || head.starts_with("WITH")) && s.contains(table)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}
