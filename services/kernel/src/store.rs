//! The event store: appends events atomically with optimistic concurrency and
//! idempotency keys, loads aggregates, and implements cqrs-es's
//! [`PersistedEventRepository`] over the same table.

use std::collections::HashMap;
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{
    PersistedEventRepository, PersistenceError, ReplayStream, SerializedEvent, SerializedSnapshot,
};
use cqrs_es::{Aggregate, DomainEvent};
use serde_json::Value;
use tokio::sync::watch;
use tracing::Instrument;
use uuid::Uuid;

use crate::db::{Backend, Db, DbTx};
use crate::error::StoreError;
use crate::event::{EventRow, LogPosition, NewEvent, EVENT_COLUMNS_PG, EVENT_COLUMNS_SQLITE};
use crate::metadata::{Actor, ActorKind, CommandContext, IdempotencyKey};
use crate::upcast::Upcasters;
use crate::{on_read, on_tx};

/// What a command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    pub aggregate_id: String,
    /// Position of the command's last event in the global log.
    pub position: LogPosition,
    /// Sequence of the aggregate after the command.
    pub sequence: i64,
    /// True when an idempotency key matched and nothing new was appended.
    pub replayed: bool,
}

/// Why a command did not produce events.
#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error> {
    #[error(transparent)]
    Domain(E),
    #[error("another change to the same record was committed first; retry")]
    Conflict,
    #[error("the idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    /// The aggregate exists but belongs to another organization; reported as not found.
    #[error("not found")]
    ForeignAggregate,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The sqlx event store for both backends.
#[derive(Debug, Clone)]
pub struct EventStore {
    db: Db,
    upcasters: Upcasters,
    appended: watch::Sender<u64>,
    /// When set, every command waits here after it is decided and before it appends
    /// ([`EventStore::hold_decided_commands`]).
    decided: Arc<std::sync::Mutex<Option<Arc<tokio::sync::Barrier>>>>,
}

#[derive(sqlx::FromRow)]
struct IdempotencyRow {
    request: String,
    aggregate_id: String,
    last_sequence: i64,
    transaction_id: i64,
    global_position: i64,
}

impl EventStore {
    pub fn new(db: Db, upcasters: Upcasters) -> Self {
        let (appended, _) = watch::channel(0);
        Self {
            db,
            upcasters,
            appended,
            decided: Arc::default(),
        }
    }

