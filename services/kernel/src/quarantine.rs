//! Quarantine: the events a projection could not apply, kept out of its way.
//!
//! A projection that refuses an event for a reason of the event's data (a value the
//! database cannot store, a payload this build cannot decode) would otherwise be retried
//! forever, and every read model, every organization and every read-your-writes wait
//! would stop behind it. Instead the event is recorded here for that projection
//! (`failed`) and the projection moves on. Later events of the same aggregate are held
//! behind it (`held`), so an aggregate's events still reach the read model in log order;
//! every other aggregate and organization goes on as usual.
//!
//! Nothing is lost: the event stays in the log. Once the cause is fixed (a new build, an
//! upcaster), `chorus projections retry` applies the quarantined events again, oldest
//! first, and `chorus projections skip` leaves one out on purpose (it stays listed as
//! skipped). A rebuild replays everything and quarantines again what still fails.
//! Quarantined events show in `chorus projections status`, `/readyz` and `/metrics`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::DbTx;
use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::projection::{Projection, Projector};
use crate::{on_read, on_tx};

/// The state of a quarantined event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The projection refused the event.
    Failed,
    /// An earlier event of the same aggregate is quarantined; this one waits behind it.
    Held,
    /// An operator chose to leave the event out of the read model.
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Held => "held",
            Status::Skipped => "skipped",
        }
    }
}

/// One quarantined event, as operators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuarantinedEvent {
    pub projection: String,
    pub global_position: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub organization_id: Uuid,
    pub event_type: String,
    /// `failed`, `held` or `skipped`.
    pub status: String,
    /// Why the projection refused it (internal text: for operators, never for clients).
    pub error: String,
    pub attempts: i64,
    pub quarantined_at: DateTime<Utc>,
    pub last_attempt_at: DateTime<Utc>,
}

/// How many events of one projection are in quarantine, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuarantineCounts {
    pub failed: i64,
    pub held: i64,
    pub skipped: i64,
}

impl QuarantineCounts {
    /// Events the read model does not include yet and that wait for an operator.
    pub fn waiting(&self) -> i64 {
        self.failed + self.held
    }
}

/// What a retry did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryOutcome {
    /// Events now applied (and out of quarantine).
    pub applied: u64,
    /// Events the projection still refuses, or that still wait behind one.
    pub still_quarantined: u64,
}

type AggregateKey = (String, String);

fn key_of(event: &RecordedEvent) -> AggregateKey {
    (event.aggregate_type.clone(), event.aggregate_id.clone())
}

/// Applies `events` (in log order) to `projection` inside the batch transaction,
/// quarantining instead of failing. Events of aggregates that already have a quarantined
/// event are held. With `one_by_one`, each other event is applied on its own (inside a
/// savepoint) and the ones the projection refuses are quarantined; otherwise they are
/// applied as one batch. An outage ([`StoreError::is_transient`]) is still an error: the
/// whole batch is tried again later.
pub(crate) async fn apply_guarded(
    tx: &mut DbTx,
    projection: &dyn Projection,
    events: &[RecordedEvent],
    one_by_one: bool,
) -> Result<(), StoreError> {
    let mut held = held_aggregates(tx, projection.name(), events).await?;
    if !one_by_one && !events.iter().any(|e| held.contains(&key_of(e))) {
        return projection.apply_batch(tx, events).await;
    }
    if !one_by_one {
        let (blocked, free): (Vec<&RecordedEvent>, Vec<&RecordedEvent>) =
            events.iter().partition(|e| held.contains(&key_of(e)));
        for event in blocked {
            record(tx, projection.name(), event, Status::Held, HELD_REASON).await?;
        }
        let free: Vec<RecordedEvent> = free.into_iter().cloned().collect();
        return if free.is_empty() {
            Ok(())
        } else {
            projection.apply_batch(tx, &free).await
        };
    }
    for event in events {
        if held.contains(&key_of(event)) {
            record(tx, projection.name(), event, Status::Held, HELD_REASON).await?;
            continue;
        }
        if let Err(error) = apply_one(tx, projection, event).await? {
            tracing::error!(
                projection = projection.name(),
                position = event.position.global_position,
                aggregate_type = %event.aggregate_type,
                organization_id = %event.metadata.organization_id,
                %error,
                "event quarantined: the projection cannot apply it"
            );
            record(
                tx,
                projection.name(),
                event,
                Status::Failed,
                &error.to_string(),
            )
            .await?;
            held.insert(key_of(event));
        }
    }
    Ok(())
}

