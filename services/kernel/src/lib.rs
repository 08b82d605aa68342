//! The event-sourced core of Chorus: the event envelope and audit metadata, the sqlx
//! event store for PostgreSQL and SQLite, the commit-safe global log reader and the
//! projection runtime.

pub mod db;
pub mod error;
pub mod event;
mod leadership;
pub mod log;
pub mod metadata;
pub mod projection;
pub mod quarantine;
pub mod sql;
pub mod store;
// Test support (throwaway databases): a failing set-up should stop the test right there.
#[allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
pub mod testing;
pub mod upcast;

pub use db::{Backend, Db, DbOptions, DbTx, Migrations, SqliteDurability};
pub use error::StoreError;
pub use event::{EventMetadata, LogPosition, NewEvent, RecordedEvent};
pub use log::LogReader;
pub use metadata::{Actor, ActorKind, CommandContext, IdempotencyKey};
pub use projection::{Projection, Projector};
pub use store::{AppendError, CommandError, CommandOutcome, EventStore, ExecutePolicy};
pub use upcast::Upcasters;

/// The current time at the precision both backends store (microseconds), so a value
/// read back compares equal to the value written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{DurationRound, TimeDelta};
    let now = chrono::Utc::now();
    now.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now)
}