    /// Makes the next commands wait, once decided and before appending, until `parties`
    /// of them are waiting; `0` stops that. Tests use it to make racing commands overlap
    /// for certain (both decided on the same state), so a race test can require the
    /// CONFLICT it is about instead of accepting whichever outcome the timing gave.
    pub fn hold_decided_commands(&self, parties: usize) {
        let barrier = (parties > 0).then(|| Arc::new(tokio::sync::Barrier::new(parties)));
        if let Ok(mut decided) = self.decided.lock() {
            *decided = barrier;
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn upcasters(&self) -> &Upcasters {
        &self.upcasters
    }

    /// A receiver that changes after every commit made through this store: an in-process
    /// wake-up for log tailers (never the source of truth; they read the log).
    pub fn subscribe_appends(&self) -> watch::Receiver<u64> {
        self.appended.subscribe()
    }

    /// Wakes this process's readers when another process appends (PostgreSQL's
    /// `NOTIFY chorus_events`, sent after commit); `None` on SQLite, where every writer
    /// is this process. The task ends when `shutdown` changes.
    pub async fn spawn_append_listener(
        &self,
        mut shutdown: watch::Receiver<bool>,
    ) -> Result<Option<tokio::task::JoinHandle<()>>, StoreError> {
        let Db::Postgres(pool) = self.db() else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen("chorus_events").await?;
        let store = self.clone();
        Ok(Some(tokio::spawn(async move {
            loop {
                tokio::select! {
                    received = listener.recv() => match received {
                        Ok(_) => store.notify_appended(),
                        Err(error) => {
                            tracing::warn!(%error, "event notification listener failed; polling continues");
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                    },
                    _ = shutdown.changed() => break,
                }
            }
        })))
    }

    /// Signals tailers that the log may have grown (also used by cross-process listeners).
    pub fn notify_appended(&self) {
        self.appended.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Wakes log tailers in other processes (servers, the CLI) after a commit. Not inside
    /// the append's transaction: PostgreSQL holds one global lock from a notifying
    /// transaction's pre-commit until its commit is flushed, so a NOTIFY there serialized
    /// every concurrent append on one fsync each (chorus-bench: 318 commands/s at 64
    /// clients, the single-client INSERT rate). Here it is its own transaction, which does
    /// not wait for the flush. A lost wake-up only delays tailers to their next poll.
    async fn wake_other_processes(&self) {
        if let Db::Postgres(pool) = &self.db {
            if let Err(error) = sqlx::query(
                "SELECT pg_notify('chorus_events', ''), set_config('synchronous_commit', 'off', true)",
            )
            .execute(pool)
            .await
            {
                tracing::warn!(%error, "could not notify other processes of an append");
            }
        }
    }

    /// Loads an aggregate by replaying its events; returns it with its last sequence and
    /// the organization its events belong to (None for a new aggregate).
    pub async fn load<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<(A, i64, Option<Uuid>), StoreError> {
        let rows = self.aggregate_rows(A::TYPE, aggregate_id, 0).await?;
        let mut aggregate = A::default();
        let mut sequence = 0;
        let mut organization = None;
        for row in rows {
            sequence = row.sequence;
            organization = Some(row.organization_id);
            let serialized = self.upcasters.upcast(to_serialized(&row)?);
            let event: A::Event = serde_json::from_value(serialized.payload)?;
            aggregate.apply(event);
        }
        Ok((aggregate, sequence, organization))
    }

    async fn aggregate_rows(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: i64,
    ) -> Result<Vec<EventRow>, StoreError> {
        let sql = match self.db.backend() {
            Backend::Postgres => format!(
                "SELECT {EVENT_COLUMNS_PG} FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 \
                 AND sequence > $3 ORDER BY sequence"
            ),
            Backend::Sqlite => format!(
                "SELECT {EVENT_COLUMNS_SQLITE} FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 \
                 AND sequence > $3 ORDER BY sequence"
            ),
        };
        let rows = on_read!(&self.db, pool => {
            sqlx::query_as::<_, EventRow>(&sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .bind(after_sequence)
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// Handles `command` on aggregate `aggregate_id` and appends the resulting events in one
    /// transaction. A repeated idempotency key returns the first outcome and appends nothing.
    pub async fn execute<A>(
        &self,
        ctx: &CommandContext,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
    ) -> Result<CommandOutcome, CommandError<A::Error>>
    where
        A: Aggregate,
        A::Command: Send,
        A::Error: Send,
    {
        let span = tracing::info_span!(
            "command",
            aggregate = A::TYPE,
            aggregate_id,
            organization_id = %ctx.organization_id,
            correlation_id = %ctx.correlation_id,
        );
        async move {
            if let Some(key) = &ctx.idempotency {
                match self.find_idempotent(ctx.organization_id, key).await? {
                    Idempotent::Unused => {}
                    Idempotent::Replay(outcome) => {
                        tracing::debug!("idempotency key matched; nothing appended");
                        return Ok(outcome);
                    }
                    Idempotent::Reused => return Err(CommandError::IdempotencyKeyReused),
                }
            }
            let (mut aggregate, sequence, organization) = self.load::<A>(aggregate_id).await?;
            if organization.is_some_and(|org| org != ctx.organization_id) {
                return Err(CommandError::ForeignAggregate);
            }
            let sink = EventSink::<A>::default();
            aggregate
                .handle(command, services, &sink)
                .await
                .map_err(CommandError::Domain)?;
            let events = sink.collect().await;
            let new_events = events
                .iter()
                .map(|event| {
                    Ok(NewEvent {
                        event_type: event.event_type(),
                        event_version: event.event_version(),
                        payload: serde_json::to_string(event)?,
                    })
                })
                .collect::<Result<Vec<_>, serde_json::Error>>()
                .map_err(StoreError::from)?;
            let hold = self.decided.lock().ok().and_then(|d| d.clone());
            if let Some(barrier) = hold {
                barrier.wait().await;
            }
            match self
                .append(ctx, A::TYPE, aggregate_id, sequence, &new_events)
                .await
            {
                Ok(outcome) => Ok(outcome),
                Err(AppendError::Conflict) => match &ctx.idempotency {
                    // An identical retry racing the first request on the same aggregate
                    // loses the sequence race; if the first committed, answer as a replay.
                    Some(key) => match self.find_idempotent(ctx.organization_id, key).await? {
                        Idempotent::Replay(outcome) => Ok(outcome),
                        Idempotent::Reused => Err(CommandError::IdempotencyKeyReused),
                        Idempotent::Unused => Err(CommandError::Conflict),
                    },
                    None => Err(CommandError::Conflict),
                },
                Err(AppendError::IdempotencyKeyReused) => Err(CommandError::IdempotencyKeyReused),
                Err(AppendError::Replayed(outcome)) => Ok(outcome),
                Err(AppendError::Store(e)) => Err(CommandError::Store(e)),
            }
        }
        .instrument(span)
        .await
    }

    /// The stored outcome of an earlier request with this idempotency key, if any; an
    /// error when the key was used for a different request.
    pub async fn replay_of(
        &self,
        organization_id: Uuid,
        key: &IdempotencyKey,
    ) -> Result<Option<CommandOutcome>, CommandError<std::convert::Infallible>> {
        match self.find_idempotent(organization_id, key).await? {
            Idempotent::Unused => Ok(None),
            Idempotent::Replay(outcome) => Ok(Some(outcome)),
            Idempotent::Reused => Err(CommandError::IdempotencyKeyReused),
        }
    }

    async fn find_idempotent(
        &self,
        organization_id: Uuid,
        key: &IdempotencyKey,
    ) -> Result<Idempotent, StoreError> {
        let row = on_read!(&self.db, pool => {
            sqlx::query_as::<_, IdempotencyRow>(
                "SELECT request, aggregate_id, last_sequence, transaction_id, global_position \
                 FROM idempotency_keys WHERE organization_id = $1 AND idempotency_key = $2",
            )
            .bind(organization_id)
            .bind(&key.key)
            .fetch_optional(pool)
            .await?
        });
        Ok(match row {
            None => Idempotent::Unused,
            Some(row) if row.request != key.request => Idempotent::Reused,
            Some(row) => Idempotent::Replay(CommandOutcome {
                aggregate_id: row.aggregate_id,
                position: LogPosition {
                    transaction_id: row.transaction_id,
                    global_position: row.global_position,
                },
                sequence: row.last_sequence,
                replayed: true,
            }),
        })
    }

    /// Appends `events` after `expected_sequence` of the aggregate, in one transaction with
    /// the idempotency record. A concurrent writer that got there first yields `Conflict`.
    pub async fn append(
        &self,
        ctx: &CommandContext,
        aggregate_type: &str,
        aggregate_id: &str,
        expected_sequence: i64,
        events: &[NewEvent],
    ) -> Result<CommandOutcome, AppendError> {
        let mut tx = self.db.begin().await?;
        let result = self
            .append_in(
                &mut tx,
                ctx,
                aggregate_type,
                aggregate_id,
                expected_sequence,
                events,
            )
            .await;
        match result {
            Ok(outcome) => {
                tx.commit().await.map_err(|e| {
                    if e.is_unique_violation() {
                        AppendError::Conflict
                    } else {
                        AppendError::Store(e)
                    }
                })?;
                self.notify_appended();
                self.wake_other_processes().await;
                Ok(outcome)
            }
            Err(AppendStage::Events(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                Err(AppendError::Conflict)
            }
            Err(AppendStage::Idempotency(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                // A concurrent retry with the same key committed first: answer with its outcome.
                let key = ctx
                    .idempotency
                    .as_ref()
                    .ok_or(StoreError::Metadata("idempotency"))?;
                match self.find_idempotent(ctx.organization_id, key).await? {
                    Idempotent::Replay(outcome) => Err(AppendError::Replayed(outcome)),
                    Idempotent::Unused => Err(AppendError::Conflict),
                    Idempotent::Reused => Err(AppendError::IdempotencyKeyReused),
                }
            }
            Err(AppendStage::Events(e) | AppendStage::Idempotency(e)) => {
                tx.rollback().await?;
                Err(AppendError::Store(e))
            }
        }
    }

    async fn append_in(
        &self,
        tx: &mut DbTx,
        ctx: &CommandContext,
        aggregate_type: &str,
        aggregate_id: &str,
        expected_sequence: i64,
        events: &[NewEvent],
    ) -> Result<CommandOutcome, AppendStage> {
        if events.is_empty() {
            return Err(AppendStage::Events(StoreError::Metadata(
                "a command must produce at least one event",
            )));
        }
        let insert = match tx.backend() {
            Backend::Postgres => INSERT_EVENT_PG,
            Backend::Sqlite => INSERT_EVENT_SQLITE,
        };
        let mut last = LogPosition::START;
        let mut sequence = expected_sequence;
        for event in events {
            sequence += 1;
            let (global_position, transaction_id): (i64, i64) = on_tx!(tx, conn => {
                sqlx::query_as(insert)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(sequence)
                    .bind(&event.event_type)
                    .bind(&event.event_version)
                    .bind(&event.payload)
                    .bind(ctx.organization_id)
                    .bind(ctx.actor.id)
                    .bind(ctx.actor.kind.as_str())
                    .bind(ctx.occurred_at)
                    .bind(ctx.correlation_id)
                    .bind(ctx.causation_id)
                    .bind(&ctx.request_source)
                    .fetch_one(conn)
                    .await
                    .map_err(|e| AppendStage::Events(e.into()))?
            });
            last = LogPosition {
                transaction_id,
                global_position,
            };
        }
        if let Some(key) = &ctx.idempotency {
            on_tx!(tx, conn => {
                sqlx::query(
                    "INSERT INTO idempotency_keys (organization_id, idempotency_key, request, \
                     aggregate_type, aggregate_id, last_sequence, transaction_id, global_position, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(ctx.organization_id)
                .bind(&key.key)
                .bind(&key.request)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .bind(sequence)
                .bind(last.transaction_id)
                .bind(last.global_position)
                .bind(ctx.occurred_at)
                .execute(conn)
                .await
                .map_err(|e| AppendStage::Idempotency(e.into()))?;
            });
        }
        Ok(CommandOutcome {
            aggregate_id: aggregate_id.to_owned(),
            position: last,
            sequence,
            replayed: false,
        })
    }
}

const INSERT_EVENT_PG: &str =
    "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
    event_version, payload, organization_id, actor_id, actor_kind, occurred_at, correlation_id, \
    causation_id, request_source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
    RETURNING global_position, (transaction_id::text)::bigint";
const INSERT_EVENT_SQLITE: &str =
    "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
    event_version, payload, organization_id, actor_id, actor_kind, occurred_at, correlation_id, \
    causation_id, request_source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
    RETURNING global_position, transaction_id";

enum Idempotent {
    Unused,
    Replay(CommandOutcome),
    Reused,
}

enum AppendStage {
    Events(StoreError),
    Idempotency(StoreError),
}

/// Why an append did not commit.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("optimistic concurrency conflict")]
    Conflict,
    #[error("idempotency key reused for a different request")]
    IdempotencyKeyReused,
    #[error("a concurrent request with the same idempotency key committed first")]
    Replayed(CommandOutcome),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        AppendError::Store(e.into())
    }
}

fn to_serialized(row: &EventRow) -> Result<SerializedEvent, StoreError> {
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
        // Aggregates here are short-lived streams; snapshots are not stored.
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
        let sql = match self.db.backend() {
            Backend::Postgres => format!(
                "SELECT {EVENT_COLUMNS_PG} FROM events WHERE aggregate_type = $1 ORDER BY global_position"
            ),
            Backend::Sqlite => format!(
                "SELECT {EVENT_COLUMNS_SQLITE} FROM events WHERE aggregate_type = $1 ORDER BY global_position"
            ),
        };
        let rows: Vec<EventRow> = on_read!(&self.db, pool => {
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
