//! The event store: runs commands on aggregates loaded from their events, with
//! idempotency keys; [`append`] writes the events atomically with optimistic concurrency,
//! and [`cqrs`] implements cqrs-es's `PersistedEventRepository` over the same table.

mod append;
mod cqrs;
mod group;
mod snapshot;

use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use tokio::sync::watch;
use tracing::Instrument;
use uuid::Uuid;

pub use append::AppendError;
pub use snapshot::ExecutePolicy;
use snapshot::{Loaded, RETRY_STRIPES};

use crate::db::{Backend, Db};
use crate::error::StoreError;
use crate::event::{EventRow, LogPosition, NewEvent, EVENT_COLUMNS_PG, EVENT_COLUMNS_SQLITE};
use crate::metadata::{CommandContext, IdempotencyKey};
use crate::on_read;
use crate::upcast::Upcasters;
use cqrs::to_serialized;

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
    /// Where retried commands of one aggregate queue in this process ([`ExecutePolicy`]).
    retry_locks: Arc<[tokio::sync::Mutex<()>]>,
    /// The appends waiting for a writer ([`group`]).
    group: Arc<group::GroupCommit>,
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
            retry_locks: (0..RETRY_STRIPES)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
            group: Arc::default(),
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
        let loaded = self
            .replay_onto(aggregate_id, Loaded::<A>::default())
            .await?;
        Ok((loaded.aggregate, loaded.sequence, loaded.organization))
    }

    /// Applies the aggregate's events after `start.sequence` to `start`.
    async fn replay_onto<A: Aggregate>(
        &self,
        aggregate_id: &str,
        mut start: Loaded<A>,
    ) -> Result<Loaded<A>, StoreError> {
        let rows = self
            .aggregate_rows(A::TYPE, aggregate_id, start.sequence)
            .await?;
        for row in rows {
            start.sequence = row.sequence;
            start.organization = Some(row.organization_id);
            let serialized = self.upcasters.upcast(to_serialized(&row)?);
            let event: A::Event = serde_json::from_value(serialized.payload)?;
            start.aggregate.apply(event);
        }
        Ok(start)
    }

    async fn aggregate_rows(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: i64,
    ) -> Result<Vec<EventRow>, StoreError> {
        let sql = self.select_events(
            "aggregate_type = $1 AND aggregate_id = $2 AND sequence > $3 ORDER BY sequence",
        );
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

    /// `SELECT` of whole event rows `WHERE {condition}`, in this backend's column forms.
    fn select_events(&self, condition: &str) -> String {
        let columns = match self.db.backend() {
            Backend::Postgres => EVENT_COLUMNS_PG,
            Backend::Sqlite => EVENT_COLUMNS_SQLITE,
        };
        format!("SELECT {columns} FROM events WHERE {condition}")
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
        let policy = ExecutePolicy::default();
        self.attempt::<A>(ctx, aggregate_id, command, services, policy, true)
            .instrument(command_span::<A>(ctx, aggregate_id))
            .await
    }

    /// [`execute`](Self::execute) with snapshots and retries as `policy` says: a command
    /// that lost the sequence race is decided again on the fresh state (its retries queue
    /// behind each other in this process), up to `policy.retries` times.
    pub async fn execute_with<A>(
        &self,
        ctx: &CommandContext,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
        policy: ExecutePolicy,
    ) -> Result<CommandOutcome, CommandError<A::Error>>
    where
        A: Aggregate,
        A::Command: Clone + Send,
        A::Error: Send,
    {
        async move {
            let mut retried = 0;
            loop {
                let _queued = if retried == 0 {
                    None
                } else {
                    Some(self.retry_lock(A::TYPE, aggregate_id).lock().await)
                };
                let attempt = self
                    .attempt::<A>(
                        ctx,
                        aggregate_id,
                        command.clone(),
                        services,
                        policy,
                        retried == 0,
                    )
                    .await;
                match attempt {
                    Err(CommandError::Conflict) if retried < policy.retries => {
                        retried += 1;
                        tracing::debug!(retried, "lost the sequence race; deciding again");
                    }
                    other => return other,
                }
            }
        }
        .instrument(command_span::<A>(ctx, aggregate_id))
        .await
    }

    /// One load → decide → append. The idempotency key is not looked up first: the use
    /// cases answer retries before deciding ([`EventStore::replay_of`]), and a key that
    /// was used meanwhile fails the append's insert, which rolls everything back and
    /// answers as the replay; a refusal also checks the key, so a retry whose state moved
    /// on still gets the first answer.
    /// The log position of the aggregate's last event, if it has any.
    async fn last_position_of(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Option<LogPosition>, StoreError> {
        let transaction = match self.db.backend() {
            Backend::Postgres => "(transaction_id::text)::bigint",
            Backend::Sqlite => "transaction_id",
        };
        let sql = format!(
            "SELECT {transaction}, global_position FROM events WHERE aggregate_type = $1 \
             AND aggregate_id = $2 ORDER BY sequence DESC LIMIT 1"
        );
        let row: Option<(i64, i64)> = on_read!(&self.db, pool => {
            sqlx::query_as(&sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(transaction_id, global_position)| LogPosition {
            transaction_id,
            global_position,
        }))
    }

    async fn attempt<A>(
        &self,
        ctx: &CommandContext,
        aggregate_id: &str,
        command: A::Command,
        services: &A::Services,
        policy: ExecutePolicy,
        first: bool,
    ) -> Result<CommandOutcome, CommandError<A::Error>>
    where
        A: Aggregate,
        A::Command: Send,
        A::Error: Send,
    {
        let loaded = match policy.snapshot_every {
            Some(_) => self.load_from_snapshot::<A>(aggregate_id).await?,
            None => {
                self.replay_onto(aggregate_id, Loaded::<A>::default())
                    .await?
            }
        };
        let Loaded {
            mut aggregate,
            sequence,
            organization,
            snapshot_sequence,
        } = loaded;
        if organization.is_some_and(|org| org != ctx.organization_id) {
            return self
                .unless_replayed(ctx, CommandError::ForeignAggregate)
                .await;
        }
        let sink = EventSink::<A>::default();
        if let Err(refusal) = aggregate.handle(command, services, &sink).await {
            return self
                .unless_replayed(ctx, CommandError::Domain(refusal))
                .await;
        }
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
        if new_events.is_empty() {
            // Nothing to record (an intake delivered again, a timer with nothing due):
            // the answer is the aggregate as it stands, at its last event.
            let position = self
                .last_position_of(A::TYPE, aggregate_id)
                .await?
                .unwrap_or(LogPosition::START);
            return Ok(CommandOutcome {
                aggregate_id: aggregate_id.to_owned(),
                position,
                sequence,
                replayed: false,
            });
        }
        let hold = first
            .then(|| self.decided.lock().ok().and_then(|d| d.clone()))
            .flatten();
        if let Some(barrier) = hold {
            barrier.wait().await;
        }
        match self
            .append(ctx, A::TYPE, aggregate_id, sequence, &new_events)
            .await
        {
            Ok(outcome) => {
                let due = policy
                    .snapshot_every
                    .is_some_and(|every| outcome.sequence - snapshot_sequence >= every);
                if due && !outcome.replayed {
                    // The sink applied the new events as the command wrote them.
                    self.save_snapshot(
                        aggregate_id,
                        ctx.organization_id,
                        outcome.sequence,
                        &aggregate,
                    )
                    .await;
                }
                Ok(outcome)
            }
            // An identical retry racing the first request on the same aggregate loses the
            // sequence race; if the first committed, answer as a replay.
            Err(AppendError::Conflict) => self.unless_replayed(ctx, CommandError::Conflict).await,
            Err(AppendError::IdempotencyKeyReused) => Err(CommandError::IdempotencyKeyReused),
            Err(AppendError::Replayed(outcome)) => Ok(outcome),
            Err(AppendError::Store(e)) => Err(CommandError::Store(e)),
        }
    }

    /// `refusal`, unless the command's idempotency key already answered a request: then
    /// that request's outcome (or a refusal of the reused key).
    async fn unless_replayed<E: std::error::Error>(
        &self,
        ctx: &CommandContext,
        refusal: CommandError<E>,
    ) -> Result<CommandOutcome, CommandError<E>> {
        let Some(key) = &ctx.idempotency else {
            return Err(refusal);
        };
        match self.find_idempotent(ctx.organization_id, key).await? {
            Idempotent::Replay(outcome) => {
                tracing::debug!("idempotency key matched; nothing appended");
                Ok(outcome)
            }
            Idempotent::Reused => Err(CommandError::IdempotencyKeyReused),
            Idempotent::Unused => Err(refusal),
        }
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
}

fn command_span<A: Aggregate>(ctx: &CommandContext, aggregate_id: &str) -> tracing::Span {
    tracing::info_span!(
        "command",
        aggregate = A::TYPE,
        aggregate_id,
        organization_id = %ctx.organization_id,
        correlation_id = %ctx.correlation_id,
    )
}

enum Idempotent {
    Unused,
    Replay(CommandOutcome),
    Reused,
}
