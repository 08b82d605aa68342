//! cqrs-es integration: events as cqrs-es serializes them, and its
//! [`PersistedEventRepository`] over the same table, so `CqrsFramework` can run on this
//! store directly.

use std::collections::HashMap;

use cqrs_es::persist::{
    PersistedEventRepository, PersistenceError, ReplayStream, SerializedEvent, SerializedSnapshot,
};
use cqrs_es::Aggregate;
use serde_json::Value;
use uuid::Uuid;

use super::{AppendError, EventStore};
use crate::error::StoreError;
use crate::event::{EventRow, NewEvent};
use crate::metadata::{Actor, ActorKind, CommandContext};

pub(super) fn to_serialized(row: &EventRow) -> Result<SerializedEvent, StoreError> {
    let metadata = row.metadata();
    let mut map = HashMap::new();
    map.insert(
        "organization_id".to_owned(),
        metadata.organization_id.to_string(),
    );
    map.insert(
        "actor_kind".to_owned(),
        metadata.actor.kind.as_str().to_owned(),
    );
    if let Some(id) = metadata.actor.id {
        map.insert("actor_id".to_owned(), id.to_string());
    }
    map.insert("occurred_at".to_owned(), metadata.occurred_at.to_rfc3339());
    map.insert(
        "correlation_id".to_owned(),
        metadata.correlation_id.to_string(),
    );
    if let Some(id) = metadata.causation_id {
        map.insert("causation_id".to_owned(), id.to_string());
    }
    map.insert("request_source".to_owned(), metadata.request_source);
    Ok(SerializedEvent {
        aggregate_id: row.aggregate_id.clone(),
        sequence: usize::try_from(row.sequence).map_err(|_| StoreError::Metadata("sequence"))?,
        aggregate_type: row.aggregate_type.clone(),
        event_type: row.event_type.clone(),
        event_version: row.event_version.clone(),
        payload: serde_json::from_str(&row.payload)?,
        metadata: serde_json::to_value(map)?,
    })
}

/// Reads the audit metadata that cqrs-es passes as a string map back into a context.
fn context_from_metadata(metadata: &Value) -> Result<CommandContext, StoreError> {
    let get = |key: &'static str| metadata.get(key).and_then(Value::as_str);
    let uuid = |key: &'static str| -> Result<Option<Uuid>, StoreError> {
        get(key)
            .map(|v| Uuid::parse_str(v).map_err(|_| StoreError::Metadata(key)))
            .transpose()
    };
    let organization_id =
        uuid("organization_id")?.ok_or(StoreError::Metadata("organization_id"))?;
    let kind = get("actor_kind")
        .map(|k| ActorKind::parse(k).ok_or(StoreError::Metadata("actor_kind")))
        .transpose()?
        .unwrap_or(ActorKind::System);
    let occurred_at = get("occurred_at")
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|_| StoreError::Metadata("occurred_at"))
        })
        .transpose()?
        .unwrap_or_else(crate::now);
    Ok(CommandContext {
        organization_id,
        actor: Actor {
            kind,
            id: uuid("actor_id")?,
        },
        occurred_at,
        correlation_id: uuid("correlation_id")?.unwrap_or_else(Uuid::now_v7),
        causation_id: uuid("causation_id")?,
        request_source: get("request_source").unwrap_or("cqrs").to_owned(),
        idempotency: None,
    })
}

fn persistence(e: StoreError) -> PersistenceError {
    match e {
        StoreError::Conflict => PersistenceError::OptimisticLockError,
        StoreError::Database(e) => PersistenceError::ConnectionError(Box::new(e)),
        StoreError::Serialization(e) => PersistenceError::DeserializationError(Box::new(e)),
        other => PersistenceError::UnknownError(Box::new(other)),
    }
}

/// cqrs-es integration: `CqrsFramework` can run on this store directly. Audit metadata is
/// taken from the metadata map (`organization_id` is required).
impl PersistedEventRepository for EventStore {
    async fn get_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        self.get_last_events::<A>(aggregate_id, 0).await
    }

    async fn get_last_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
        last_sequence: usize,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        let after = i64::try_from(last_sequence).unwrap_or(i64::MAX);
        let rows = self
            .aggregate_rows(A::TYPE, aggregate_id, after)
            .await
            .map_err(persistence)?;
        rows.iter()
            .map(|row| to_serialized(row).map_err(persistence))
            .collect()
    }

    async fn get_snapshot<A: Aggregate>(
        &self,
        _aggregate_id: &str,
    ) -> Result<Option<SerializedSnapshot>, PersistenceError> {
        // This path replays every event; the store's own snapshots serve `execute_with`
        // for the aggregates that opt in (`ExecutePolicy`).
        Ok(None)
    }

    async fn persist<A: Aggregate>(
        &self,
        events: &[SerializedEvent],
        _snapshot_update: Option<(String, Value, usize)>,
    ) -> Result<(), PersistenceError> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        let ctx = context_from_metadata(&first.metadata).map_err(persistence)?;
        let new_events = events
            .iter()
            .map(|e| {
                Ok(NewEvent {
                    event_type: e.event_type.clone(),
                    event_version: e.event_version.clone(),
                    payload: serde_json::to_string(&e.payload)?,
                })
            })
            .collect::<Result<Vec<_>, serde_json::Error>>()?;
        let expected = i64::try_from(first.sequence).unwrap_or(i64::MAX) - 1;
        match self
            .append(&ctx, A::TYPE, &first.aggregate_id, expected, &new_events)
            .await
        {
            Ok(_) => Ok(()),
            Err(AppendError::Conflict) => Err(PersistenceError::OptimisticLockError),
            Err(AppendError::Store(e)) => Err(persistence(e)),
            Err(other) => Err(PersistenceError::UnknownError(Box::new(other))),
        }
    }

    async fn stream_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<ReplayStream, PersistenceError> {
        let events = self.get_events::<A>(aggregate_id).await?;
        Ok(replay(events).await)
    }

    async fn stream_all_events<A: Aggregate>(&self) -> Result<ReplayStream, PersistenceError> {
        let sql = self.select_events("aggregate_type = $1 ORDER BY global_position");
        let rows: Vec<EventRow> = crate::on_read!(self.db(), pool => {
            sqlx::query_as::<_, EventRow>(&sql)
                .bind(A::TYPE)
                .fetch_all(pool)
                .await
                .map_err(|e| persistence(e.into()))?
        });
        let events = rows
            .iter()
            .map(|row| to_serialized(row).map_err(persistence))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(replay(events).await)
    }
}

async fn replay(events: Vec<SerializedEvent>) -> ReplayStream {
    let (mut feed, stream) = ReplayStream::new(events.len().max(1));
    for event in events {
        // The queue is sized for every event, so this never waits for a reader.
        if feed.push(Ok(event)).await.is_err() {
            break;
        }
    }
    stream
}
