//! Snapshots and contention for long-lived aggregates that opt in ([`ExecutePolicy`]): the
//! state is stored every few events and loaded with only the events after it, and a
//! command that lost the sequence race is decided again on the fresh state.
//!
//! A snapshot is derived data: the events stay the source of truth. One that no longer
//! decodes (the aggregate's shape changed) is ignored and replaced at the next command,
//! and [`EventStore::discard_snapshots`] drops an aggregate type's snapshots, e.g. after an
//! upcaster changed what its past events mean.

use cqrs_es::Aggregate;
use uuid::Uuid;

use super::EventStore;
use crate::error::StoreError;
use crate::on_read;
use crate::on_write;

/// How the store runs one aggregate type's commands; the use case chooses. The default
/// (no snapshots, no retries) is right for short streams, where a lost race is the
/// caller's to settle (`CONFLICT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExecutePolicy {
    /// Store the state once this many events have followed the last snapshot.
    pub snapshot_every: Option<i64>,
    /// How many times a command that lost the sequence race to another one is decided
    /// again on the fresh state before the caller gets `CONFLICT`. Only for aggregates
    /// whose commands are correct to re-decide (the domain checks its invariants against
    /// the state it is handed, so a retry sees the winner's change).
    pub retries: u32,
}

/// What a load found: the aggregate, its last sequence, its organization (None for a new
/// aggregate) and the sequence its snapshot was taken at (0: none).
pub(super) struct Loaded<A> {
    pub aggregate: A,
    pub sequence: i64,
    pub organization: Option<Uuid>,
    pub snapshot_sequence: i64,
}

#[derive(sqlx::FromRow)]
struct SnapshotRow {
    sequence: i64,
    organization_id: Uuid,
    state: String,
}

/// Retries of one aggregate in this process wait for each other on one of these, so they
/// do not lose the race to each other again; striped to keep memory bounded (unrelated
/// aggregates sharing a stripe only queue their retries).
pub(super) const RETRY_STRIPES: usize = 64;

impl EventStore {
    /// Loads an aggregate from its latest snapshot (when it decodes) and the events after
    /// it, with its last sequence and organization.
    pub async fn load_snapshotted<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<(A, i64, Option<Uuid>), StoreError> {
        let loaded = self.load_from_snapshot::<A>(aggregate_id).await?;
        Ok((loaded.aggregate, loaded.sequence, loaded.organization))
    }

    pub(super) async fn load_from_snapshot<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Loaded<A>, StoreError> {
        let row = on_read!(&self.db, pool => {
            sqlx::query_as::<_, SnapshotRow>(
                "SELECT sequence, organization_id, state FROM aggregate_snapshots \
                 WHERE aggregate_type = $1 AND aggregate_id = $2",
            )
            .bind(A::TYPE)
            .bind(aggregate_id)
            .fetch_optional(pool)
            .await?
        });
        let start = row.and_then(|row| match serde_json::from_str::<A>(&row.state) {
            Ok(aggregate) => Some(Loaded {
                aggregate,
                sequence: row.sequence,
                organization: Some(row.organization_id),
                snapshot_sequence: row.sequence,
            }),
            Err(error) => {
                tracing::warn!(%error, aggregate = A::TYPE, aggregate_id, "snapshot does not decode; replaying the events");
                None
            }
        });
        // Read after the snapshot: the events up to its sequence were committed before it
        // was written, and the log is append-only, so these are exactly the ones after it.
        self.replay_onto(aggregate_id, start.unwrap_or_default())
            .await
    }

    /// Stores `aggregate` as of `sequence`, unless a later snapshot is already there. Best
    /// effort: the command is committed, and a missing snapshot only makes loads longer.
    pub(super) async fn save_snapshot<A: Aggregate>(
        &self,
        aggregate_id: &str,
        organization_id: Uuid,
        sequence: i64,
        aggregate: &A,
    ) {
        let saved = async {
            let state = serde_json::to_string(aggregate)?;
            on_write!(&self.db, pool => {
                sqlx::query(
                    "INSERT INTO aggregate_snapshots \
                     (aggregate_type, aggregate_id, sequence, organization_id, state, taken_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET \
                     sequence = excluded.sequence, organization_id = excluded.organization_id, \
                     state = excluded.state, taken_at = excluded.taken_at \
                     WHERE aggregate_snapshots.sequence < excluded.sequence",
                )
                .bind(A::TYPE)
                .bind(aggregate_id)
                .bind(sequence)
                .bind(organization_id)
                .bind(state)
                .bind(crate::now())
                .execute(pool)
                .await
                .map(|_| ())?
            });
            Ok::<_, StoreError>(())
        };
        if let Err(error) = saved.await {
            tracing::warn!(%error, aggregate = A::TYPE, aggregate_id, "could not store a snapshot");
        }
    }

    /// Drops every snapshot of `aggregate_type`; the next loads replay the events and the
    /// next commands take fresh snapshots.
    pub async fn discard_snapshots(&self, aggregate_type: &str) -> Result<u64, StoreError> {
        let done = on_write!(&self.db, pool => {
            sqlx::query("DELETE FROM aggregate_snapshots WHERE aggregate_type = $1")
                .bind(aggregate_type)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done)
    }

    /// The lock the retries of this aggregate take in this process.
    pub(super) fn retry_lock(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> &tokio::sync::Mutex<()> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (aggregate_type, aggregate_id).hash(&mut hasher);
        let stripe = usize::try_from(hasher.finish() % RETRY_STRIPES as u64).unwrap_or(0);
        &self.retry_locks[stripe]
    }
}

impl<A: Default> Default for Loaded<A> {
    fn default() -> Self {
        Self {
            aggregate: A::default(),
            sequence: 0,
            organization: None,
            snapshot_sequence: 0,
        }
    }
}
