//! The global log reader: events in commit-safe order.
//!
//! PostgreSQL hands out `global_position` values when rows are inserted, not when they
//! commit, so a reader that trusts `position > checkpoint` can pass over an event whose
//! transaction commits late. Every event is stamped with its writing transaction's id
//! (`xid8`), and the reader only returns rows written by transactions older than the
//! commit horizon ([`HORIZON_PG`]): the oldest transaction still running that can still
//! append events. Nothing can later appear before the rows it returns. Rows are ordered
//! by `(transaction_id, global_position)`. SQLite serializes writers, so position order
//! is already commit order there.

use crate::db::{Backend, Db};
use crate::error::StoreError;
use crate::event::{EventRow, LogPosition, RecordedEvent, EVENT_COLUMNS_PG, EVENT_COLUMNS_SQLITE};
use crate::on_read;
use crate::upcast::Upcasters;

/// The commit horizon on PostgreSQL: the oldest transaction of the statement's snapshot
/// that may still append events, or the snapshot's `xmax` when none may. Computed by
/// `chorus_log_horizon` (migration 0007, where the proof is written out): a running
/// transaction is left out only when it held no lock on this database's `events` table and
/// was still in progress afterwards, so a long transaction in another database, or one
/// here that writes no events, holds nothing back.
pub const HORIZON_PG: &str = "(SELECT chorus_log_horizon(pg_current_snapshot()))";

/// Reads the log in commit-safe order.
#[derive(Debug, Clone)]
pub struct LogReader {
    db: Db,
    upcasters: Upcasters,
    read_after_sql: String,
    read_organization_after_sql: String,
    head_sql: String,
}

impl LogReader {
    pub fn new(db: Db, upcasters: Upcasters) -> Self {
        // ORDER BY names the table's columns: a bare `transaction_id` would bind to the
        // select list's `bigint` alias, which no index provides, and every batch would
        // sort the whole rest of the log (quadratic rebuilds).
        let read_after_sql = match db.backend() {
            Backend::Postgres => format!(
                "SELECT {EVENT_COLUMNS_PG} FROM events \
                 WHERE (transaction_id, global_position) > (($1::text)::xid8, $2) \
                   AND transaction_id < {HORIZON_PG} \
                 ORDER BY events.transaction_id, events.global_position LIMIT $3"
            ),
            Backend::Sqlite => format!(
                "SELECT {EVENT_COLUMNS_SQLITE} FROM events \
                 WHERE global_position > $2 AND $1 = $1 \
                 ORDER BY global_position LIMIT $3"
            ),
        };
        // One organization's events, by the index on (organization_id, commit order)
        // (migration 0015): a resume reads its own organization's events only, however
        // many other organizations wrote since.
        let read_organization_after_sql = match db.backend() {
            Backend::Postgres => format!(
                "SELECT {EVENT_COLUMNS_PG} FROM events \
                 WHERE organization_id = $4 \
                   AND (transaction_id, global_position) > (($1::text)::xid8, $2) \
                   AND transaction_id < {HORIZON_PG} \
                 ORDER BY events.organization_id, events.transaction_id, events.global_position \
                 LIMIT $3"
            ),
            Backend::Sqlite => format!(
                "SELECT {EVENT_COLUMNS_SQLITE} FROM events \
                 WHERE organization_id = $4 AND global_position > $2 AND $1 = $1 \
                 ORDER BY organization_id, global_position LIMIT $3"
            ),
        };
        let head_sql = format!(
            "SELECT (transaction_id::text)::bigint, global_position FROM events \
             WHERE transaction_id < {HORIZON_PG} \
             ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1"
        );
        Self {
            db,
            upcasters,
            read_after_sql,
            read_organization_after_sql,
            head_sql,
        }
    }

