//! Rebuilding read models from the whole log.
//!
//! PostgreSQL: the replay fills shadow tables ([`super::shadow`]) while the live read
//! models keep answering and the live projector keeps applying to them; the rebuilt
//! tables replace the live ones in one transaction, together with the checkpoint. So a
//! rebuild may run beside a live server, and one that fails leaves the live read models
//! as they were. SQLite: the read models are emptied and replayed in place, and the
//! operator's command is refused while a server runs (one writer per file: a shadow
//! replay would stall the live server's writes for as long as it runs anyway).
//!
//! Both replay pipelined: the next batch is read and decoded on a second connection while
//! the current one's statements run.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::shadow::Shadow;
use super::{Projection, Projector};
use crate::db::Db;
use crate::error::StoreError;
use crate::event::{LogPosition, RecordedEvent};
use crate::leadership::{release_rebuild_lock, try_lock_file, try_lock_rebuild};
use crate::{on_tx, on_write};

/// How long a rebuild waits for other transactions on the server to let the commit
/// horizon pass the end of the log.
const REBUILD_HORIZON_WAIT: Duration = Duration::from_secs(600);

/// The test hook of [`Projector::hold_rebuild`].
#[derive(Debug)]
pub(super) struct RebuildHold {
    held: watch::Sender<bool>,
    /// True while a rebuild waits at the hold.
    waiting: watch::Sender<bool>,
}

impl Default for RebuildHold {
    fn default() -> Self {
        Self {
            held: watch::channel(false).0,
            waiting: watch::channel(false).0,
        }
    }
}

impl RebuildHold {
    async fn pass(&self) {
        let mut held = self.held.subscribe();
        if !*held.borrow_and_update() {
            return;
        }
        self.waiting.send_replace(true);
        while *held.borrow_and_update() {
            if held.changed().await.is_err() {
                break;
            }
        }
        self.waiting.send_replace(false);
    }
}

impl Projector {
    /// [`Projector::rebuild`] for operators. On PostgreSQL it runs beside a live server
    /// (the live read models answer until the rebuilt ones replace them); on SQLite it
    /// refuses while another process leads the projections (a running server would serve
    /// half-empty read models during the replay and race the reset), and holds the leader
    /// lock itself until the replay is done.
    pub async fn rebuild_exclusive(&self, name: Option<&str>) -> Result<u64, StoreError> {
        match self.db() {
            Db::Postgres(_) => self.rebuild(name).await,
            Db::Sqlite(pools) => {
                // Held until the replay is done; dropping it releases it.
                let _lock = try_lock_file(pools)?.ok_or(StoreError::ProjectorBusy)?;
                self.rebuild(name).await
            }
        }
    }

    /// Replays the whole log into the read models of `name` (or of every projection);
    /// returns how many events it read. On PostgreSQL into shadow tables that replace the
    /// live ones atomically once complete (with their indexes and statistics); on SQLite
    /// into the emptied live tables (the reset and its checkpoint move are one
    /// transaction).
    pub async fn rebuild(&self, name: Option<&str>) -> Result<u64, StoreError> {
        let selected: Vec<Arc<dyn Projection>> = self
            .inner
            .projections
            .iter()
            .filter(|p| name.is_none_or(|n| n == p.name()))
            .cloned()
            .collect();
        if selected.is_empty() {
            return Err(StoreError::UnknownProjection(
                name.unwrap_or_default().to_owned(),
            ));
        }
        tracing::info!(projections = ?selected.iter().map(|p| p.name()).collect::<Vec<_>>(), "rebuilding");
        match self.db() {
            Db::Postgres(pool) => {
                // One rebuild at a time: they share the shadow schema.
                let lock = try_lock_rebuild(pool)
                    .await?
                    .ok_or(StoreError::RebuildBusy)?;
                let result = match Shadow::create(pool, &selected).await {
                    Ok(shadow) => {
                        let result = self.rebuild_in_shadow(&shadow, selected).await;
                        shadow.discard(pool).await;
                        result
                    }
                    Err(error) => Err(error),
                };
                // Released before returning: a dropped connection lets go of the lock
                // only once its backend notices, so a rebuild right after this one
                // could still find it held.
                release_rebuild_lock(lock).await;
                result
            }
            Db::Sqlite(_) => self.rebuild_in_place(selected).await,
        }
    }

    async fn rebuild_in_shadow(
        &self,
        shadow: &Shadow,
        selected: Vec<Arc<dyn Projection>>,
    ) -> Result<u64, StoreError> {
        let replayer = Projector::assemble(
            shadow.db().clone(),
            self.inner.reader.clone(),
            selected,
            self.inner.batch_size,
            self.inner.rebuild_batch_size,
        );
        let mut replayed = replayer.replay_all().await?;
        shadow.finish_tables().await?;
        self.inner.rebuild_hold.pass().await;
        replayed += shadow.swap(&replayer).await?;
        Ok(replayed)
    }

