//! Group commit: the appends that arrive while a writer is busy wait in one queue, and the
//! next writer appends them together: one transaction, one multi-row `INSERT INTO events`,
//! one multi-row `INSERT INTO idempotency_keys`, one `COMMIT` (one fsync) and one wake-up.
//! With synchronous commit the fsync and the round trips are what a command waits on, so
//! sharing them is what lets the write rate approach the INSERT ceiling.
//!
//! Each command keeps its own optimistic sequence check. The database's uniqueness stays
//! the judge (several processes may write to one PostgreSQL): when the batched statement
//! is refused, the whole transaction rolls back (nothing half-written) and the batch's
//! commands are appended again one by one, so each gets its own outcome: the one that
//! lost a race gets its conflict, the others commit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use super::{AppendError, CommandOutcome, EventStore};
use crate::db::{Backend, DbTx};
use crate::error::StoreError;
use crate::event::{LogPosition, NewEvent};
use crate::metadata::CommandContext;
use crate::on_tx;

/// How many batches may be in flight at once. Two lets one batch's commit (its fsync)
/// overlap the next batch's statements, and PostgreSQL groups their flushes itself;
/// more only makes each batch smaller. SQLite's single writer connection serializes them.
const WRITERS: usize = 2;
/// At most this many commands in one batch…
const MAX_COMMANDS: usize = 64;
/// …and this many events: 13 parameters each stays under SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters.
const MAX_EVENTS: usize = 1_000;

/// One command's append, as it waits in the queue.
pub(super) struct AppendRequest {
    pub ctx: CommandContext,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub expected_sequence: i64,
    pub events: Vec<NewEvent>,
}

struct Pending {
    request: AppendRequest,
    reply: oneshot::Sender<Result<CommandOutcome, AppendError>>,
}

/// The queue of appends and how many writers drain it.
#[derive(Default)]
pub(super) struct GroupCommit {
    state: Mutex<Queue>,
    /// Signalled at every push, for a writer gathering a batch ([`EventStore::gather_appends`]).
    arrived: tokio::sync::Notify,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Queue {
    pending: VecDeque<Pending>,
    writers: usize,
    /// When non-zero, the next batch waits until this many appends are queued.
    gather: usize,
}

enum Next {
    Batch(Vec<Pending>),
    /// Fewer appends are queued than the next batch gathers.
    Wait,
    Retired,
}

impl GroupCommit {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // A writer that panicked left the queue consistent (every change is one step).
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `pending`; true when the caller must start a writer (fewer than
    /// [`WRITERS`] are draining the queue).
    fn push(&self, pending: Pending) -> bool {
        let mut queue = self.lock();
        queue.pending.push_back(pending);
        let start = queue.writers < WRITERS;
        if start {
            queue.writers += 1;
        }
        drop(queue);
        self.arrived.notify_waiters();
        start
    }

    /// The next batch, or None (and this writer retires) when the queue is empty. The
    /// check and the retirement are one step under the lock, so no append is left queued
    /// without a writer.
    fn next_batch(&self, slot: &mut WriterSlot) -> Next {
        let mut queue = self.lock();
        if queue.gather > 0 {
            if queue.pending.len() < queue.gather {
                return Next::Wait;
            }
            queue.gather = 0;
        }
        if queue.pending.is_empty() {
            queue.writers -= 1;
            slot.retired = true;
            return Next::Retired;
        }
        let mut batch = Vec::new();
        let mut events = 0;
        while let Some(next) = queue.pending.front() {
            let size = next.request.events.len();
            if !batch.is_empty() && (batch.len() == MAX_COMMANDS || events + size > MAX_EVENTS) {
                break;
            }
            events += size;
            batch.extend(queue.pending.pop_front());
        }
        Next::Batch(batch)
    }
}

/// A writer's place in [`Queue::writers`]; given back if the writer ends without retiring
/// (its task was dropped or panicked), so later appends still start writers.
struct WriterSlot {
    group: Arc<GroupCommit>,
    retired: bool,
}

impl Drop for WriterSlot {
    fn drop(&mut self) {
        if !self.retired {
            self.group.lock().writers -= 1;
        }
    }
}

impl EventStore {
    /// Queues one append and waits for its outcome. The writer runs in its own task, so a
    /// caller that stops waiting (a client that hung up) cannot stop the others' commit.
    pub(super) async fn append_grouped(
        &self,
        request: AppendRequest,
    ) -> Result<CommandOutcome, AppendError> {
        let (reply, answer) = oneshot::channel();
        if self.group.push(Pending { request, reply }) {
            let store = self.clone();
            let slot = WriterSlot {
                group: self.group.clone(),
                retired: false,
            };
            tokio::spawn(async move { store.drain(slot).await });
        }
        answer
            .await
            .map_err(|_| AppendError::Store(StoreError::Metadata("the append writer stopped")))?
    }

