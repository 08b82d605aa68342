//! Catch-up projections: read models built from the log, each batch applied in one
//! transaction together with the projections' checkpoints, so a crash never loses or
//! double-applies an event. Checkpoints advance by compare-and-set, so two projector
//! processes racing on the same database cannot both apply a batch.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::{Db, DbTx};
use crate::error::StoreError;
use crate::event::{LogPosition, RecordedEvent};
use crate::leadership::Leadership;
use crate::log::LogReader;
use crate::quarantine;
use crate::{on_read, on_tx};

mod rebuild;
mod shadow;

use rebuild::RebuildHold;

/// Events per batch of a live projector: a few at a time in practice, this many after
/// a pause.
const BATCH_SIZE: i64 = 1000;
/// Events per batch of a rebuild: larger batches amortize each batch's checkpoint
/// claim, load query and commit over more events.
const REBUILD_BATCH_SIZE: i64 = 5000;

/// A read model fed by the log.
#[async_trait]
pub trait Projection: Send + Sync + 'static {
    /// Stable name: the checkpoint key and the `projections rebuild NAME` argument.
    fn name(&self) -> &'static str;
    /// The read-model tables this projection owns; emptied on rebuild.
    fn tables(&self) -> &'static [&'static str];
    /// Applies one event inside the batch transaction. Events this projection does not
    /// care about are ignored.
    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError>;

    /// Applies a batch of events, in log order, inside the batch transaction. The result
    /// must not depend on where batches begin or end: a live server applies a few events
    /// at a time, a rebuild a thousand. The default applies them one by one; projections
    /// whose per-event writes dominate a replay override it to write set-based.
    async fn apply_batch(&self, tx: &mut DbTx, events: &[RecordedEvent]) -> Result<(), StoreError> {
        for event in events {
            self.apply(tx, event)
                .await
                .map_err(|e| projection_error(self.name(), event, e))?;
        }
        Ok(())
    }
}

/// Wraps a projection's failure with the projection's name and the event's position
/// (kept as is when it already says which).
pub fn projection_error(name: &str, event: &RecordedEvent, error: StoreError) -> StoreError {
    match error {
        StoreError::Projection { .. } => error,
        other => StoreError::Projection {
            projection: name.to_owned(),
            position: event.position.global_position,
            source: Box::new(other),
        },
    }
}

struct Inner {
    db: Db,
    reader: LogReader,
    projections: Vec<Arc<dyn Projection>>,
    /// The lowest checkpoint over all projections: everything at or below it is in every
    /// read model.
    progress: watch::Sender<LogPosition>,
    /// Whether the spawned loop currently leads (always true on SQLite).
    leader: watch::Sender<bool>,
    batch_size: i64,
    rebuild_batch_size: i64,
    /// Test hook: where a rebuild stops before putting its tables in place.
    rebuild_hold: RebuildHold,
    /// While set, the spawned loop applies nothing ([`Projector::hold`]).
    held: std::sync::atomic::AtomicBool,
    /// Held by the spawned loop for each pass (reading `held`, then applying), so that
    /// [`Projector::hold`] can wait out a pass already under way.
    pass: tokio::sync::Mutex<()>,
}

/// Runs the registered projections.
#[derive(Clone)]
pub struct Projector {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projector")
            .field("projections", &self.names())
            .finish()
    }
}

impl Projector {
    /// Registers `projections`, creating their checkpoints if they are new.
    pub async fn new(
        db: Db,
        reader: LogReader,
        projections: Vec<Arc<dyn Projection>>,
    ) -> Result<Self, StoreError> {
        for projection in &projections {
            crate::on_write!(&db, pool => {
                sqlx::query(
                    "INSERT INTO projection_checkpoints (name, transaction_id, global_position) \
                     VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING",
                )
                .bind(projection.name())
                .execute(pool)
                .await?;
            });
        }
        let projector = Self::assemble(db, reader, projections, BATCH_SIZE, REBUILD_BATCH_SIZE);
        projector.publish_progress(&projector.checkpoints().await?);
        Ok(projector)
    }