    async fn rebuild_in_place(
        &self,
        selected: Vec<Arc<dyn Projection>>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.inner.db.begin().await?;
        for projection in &selected {
            // Reset the checkpoint first: that locks its row, so a batch another projector
            // is applying commits before the tables are emptied (and is emptied with them),
            // and a batch that starts later loses its compare-and-set.
            on_tx!(&mut tx, conn => {
                sqlx::query(
                    "UPDATE projection_checkpoints SET transaction_id = 0, global_position = 0 WHERE name = $1",
                )
                .bind(projection.name())
                .execute(&mut *conn)
                .await?;
                // The replay starts from nothing: what it still cannot apply it quarantines
                // again, with today's error.
                sqlx::query("DELETE FROM projection_quarantine WHERE projection = $1")
                    .bind(projection.name())
                    .execute(conn)
                    .await?;
            });
            for table in projection.tables() {
                let sql = format!("DELETE FROM {table}");
                on_tx!(&mut tx, conn => {
                    sqlx::query(&sql).execute(conn).await?;
                });
            }
        }
        tx.commit().await?;
        let replayer = Projector::assemble(
            self.inner.db.clone(),
            self.inner.reader.clone(),
            selected.clone(),
            self.inner.batch_size,
            self.inner.rebuild_batch_size,
        );
        let replayed = replayer.replay_all().await?;
        self.inner.rebuild_hold.pass().await;
        // The tables were refilled from nothing: statistics gathered before (or none at
        // all) make the planner pick the wrong index until autovacuum comes round.
        for projection in &selected {
            for table in projection.tables() {
                let sql = format!("ANALYZE {table}");
                on_write!(&self.inner.db, pool => {
                    sqlx::query(&sql).execute(pool).await?;
                });
            }
        }
        Ok(replayed)
    }

    /// Replays until everything committed before the call is in. One pass stops at the
    /// commit horizon, which any long transaction elsewhere on the server holds back:
    /// keep going until the target is reached, or fail loudly rather than report a
    /// partial replay as done.
    async fn replay_all(&self) -> Result<u64, StoreError> {
        let target = self.inner.reader.last_committed().await?;
        let deadline = tokio::time::Instant::now() + REBUILD_HORIZON_WAIT;
        let mut replayed = 0;
        loop {
            replayed += self.replay().await?;
            let reached = match target {
                None => true,
                Some(target) => self
                    .checkpoints()
                    .await?
                    .iter()
                    .min()
                    .is_some_and(|min| *min >= target),
            };
            if reached {
                return Ok(replayed);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(StoreError::ConsistencyTimeout(
                    target.map_or(0, |t| t.global_position),
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// [`Projector::catch_up`] in rebuild-sized batches, with the next batch read while
    /// the current one is applied: a task reads ahead on the log reader's connection
    /// (one batch in the channel, one in the making), so decoding and PostgreSQL's
    /// writes overlap instead of taking turns.
    async fn replay(&self) -> Result<u64, StoreError> {
        let mut checkpoints = self.checkpoints().await?;
        let Some(from) = checkpoints.iter().min().copied() else {
            return Ok(0);
        };
        let (sender, mut batches) = mpsc::channel::<Result<Vec<RecordedEvent>, StoreError>>(1);
        let reader = self.inner.reader.clone();
        let size = self.inner.rebuild_batch_size;
        let read_ahead = tokio::spawn(async move {
            let mut after: LogPosition = from;
            loop {
                let batch = reader.read_after(after, size).await;
                let next = batch
                    .as_ref()
                    .ok()
                    .and_then(|b| b.last())
                    .map(|e| e.position);
                if sender.send(batch).await.is_err() {
                    return;
                }
                match next {
                    Some(next) => after = next,
                    None => return,
                }
            }
        });
        let mut read = 0u64;
        let result = async {
            while let Some(batch) = batches.recv().await {
                let batch = batch?;
                if batch.is_empty() {
                    break;
                }
                read += batch.len() as u64;
                match self.apply_read(&batch, checkpoints).await? {
                    Some(moved) => checkpoints = moved,
                    // Another projector moved the checkpoints: the caller starts again
                    // from them.
                    None => break,
                }
            }
            Ok::<(), StoreError>(())
        }
        .await;
        read_ahead.abort();
        result.map(|()| read)
    }

    /// Test hook: while held, a rebuild stops once its replay is done, before its tables
    /// replace the live ones (on SQLite, before it analyzes them), so a test can read the
    /// live read models, append events or end the rebuild right there.
    pub fn hold_rebuild(&self, held: bool) {
        self.inner.rebuild_hold.held.send_replace(held);
    }

    /// Waits up to `timeout` for a rebuild to wait at [`Projector::hold_rebuild`]; returns
    /// whether one does.
    pub async fn rebuild_is_held(&self, timeout: Duration) -> bool {
        let mut waiting = self.inner.rebuild_hold.waiting.subscribe();
        tokio::time::timeout(timeout, waiting.wait_for(|w| *w))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}