    /// Makes the next batch wait until `appends` appends are queued (then it takes them
    /// all, up to its limits). Tests use it to put concurrent commands in one batch for
    /// certain, instead of accepting whatever batches the timing gave.
    pub fn gather_appends(&self, appends: usize) {
        self.group.lock().gather = appends;
    }

    async fn drain(&self, mut slot: WriterSlot) {
        loop {
            // Registered before the check, so a push between the two is not missed.
            let arrived = self.group.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            match self.group.next_batch(&mut slot) {
                Next::Batch(batch) => self.write_batch(batch).await,
                Next::Wait => arrived.await,
                Next::Retired => return,
            }
        }
    }

    async fn write_batch(&self, batch: Vec<Pending>) {
        if batch.len() > 1 {
            match self.append_together(&batch).await {
                Together::Committed(outcomes) => {
                    // Tailers are woken before anyone hears of the commit, as for one append.
                    self.notify_appended();
                    for (pending, outcome) in batch.into_iter().zip(outcomes) {
                        // A caller that stopped waiting needs no answer.
                        let _ = pending.reply.send(Ok(outcome));
                    }
                    self.wake_other_processes().await;
                    return;
                }
                Together::Unknown(error) => {
                    // The commit's outcome is unknown: appending again could write twice.
                    self.notify_appended();
                    tracing::warn!(%error, commands = batch.len(), "group commit failed");
                    for pending in batch {
                        let error = sqlx::Error::Protocol(format!("group commit failed: {error}"));
                        let _ = pending.reply.send(Err(AppendError::Store(error.into())));
                    }
                    return;
                }
                Together::Refused(error) => {
                    tracing::debug!(%error, commands = batch.len(), "batch refused; appending one by one");
                }
            }
        }
        for pending in batch {
            let outcome = self.append_alone(&pending.request).await;
            let _ = pending.reply.send(outcome);
        }
    }

    /// Every command of `batch` in one transaction; their outcomes in `batch`'s order.
    async fn append_together(&self, batch: &[Pending]) -> Together {
        let mut tx = match self.db.begin().await {
            Ok(tx) => tx,
            Err(error) => return Together::Refused(error),
        };
        let written = insert_batch(&mut tx, batch).await;
        match written {
            Ok(outcomes) => match tx.commit().await {
                Ok(()) => Together::Committed(outcomes),
                Err(error) if error.is_unique_violation() => Together::Refused(error),
                Err(error) => Together::Unknown(error),
            },
            Err(error) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %rollback, "rollback of a refused batch failed");
                }
                Together::Refused(error)
            }
        }
    }
}

enum Together {
    Committed(Vec<CommandOutcome>),
    /// Nothing was written; each command may be appended on its own.
    Refused(StoreError),
    /// The commit failed without saying whether it happened.
    Unknown(StoreError),
}

