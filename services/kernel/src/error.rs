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
    #[error("projection {projection} failed on event {position}: {source}")]
    Projection {
        projection: String,
        position: i64,
        #[source]
        source: Box<StoreError>,
    },
    #[error("a running server leads the projections; stop every server before rebuilding")]
    ProjectorBusy,
    #[error("another rebuild of this database is running; try again once it is done")]
    RebuildBusy,
    #[error("cannot rebuild into shadow tables: {0}")]
    RebuildUnsupported(String),
    #[error("timed out waiting for read models to reach position {0}")]
    ConsistencyTimeout(i64),
    #[error("no failed event at position {0} is in quarantine for this projection")]
    NotQuarantined(i64),
}

impl StoreError {
    /// True when the database refused a row because a unique key already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// True when the same work may succeed if tried again later: the database was
    /// unreachable, busy, out of resources or shutting down. False when the work itself
    /// was refused (a value the database cannot store, a broken constraint, a payload
    /// that does not decode): retrying that forever would stop everything behind it, so a
    /// projection quarantines the event instead. Unknown causes count as transient, so an
    /// outage never quarantines innocent events.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Database(error) => is_transient_database_error(error),
            StoreError::Projection { source, .. } => source.is_transient(),
            StoreError::Serialization(_) | StoreError::Metadata(_) => false,
            StoreError::Migration(_)
            | StoreError::UnsupportedUrl
            | StoreError::InMemorySqlite
            | StoreError::Conflict
            | StoreError::UnknownProjection(_)
            | StoreError::ProjectorBusy
            | StoreError::RebuildBusy
            | StoreError::RebuildUnsupported(_)
            | StoreError::ConsistencyTimeout(_)
            | StoreError::NotQuarantined(_) => true,
        }
    }
}

fn is_transient_database_error(error: &sqlx::Error) -> bool {
    use sqlx::error::DatabaseError as _;
    match error {
        sqlx::Error::Database(error) => {
            if let Some(error) = error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // SQLSTATE classes that describe the data or the statement, not the
                // server's state: data exceptions (22, e.g. a NUL in text), integrity
                // constraints (23), cardinality (21), syntax and access rules (42).
                !matches!(&error.code()[..2], "21" | "22" | "23" | "42")
            } else if let Some(error) = error.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                // Primary result codes (the low byte of an extended code): SQLITE_ERROR (1,
                // e.g. a pattern too complex), TOOBIG (18), CONSTRAINT (19), MISMATCH (20),
                // RANGE (25) are about the statement; BUSY, LOCKED, IOERR, FULL… are not.
                let code = error
                    .code()
                    .and_then(|code| code.parse::<i64>().ok())
                    .map(|code| code & 0xff);
                !matches!(code, Some(1 | 18 | 19 | 20 | 25))
            } else {
                true
            }
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::Encode(_)
        | sqlx::Error::TypeNotFound { .. }
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::RowNotFound => false,
        _ => true,
    }
}