    /// Up to `limit` events after `after`, in commit-safe order, payloads upcast.
    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows: Vec<EventRow> = on_read!(&self.db, pool => {
            sqlx::query_as::<_, EventRow>(&self.read_after_sql)
                .bind(after.transaction_id)
                .bind(after.global_position)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(|row| self.record(row)).collect()
    }

    /// Up to `limit` events of `organization` after `after`, in the order
    /// [`LogReader::read_after`] gives them (so a replay meets the live feed without a gap
    /// or a duplicate), payloads upcast.
    pub async fn read_organization_after(
        &self,
        organization: uuid::Uuid,
        after: LogPosition,
        limit: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = &self.read_organization_after_sql;
        let postgres = self.db.backend() == Backend::Postgres;
        let rows: Vec<EventRow> = on_read!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            if postgres {
                // Without statistics the planner guesses a handful of rows for one
                // organization and fetches them all by bitmap to sort them: every batch of
                // a long replay would then read the organization's whole rest of the log.
                // The index gives the order; taking it keeps each batch to its rows.
                sqlx::query("SET LOCAL enable_sort = off").execute(&mut *tx).await?;
            }
            let rows = sqlx::query_as::<_, EventRow>(sql)
                .bind(after.transaction_id)
                .bind(after.global_position)
                .bind(limit)
                .bind(organization)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            rows
        });
        rows.into_iter().map(|row| self.record(row)).collect()
    }

    /// The plan [`LogReader::read_organization_after`] runs with, as text (plan checks).
    #[doc(hidden)]
    pub async fn read_organization_after_plan(
        &self,
        organization: uuid::Uuid,
    ) -> Result<String, StoreError> {
        let postgres = self.db.backend() == Backend::Postgres;
        let explain = if postgres {
            "EXPLAIN"
        } else {
            "EXPLAIN QUERY PLAN"
        };
        let sql = format!("{explain} {}", self.read_organization_after_sql);
        let lines: Vec<String> = on_read!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let query = || {
                sqlx::query(&sql)
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(500_i64)
                    .bind(organization)
            };
            let lines = if postgres {
                sqlx::query("SET LOCAL enable_sort = off").execute(&mut *tx).await?;
                query()
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|row| sqlx::Row::try_get::<String, _>(row, 0))
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                query()
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|row| sqlx::Row::try_get::<String, _>(row, 3))
                    .collect::<Result<Vec<_>, _>>()?
            };
            tx.commit().await?;
            lines
        });
        Ok(lines.join("\n"))
    }

    /// The events at `positions`, in log order (for retrying quarantined events).
    pub async fn events_at(&self, positions: &[i64]) -> Result<Vec<RecordedEvent>, StoreError> {
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        let columns = match self.db.backend() {
            Backend::Postgres => EVENT_COLUMNS_PG,
            Backend::Sqlite => EVENT_COLUMNS_SQLITE,
        };
        let mut rows: Vec<EventRow> = Vec::with_capacity(positions.len());
        for chunk in positions.chunks(500) {
            let part: Vec<EventRow> = on_read!(&self.db, pool => {
                let mut qb = sqlx::QueryBuilder::new(format!(
                    "SELECT {columns} FROM events WHERE global_position IN ("
                ));
                let mut list = qb.separated(", ");
                for position in chunk {
                    list.push_bind(*position);
                }
                qb.push(")");
                qb.build_query_as::<EventRow>().fetch_all(pool).await?
            });
            rows.extend(part);
        }
        rows.sort_by_key(|row| row.global_position);
        rows.into_iter().map(|row| self.record(row)).collect()
    }

    fn record(&self, row: EventRow) -> Result<RecordedEvent, StoreError> {
        let metadata = row.metadata();
        let mut payload: serde_json::Value = serde_json::from_str(&row.payload)?;
        let mut event_type = row.event_type;
        let mut event_version = row.event_version;
        if !self.upcasters.is_empty() {
            let upcast = self.upcasters.upcast(cqrs_es::persist::SerializedEvent {
                aggregate_id: row.aggregate_id.clone(),
                sequence: usize::try_from(row.sequence).unwrap_or_default(),
                aggregate_type: row.aggregate_type.clone(),
                event_type,
                event_version,
                payload,
                metadata: serde_json::Value::Null,
            });
            payload = upcast.payload;
            event_type = upcast.event_type;
            event_version = upcast.event_version;
        }
        Ok(RecordedEvent {
            position: LogPosition {
                transaction_id: row.transaction_id,
                global_position: row.global_position,
            },
            aggregate_type: row.aggregate_type,
            aggregate_id: row.aggregate_id,
            sequence: row.sequence,
            event_type,
            event_version,
            payload,
            metadata,
            recorded_at: row.recorded_at,
        })
    }

    /// The SQL behind [`LogReader::read_after`] (`$1` transaction id as text, `$2`
    /// position, `$3` limit), for plan checks.
    #[doc(hidden)]
    pub fn read_after_sql(&self) -> &str {
        &self.read_after_sql
    }

    /// The last event committed so far, whether or not the commit horizon has passed it
    /// yet: what a full replay must reach.
    pub async fn last_committed(&self) -> Result<Option<LogPosition>, StoreError> {
        let last: Option<(i64, i64)> = on_read!(&self.db, pool => {
            match self.db.backend() {
                Backend::Postgres => sqlx::query_as(
                    "SELECT (transaction_id::text)::bigint, global_position FROM events \
                     ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1",
                ),
                Backend::Sqlite => sqlx::query_as(
                    "SELECT transaction_id, global_position FROM events \
                     ORDER BY global_position DESC LIMIT 1",
                ),
            }
            .fetch_optional(pool)
            .await?
        });
        Ok(last.map(|(transaction_id, global_position)| LogPosition {
            transaction_id,
            global_position,
        }))
    }

    /// The last position a reader can safely have seen now (everything committed below
    /// the horizon). Tailers that only want new events start here.
    pub async fn head(&self) -> Result<LogPosition, StoreError> {
        let head: Option<(i64, i64)> = on_read!(&self.db, pool => {
            match self.db.backend() {
                Backend::Postgres => sqlx::query_as(&self.head_sql),
                Backend::Sqlite => sqlx::query_as(
                    "SELECT transaction_id, global_position FROM events \
                     ORDER BY global_position DESC LIMIT 1",
                ),
            }
            .fetch_optional(pool)
            .await?
        });
        Ok(head
            .map(|(transaction_id, global_position)| LogPosition {
                transaction_id,
                global_position,
            })
            .unwrap_or(LogPosition::START))
    }

    /// The position of the event `sequence` of record `aggregate_type`/`aggregate_id` (by
    /// the log's unique key), if it exists: how a destination that names events by record
    /// and sequence finds where it is in the log.
    pub async fn position_of_event(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        sequence: i64,
    ) -> Result<Option<LogPosition>, StoreError> {
        let transaction = match self.db.backend() {
            Backend::Postgres => "(transaction_id::text)::bigint",
            Backend::Sqlite => "transaction_id",
        };
        let sql = format!(
            "SELECT {transaction}, global_position FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence = $3"
        );
        let row: Option<(i64, i64)> = on_read!(&self.db, pool => {
            sqlx::query_as(&sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .bind(sequence)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(transaction_id, global_position)| LogPosition {
            transaction_id,
            global_position,
        }))
    }

    /// The full position of the event at `global_position`, if it exists.
    pub async fn position_of(
        &self,
        global_position: i64,
    ) -> Result<Option<LogPosition>, StoreError> {
        let row: Option<(i64, i64)> = on_read!(&self.db, pool => {
            match self.db.backend() {
                Backend::Postgres => sqlx::query_as(
                    "SELECT (transaction_id::text)::bigint, global_position FROM events WHERE global_position = $1",
                ),
                Backend::Sqlite => sqlx::query_as(
                    "SELECT transaction_id, global_position FROM events WHERE global_position = $1",
                ),
            }
            .bind(global_position)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(transaction_id, global_position)| LogPosition {
            transaction_id,
            global_position,
        }))
    }
}
