//! Events as they are stored and read back from the log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::metadata::{Actor, ActorKind};

/// A place in the global log. Commit-safe order is `(transaction_id, global_position)`:
/// on PostgreSQL sequence values commit out of order, so a reader orders by the writing
/// transaction first; on SQLite (serialized writers) `transaction_id` is always 0.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct LogPosition {
    pub transaction_id: i64,
    pub global_position: i64,
}

impl LogPosition {
    pub const START: LogPosition = LogPosition {
        transaction_id: 0,
        global_position: 0,
    };
}

/// An event ready to append: already serialized by its aggregate's event type.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
}

/// Audit metadata of a stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    pub organization_id: Uuid,
    pub actor: Actor,
    pub occurred_at: DateTime<Utc>,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub request_source: String,
}

/// An event read from the log, payload upcast to the current version.
#[derive(Debug, Clone)]
pub struct RecordedEvent {
    pub position: LogPosition,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: serde_json::Value,
    pub metadata: EventMetadata,
    /// When the append statement wrote the event, just before its commit (the column's
    /// default; later than `metadata.occurred_at`, which is stamped when the command starts).
    pub recorded_at: DateTime<Utc>,
}

impl RecordedEvent {
    /// Deserializes the payload as an aggregate's event enum.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}

/// One row of the `events` table, same shape on both backends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub global_position: i64,
    pub transaction_id: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
    pub organization_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_kind: String,
    pub occurred_at: DateTime<Utc>,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub request_source: String,
    pub recorded_at: DateTime<Utc>,
}

impl EventRow {
    pub(crate) fn metadata(&self) -> EventMetadata {
        EventMetadata {
            organization_id: self.organization_id,
            actor: Actor {
                kind: ActorKind::parse(&self.actor_kind).unwrap_or(ActorKind::System),
                id: self.actor_id,
            },
            occurred_at: self.occurred_at,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            request_source: self.request_source.clone(),
        }
    }
}

/// The columns selected for [`EventRow`]; PostgreSQL renders `xid8` through text.
pub(crate) const EVENT_COLUMNS_PG: &str =
    "global_position, (transaction_id::text)::bigint AS transaction_id, \
     aggregate_type, aggregate_id, sequence, event_type, event_version, payload, organization_id, \
     actor_id, actor_kind, occurred_at, correlation_id, causation_id, request_source, recorded_at";
pub(crate) const EVENT_COLUMNS_SQLITE: &str = "global_position, transaction_id, \
     aggregate_type, aggregate_id, sequence, event_type, event_version, payload, organization_id, \
     actor_id, actor_kind, occurred_at, correlation_id, causation_id, request_source, \
     recorded_at";