    fn assemble(
        db: Db,
        reader: LogReader,
        projections: Vec<Arc<dyn Projection>>,
        batch_size: i64,
        rebuild_batch_size: i64,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                reader,
                projections,
                progress: watch::channel(LogPosition::START).0,
                leader: watch::channel(false).0,
                batch_size,
                rebuild_batch_size,
                rebuild_hold: RebuildHold::default(),
                held: std::sync::atomic::AtomicBool::new(false),
                pass: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// A projector over the same database and projections that reads `size` events per
    /// batch, in catch-up and in rebuilds alike (default 1,000 and 5,000). Read models
    /// must not depend on it: tests rebuild with tiny batches to prove that a batch
    /// boundary anywhere gives the same rows.
    pub fn with_batch_size(&self, size: i64) -> Self {
        let inner = &self.inner;
        let projector = Self::assemble(
            inner.db.clone(),
            inner.reader.clone(),
            inner.projections.clone(),
            size.max(1),
            size.max(1),
        );
        projector.publish_progress(&[*inner.progress.borrow()]);
        projector
    }

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    pub(crate) fn reader(&self) -> &LogReader {
        &self.inner.reader
    }

    pub(crate) fn projection(&self, name: &str) -> Option<&Arc<dyn Projection>> {
        self.inner.projections.iter().find(|p| p.name() == name)
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.inner.projections.iter().map(|p| p.name()).collect()
    }

    /// Current checkpoint of every registered projection, in registration order.
    pub async fn checkpoints(&self) -> Result<Vec<LogPosition>, StoreError> {
        let rows: Vec<(String, i64, i64)> = on_read!(&self.inner.db, pool => {
            sqlx::query_as("SELECT name, transaction_id, global_position FROM projection_checkpoints")
                .fetch_all(pool)
                .await?
        });
        self.inner
            .projections
            .iter()
            .map(|p| {
                rows.iter()
                    .find(|(name, _, _)| name == p.name())
                    .map(|(_, transaction_id, global_position)| LogPosition {
                        transaction_id: *transaction_id,
                        global_position: *global_position,
                    })
                    .ok_or_else(|| StoreError::UnknownProjection(p.name().to_owned()))
            })
            .collect()
    }

    fn publish_progress(&self, checkpoints: &[LogPosition]) {
        if let Some(min) = checkpoints.iter().min() {
            self.inner.progress.send_if_modified(|current| {
                let changed = *current != *min;
                *current = *min;
                changed
            });
        }
    }

    /// Applies every event not yet applied, batch by batch; returns how many events were
    /// read from the log.
    ///
    /// A batch is applied set-based in one go. When a projection refuses it for a reason
    /// of its data (not an outage: [`StoreError::is_transient`]), the batch is rolled back
    /// and applied again event by event, and each event the projection still refuses is
    /// quarantined for that projection ([`crate::quarantine`]) instead of stopping every
    /// read model, every organization and every read-your-writes wait behind it.
    pub async fn catch_up(&self) -> Result<u64, StoreError> {
        let mut read = 0u64;
        loop {
            let checkpoints = self.checkpoints().await?;
            self.publish_progress(&checkpoints);
            let Some(from) = checkpoints.iter().min().copied() else {
                return Ok(read);
            };
            let batch = self
                .inner
                .reader
                .read_after(from, self.inner.batch_size)
                .await?;
            if batch.is_empty() {
                return Ok(read);
            }
            read += batch.len() as u64;
            // On a lost race, start again from the winner's checkpoints.
            if let Some(checkpoints) = self.apply_read(&batch, checkpoints).await? {
                self.publish_progress(&checkpoints);
            }
        }
    }

    /// Applies `batch` (read after the lowest of `checkpoints`) in one transaction, again
    /// event by event when a projection refuses it for a reason of its data. Returns the
    /// checkpoints it committed, or `None` when another projector claimed the batch first.
    pub(crate) async fn apply_read(
        &self,
        batch: &[RecordedEvent],
        checkpoints: Vec<LogPosition>,
    ) -> Result<Option<Vec<LogPosition>>, StoreError> {
        let mut careful = false;
        loop {
            let mut moved = checkpoints.clone();
            match self.apply_once(batch, &mut moved, careful).await? {
                Retry::No => return Ok(Some(moved)),
                Retry::LostRace => return Ok(None),
                Retry::Carefully => careful = true,
            }
        }
    }

    /// One attempt at [`Projector::apply_read`]: commits, or rolls back and says why.
    async fn apply_once(
        &self,
        batch: &[RecordedEvent],
        checkpoints: &mut [LogPosition],
        careful: bool,
    ) -> Result<Retry, StoreError> {
        let Some(last) = batch.last().map(|e| e.position) else {
            return Ok(Retry::No);
        };
        let mut tx = self.inner.db.begin().await?;
        if self.inner.db.backend() == crate::Backend::Postgres {
            // Read models are derived from the (durably committed) log: a batch lost in
            // a crash is applied again from its checkpoint, which commits with it. Not
            // waiting for its WAL flush takes one fsync off every command's path (a
            // mutation answers once the read models include its events).
            on_tx!(&mut tx, conn => {
                sqlx::query("SET LOCAL synchronous_commit = off").execute(conn).await?;
            });
        }
        for (projection, checkpoint) in self.inner.projections.iter().zip(checkpoints.iter_mut()) {
            if *checkpoint >= last {
                continue;
            }
            // Claim the batch before applying it: the compare-and-set locks the
            // checkpoint row, so a racing projector waits here and then loses, instead
            // of applying the same events (and failing on the read model's keys). It
            // also says whether this projection has events in quarantine.
            let Some(quarantined) = claim(&mut tx, projection.name(), *checkpoint, last).await?
            else {
                tx.rollback().await?;
                return Ok(Retry::LostRace);
            };
            let unapplied = &batch[batch.partition_point(|e| e.position <= *checkpoint)..];
            if let Some(first) = unapplied.first() {
                let applied = if careful || quarantined > 0 {
                    quarantine::apply_guarded(&mut tx, projection.as_ref(), unapplied, careful)
                        .await
                } else {
                    projection.apply_batch(&mut tx, unapplied).await
                };
                match applied {
                    Ok(()) => {}
                    Err(error) if !careful && !error.is_transient() => {
                        tracing::warn!(projection = projection.name(), %error,
                            "a batch was refused; applying it event by event to find the event");
                        tx.rollback().await?;
                        return Ok(Retry::Carefully);
                    }
                    Err(error) => return Err(projection_error(projection.name(), first, error)),
                }
            }
            *checkpoint = last;
        }
        if self.inner.db.backend() == crate::Backend::Postgres {
            // Followers in other processes learn of the new checkpoint at commit time.
            on_tx!(&mut tx, conn => {
                sqlx::query("SELECT pg_notify('chorus_events', '')").execute(conn).await?;
            });
        }
        tx.commit().await?;
        Ok(Retry::No)
    }

    /// Catches up until every read model includes `position`. On PostgreSQL a single
    /// [`Projector::catch_up`] can stop short: events stay invisible while an older
    /// transaction anywhere in the cluster is open. Used where no projector task runs
    /// (command-line tools) and a later step must see the result.
    pub async fn catch_up_to(
        &self,
        position: LogPosition,
        timeout: Duration,
    ) -> Result<(), StoreError> {
        let deadline = tokio::time::Instant::now() + timeout;
        self.catch_up_until(position, deadline, &mut 0).await
    }

    /// [`catch_up_to`](Self::catch_up_to) with a deadline, adding the events it applies
    /// to `read`.
    pub(crate) async fn catch_up_until(
        &self,
        position: LogPosition,
        deadline: tokio::time::Instant,
        read: &mut u64,
    ) -> Result<(), StoreError> {
        loop {
            *read += self.catch_up().await?;
            if self
                .checkpoints()
                .await?
                .iter()
                .min()
                .is_some_and(|min| *min >= position)
            {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(StoreError::ConsistencyTimeout(position.global_position));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until every read model includes the event at `position`.
    pub async fn wait_for(
        &self,
        position: LogPosition,
        timeout: Duration,
    ) -> Result<(), StoreError> {
        let mut progress = self.inner.progress.subscribe();
        let reached = tokio::time::timeout(timeout, async {
            loop {
                if *progress.borrow_and_update() >= position {
                    return;
                }
                if progress.changed().await.is_err() {
                    return;
                }
            }
        })
        .await;
        match reached {
            Ok(()) if *progress.borrow() >= position => Ok(()),
            _ => Err(StoreError::ConsistencyTimeout(position.global_position)),
        }
    }

    /// Runs the projector until `shutdown` flips: woken by `wake` after local commits and
    /// by a short poll for commits made by other processes.
    ///
    /// One process leads at a time: the leader holds a session advisory lock on its own
    /// connection (PostgreSQL) or an OS lock on a file beside the database (SQLite) and
    /// applies batches; the others only follow the checkpoints
    /// (so [`Projector::wait_for`] works everywhere) and take over when the leader's
    /// connection goes away. Checkpoint compare-and-set keeps it exactly-once regardless.
    pub fn spawn(
        &self,
        mut wake: watch::Receiver<u64>,
        mut shutdown: watch::Receiver<bool>,
        poll: Duration,
    ) -> JoinHandle<()> {
        let projector = self.clone();
        tokio::spawn(async move {
            let mut backoff = poll;
            let mut leadership = Leadership::default();
            loop {
                let leading = leadership.try_lead(&projector.inner.db).await;
                projector
                    .inner
                    .leader
                    .send_if_modified(|l| std::mem::replace(l, leading) != leading);
                let pass = projector.inner.pass.lock().await;
                let held = projector
                    .inner
                    .held
                    .load(std::sync::atomic::Ordering::Acquire);
                let result = if held {
                    Ok(())
                } else if leading {
                    projector.catch_up().await.map(|_| ())
                } else {
                    projector
                        .checkpoints()
                        .await
                        .map(|c| projector.publish_progress(&c))
                };
                drop(pass);
                match result {
                    Ok(()) => backoff = poll,
                    Err(error) => {
                        tracing::error!(%error, "projection batch failed; will retry");
                        // A broken connection may have cost us the lock: reacquire it.
                        leadership = Leadership::default();
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                    }
                }
                tokio::select! {
                    _ = wake.changed() => {}
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.changed() => {}
                }
                if *shutdown.borrow() {
                    break;
                }
            }
        })
    }

    /// Stops (`true`) or resumes (`false`) the spawned loop's applying of events: the read
    /// models then lag the log, as a replica's or a busy projector's do. Tests use it to
    /// show what waits for the read models and what does not.
    /// Returns once no pass that began before the hold is still applying: whatever
    /// commits afterwards stays unapplied until the hold is released.
    pub async fn hold(&self, held: bool) {
        self.inner
            .held
            .store(held, std::sync::atomic::Ordering::Release);
        drop(self.inner.pass.lock().await);
    }

    /// Whether this process's spawned projector currently leads.
    pub fn is_leader(&self) -> bool {
        *self.inner.leader.borrow()
    }
}

/// What to do with a batch transaction that did not run to the end.
enum Retry {
    No,
    /// Another projector claimed the batch first.
    LostRace,
    /// A projection refused the batch for a reason of its data: apply it again event by
    /// event, quarantining what is still refused.
    Carefully,
}

/// Moves `projection`'s checkpoint from `from` to `to` if nobody moved it first (locking
/// its row until the batch commits); returns how many of its events are in quarantine
/// (not counting skipped ones), or `None` when another projector got there first.
async fn claim(
    tx: &mut DbTx,
    projection: &str,
    from: LogPosition,
    to: LogPosition,
) -> Result<Option<i64>, StoreError> {
    let quarantined: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "UPDATE projection_checkpoints SET transaction_id = $1, global_position = $2 \
             WHERE name = $3 AND transaction_id = $4 AND global_position = $5 \
             RETURNING (SELECT count(*) FROM projection_quarantine q \
                         WHERE q.projection = $3 AND q.status <> 'skipped')",
        )
        .bind(to.transaction_id)
        .bind(to.global_position)
        .bind(projection)
        .bind(from.transaction_id)
        .bind(from.global_position)
        .fetch_optional(conn)
        .await?
    });
    Ok(quarantined)
}