/// The batch's events in one statement, then its idempotency records in another.
async fn insert_batch(tx: &mut DbTx, batch: &[Pending]) -> Result<Vec<CommandOutcome>, StoreError> {
    let returning = match tx.backend() {
        Backend::Postgres => {
            " RETURNING aggregate_type, aggregate_id, sequence, global_position, \
             (transaction_id::text)::bigint"
        }
        Backend::Sqlite => {
            " RETURNING aggregate_type, aggregate_id, sequence, global_position, transaction_id"
        }
    };
    let rows = batch.iter().flat_map(|pending| {
        let request = &pending.request;
        (1_i64..)
            .zip(&request.events)
            .map(move |(offset, event)| (request, request.expected_sequence + offset, event))
    });
    let returned: Vec<(String, String, i64, i64, i64)> = on_tx!(tx, conn => {
        let mut qb = crate::sql::QueryBuilder::new(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, organization_id, actor_id, actor_kind, occurred_at, \
             correlation_id, causation_id, request_source) ",
        );
        qb.push_values(rows, |mut row, (request, sequence, event)| {
            let ctx = &request.ctx;
            row.push_bind(&request.aggregate_type)
                .push_bind(&request.aggregate_id)
                .push_bind(sequence)
                .push_bind(&event.event_type)
                .push_bind(&event.event_version)
                .push_bind(&event.payload)
                .push_bind(ctx.organization_id)
                .push_bind(ctx.actor.id)
                .push_bind(ctx.actor.kind.as_str())
                .push_bind(ctx.occurred_at)
                .push_bind(ctx.correlation_id)
                .push_bind(ctx.causation_id)
                .push_bind(&ctx.request_source);
        });
        qb.push(returning);
        qb.build_query_as().fetch_all(conn).await?
    });
    // Matched by key, not by the order of the returned rows, which SQL does not promise.
    let positions: HashMap<(&str, &str, i64), LogPosition> = returned
        .iter()
        .map(|(kind, id, sequence, global_position, transaction_id)| {
            let position = LogPosition {
                transaction_id: *transaction_id,
                global_position: *global_position,
            };
            ((kind.as_str(), id.as_str(), *sequence), position)
        })
        .collect();
    let outcomes = batch
        .iter()
        .map(|pending| {
            let request = &pending.request;
            let sequence = request.expected_sequence + request.events.len() as i64;
            let key = (
                request.aggregate_type.as_str(),
                request.aggregate_id.as_str(),
                sequence,
            );
            let position = positions
                .get(&key)
                .copied()
                .ok_or(StoreError::Metadata("an appended event was not returned"))?;
            Ok(CommandOutcome {
                aggregate_id: request.aggregate_id.clone(),
                position,
                sequence,
                replayed: false,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let keyed: Vec<(&AppendRequest, &CommandOutcome)> = batch
        .iter()
        .zip(&outcomes)
        .filter(|(pending, _)| pending.request.ctx.idempotency.is_some())
        .map(|(pending, outcome)| (&pending.request, outcome))
        .collect();
    if !keyed.is_empty() {
        on_tx!(tx, conn => {
            let mut qb = crate::sql::QueryBuilder::new(
                "INSERT INTO idempotency_keys (organization_id, idempotency_key, request, \
                 aggregate_type, aggregate_id, last_sequence, transaction_id, global_position, \
                 created_at) ",
            );
            qb.push_values(keyed, |mut row, (request, outcome)| {
                let ctx = &request.ctx;
                let (key, body) = ctx
                    .idempotency
                    .as_ref()
                    .map(|k| (k.key.as_str(), k.request.as_str()))
                    .unwrap_or_default();
                row.push_bind(ctx.organization_id)
                    .push_bind(key)
                    .push_bind(body)
                    .push_bind(&request.aggregate_type)
                    .push_bind(&request.aggregate_id)
                    .push_bind(outcome.sequence)
                    .push_bind(outcome.position.transaction_id)
                    .push_bind(outcome.position.global_position)
                    .push_bind(ctx.occurred_at);
            });
            qb.build().execute(conn).await?;
        });
    }
    Ok(outcomes)
}