const HELD_REASON: &str = "waits behind an earlier quarantined event of the same aggregate";

/// Applies one event inside a savepoint. `Ok(Err(_))`: the projection refused it (and the
/// savepoint undid whatever it had written); `Err(_)`: an outage.
async fn apply_one(
    tx: &mut DbTx,
    projection: &dyn Projection,
    event: &RecordedEvent,
) -> Result<Result<(), StoreError>, StoreError> {
    savepoint(tx, "SAVEPOINT chorus_event").await?;
    match projection
        .apply_batch(tx, std::slice::from_ref(event))
        .await
    {
        Ok(()) => {
            savepoint(tx, "RELEASE SAVEPOINT chorus_event").await?;
            Ok(Ok(()))
        }
        Err(error) if error.is_transient() => Err(error),
        Err(error) => {
            savepoint(tx, "ROLLBACK TO SAVEPOINT chorus_event").await?;
            savepoint(tx, "RELEASE SAVEPOINT chorus_event").await?;
            Ok(Err(error))
        }
    }
}

async fn savepoint(tx: &mut DbTx, sql: &'static str) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(sql).execute(conn).await?;
    });
    Ok(())
}

/// The aggregates among `events` that have an event of `projection` in quarantine.
async fn held_aggregates(
    tx: &mut DbTx,
    projection: &str,
    events: &[RecordedEvent],
) -> Result<HashSet<AggregateKey>, StoreError> {
    let ids: HashSet<&str> = events.iter().map(|e| e.aggregate_id.as_str()).collect();
    let rows: Vec<(String, String)> = on_tx!(tx, conn => {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT DISTINCT aggregate_type, aggregate_id FROM projection_quarantine \
             WHERE status <> 'skipped' AND projection = ",
        );
        qb.push_bind(projection).push(" AND aggregate_id IN (");
        let mut list = qb.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build_query_as().fetch_all(conn).await?
    });
    Ok(rows.into_iter().collect())
}

/// Records (or updates) `event` in `projection`'s quarantine.
async fn record(
    tx: &mut DbTx,
    projection: &str,
    event: &RecordedEvent,
    status: Status,
    error: &str,
) -> Result<(), StoreError> {
    let now = crate::now();
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO projection_quarantine (projection, transaction_id, global_position, \
             aggregate_type, aggregate_id, organization_id, event_type, status, error, attempts, \
             quarantined_at, last_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) \
             ON CONFLICT (projection, global_position) DO UPDATE SET status = excluded.status, \
             error = excluded.error, attempts = projection_quarantine.attempts + 1, \
             last_attempt_at = excluded.last_attempt_at",
        )
        .bind(projection)
        .bind(event.position.transaction_id)
        .bind(event.position.global_position)
        .bind(&event.aggregate_type)
        .bind(&event.aggregate_id)
        .bind(event.metadata.organization_id)
        .bind(&event.event_type)
        .bind(status.as_str())
        .bind(error)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

