//! Errors of the kernel. Internal causes are kept for logs; clients only see codes.

use thiserror::Error;

/// Failures of the event store, log reader and projection runtime.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("event payload could not be (de)serialized: {0}")]
    Serialization(#[from] serde_json::Error),
    #[error("DATABASE_URL must start with postgres://, postgresql:// or sqlite:")]
    UnsupportedUrl,
    #[error("in-memory SQLite is not supported: use a file (sqlite://chorus.db)")]
    InMemorySqlite,
    #[error("event metadata is missing or invalid: {0}")]
    Metadata(&'static str),
    #[error("optimistic concurrency conflict")]
    Conflict,
    #[error("projection {0} is not registered")]
    UnknownProjection(String),
    #[error("projection {projection} failed on event {position}: {reason}")]
    Projection {
        projection: String,
        position: i64,
        reason: String,
    },
    #[error("a running server leads the projections; stop every server before rebuilding")]
    ProjectorBusy,
    #[error("timed out waiting for read models to reach position {0}")]
    ConsistencyTimeout(i64),
}

impl StoreError {
    /// True when the database refused a row because a unique key already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
