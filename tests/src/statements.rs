//! The SQL statements the test servers run, as sqlx reports each one (an event of target
//! `sqlx::query`), so a test can prove a page costs a constant number of queries. The
//! recorder is a layer of the process's subscriber (see `log_if_asked`); it keeps
//! statements only between [`record_statements`] and the end of the process.
//!
//! Under nextest each test has its own process, so what is recorded is that test's
//! server's alone ([`alone_in_process`]); under `cargo test` other tests' statements
//! may be recorded too, so a test should assert counts only when alone.

use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::Context;
use tracing_subscriber::Layer;

/// One statement as sqlx reported it.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    /// Its summary and text.
    pub text: String,
    /// The rows it returned.
    pub rows_returned: u64,
}

static STATEMENTS: Mutex<Vec<Statement>> = Mutex::new(Vec::new());
static RECORDING: AtomicBool = AtomicBool::new(false);

pub(crate) struct Recorder;

impl Visit for Statement {
    fn record_str(&mut self, field: &Field, value: &str) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.text.push_str(value);
            self.text.push(' ');
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "rows_returned" {
            self.rows_returned = value;
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "rows_returned" {
            self.rows_returned = u64::try_from(value).unwrap_or_default();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.text.push_str(&format!("{value:?} "));
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if !RECORDING.load(Ordering::Relaxed) {
            return;
        }
        let mut statement = Statement::default();
        event.record(&mut statement);
        if let Ok(mut statements) = STATEMENTS.lock() {
            statements.push(statement);
        }
    }
}

/// The recorder, seeing sqlx's statement events only.
pub(crate) fn layer<
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
>() -> Filtered<Recorder, Targets, S> {
    Recorder.with_filter(Targets::new().with_target("sqlx::query", tracing::Level::TRACE))
}

/// Starts recording (again), forgetting what was recorded so far.
pub fn record_statements() {
    clear_statements();
    RECORDING.store(true, Ordering::Relaxed);
}

/// Forgets the statements recorded so far.
pub fn clear_statements() {
    if let Ok(mut statements) = STATEMENTS.lock() {
        statements.clear();
    }
}

/// Whether this process runs this test alone (nextest's process per test), so every
/// recorded statement is its server's.
pub fn alone_in_process() -> bool {
    std::env::var("NEXTEST_EXECUTION_MODE").is_ok_and(|mode| mode == "process-per-test")
}

/// The recorded statements that read (`SELECT` or `WITH`) and name `table`.
pub fn reads_of(table: &str) -> Vec<Statement> {
    STATEMENTS
        .lock()
        .map(|statements| {
            statements
                .iter()
                .filter(|s| {
                    let head = s.text.trim_start().to_uppercase();
                    (head.starts_with("SELECT") || head.starts_with("WITH"))
                        && s.text.contains(table)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}