impl Projector {
    /// Every quarantined event (of `projection`, or of all), oldest first, at most `limit`.
    pub async fn quarantined(
        &self,
        projection: Option<&str>,
        limit: i64,
    ) -> Result<Vec<QuarantinedEvent>, StoreError> {
        let rows = on_read!(self.db(), pool => {
            sqlx::query_as::<_, QuarantinedEvent>(
                "SELECT projection, global_position, aggregate_type, aggregate_id, organization_id, \
                 event_type, status, error, attempts, quarantined_at, last_attempt_at \
                 FROM projection_quarantine WHERE ($1 IS NULL OR projection = $1) \
                 ORDER BY global_position, projection LIMIT $2",
            )
            .bind(projection)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// How many events each registered projection has in quarantine, in registration
    /// order.
    pub async fn quarantine_counts(
        &self,
    ) -> Result<Vec<(&'static str, QuarantineCounts)>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_read!(self.db(), pool => {
            sqlx::query_as(
                "SELECT projection, status, count(*) FROM projection_quarantine \
                 GROUP BY projection, status",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(self
            .names()
            .into_iter()
            .map(|name| {
                let mut counts = QuarantineCounts::default();
                for (_, status, count) in rows.iter().filter(|(p, _, _)| p == name) {
                    match status.as_str() {
                        "failed" => counts.failed = *count,
                        "held" => counts.held = *count,
                        _ => counts.skipped = *count,
                    }
                }
                (name, counts)
            })
            .collect())
    }

    /// Applies `projection`'s quarantined events again, oldest first (only those of the
    /// aggregate of the event at `position`, when given). An aggregate's events stop at
    /// the first one still refused, which stays quarantined with its new error.
    ///
    /// The events are applied after events the read model already holds: an event of an
    /// aggregate comes after its aggregate's earlier events, but may come after later
    /// events of other aggregates. A rebuild replays everything in log order.
    pub async fn retry_quarantined(
        &self,
        projection: &str,
        position: Option<i64>,
    ) -> Result<RetryOutcome, StoreError> {
        self.resolve(projection, position, false).await
    }

    /// Leaves the failed event at `position` out of `projection`'s read model (it stays
    /// listed as skipped), then retries the events of its aggregate held behind it.
    pub async fn skip_quarantined(
        &self,
        projection: &str,
        position: i64,
    ) -> Result<RetryOutcome, StoreError> {
        self.resolve(projection, Some(position), true).await
    }

    async fn resolve(
        &self,
        name: &str,
        position: Option<i64>,
        skip: bool,
    ) -> Result<RetryOutcome, StoreError> {
        let projection = self
            .projection(name)
            .ok_or_else(|| StoreError::UnknownProjection(name.to_owned()))?;
        let mut tx = self.db().begin().await?;
        // Lock the checkpoint row, as a batch does: no batch of this projection runs (and
        // holds more events) while the quarantine is worked through.
        on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE projection_checkpoints SET name = name WHERE name = $1")
                .bind(name)
                .execute(conn)
                .await?;
        });
        let aggregate: Option<AggregateKey> = match position {
            None => None,
            Some(position) => on_tx!(&mut tx, conn => {
                sqlx::query_as(
                    "SELECT aggregate_type, aggregate_id FROM projection_quarantine \
                     WHERE projection = $1 AND global_position = $2 AND status <> 'skipped'",
                )
                .bind(name)
                .bind(position)
                .fetch_optional(conn)
                .await?
            })
            .map(Some)
            .ok_or(StoreError::NotQuarantined(position))?,
        };
        if let (true, Some(position)) = (skip, position) {
            let skipped = on_tx!(&mut tx, conn => {
                sqlx::query(
                    "UPDATE projection_quarantine SET status = 'skipped', last_attempt_at = $3 \
                     WHERE projection = $1 AND global_position = $2 AND status = 'failed'",
                )
                .bind(name)
                .bind(position)
                .bind(crate::now())
                .execute(conn)
                .await?
                .rows_affected()
            });
            if skipped != 1 {
                // Held behind another event: skip that one first.
                return Err(StoreError::NotQuarantined(position));
            }
        }
        let positions: Vec<i64> = on_tx!(&mut tx, conn => {
            sqlx::query_scalar(
                "SELECT global_position FROM projection_quarantine \
                 WHERE projection = $1 AND status <> 'skipped' \
                   AND ($2 IS NULL OR (aggregate_type = $2 AND aggregate_id = $3)) \
                 ORDER BY global_position",
            )
            .bind(name)
            .bind(aggregate.as_ref().map(|(t, _)| t.as_str()))
            .bind(aggregate.as_ref().map(|(_, id)| id.as_str()))
            .fetch_all(conn)
            .await?
        });
        let events = self.reader().events_at(&positions).await?;
        let mut outcome = RetryOutcome::default();
        let mut blocked: HashSet<AggregateKey> = HashSet::new();
        for event in &events {
            if blocked.contains(&key_of(event)) {
                record(&mut tx, name, event, Status::Held, HELD_REASON).await?;
                outcome.still_quarantined += 1;
                continue;
            }
            match apply_one(&mut tx, projection.as_ref(), event).await? {
                Ok(()) => {
                    on_tx!(&mut tx, conn => {
                        sqlx::query(
                            "DELETE FROM projection_quarantine WHERE projection = $1 AND global_position = $2",
                        )
                        .bind(name)
                        .bind(event.position.global_position)
                        .execute(conn)
                        .await?;
                    });
                    outcome.applied += 1;
                }
                Err(error) => {
                    record(&mut tx, name, event, Status::Failed, &error.to_string()).await?;
                    blocked.insert(key_of(event));
                    outcome.still_quarantined += 1;
                }
            }
        }
        tx.commit().await?;
        tracing::info!(
            projection = name,
            applied = outcome.applied,
            still_quarantined = outcome.still_quarantined,
            "quarantine retried"
        );
        Ok(outcome)
    }
}
