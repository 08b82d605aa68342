//! Shadow tables of a PostgreSQL rebuild.
//!
//! Each read-model table of the rebuilt projections gets a twin in the schema
//! [`SCHEMA`], copied from the live table (`LIKE … INCLUDING ALL`) with its primary-key,
//! unique and exclusion constraints (the projections' upserts need them) and every other
//! index, rewritten from the catalogue's definitions. They are built before the replay,
//! not after it: the replay's own statements look rows up by them (the roster's
//! `WHERE person_id = …`), and without them each such statement scanned the whole
//! shadow table (chorus-bench: 100,374 sequential scans reading 19 million rows of
//! `team_roster` in a 138,000-event rebuild). The
//! replay runs on connections whose `search_path` puts [`SCHEMA`] first, so the
//! projections' unqualified SQL writes the shadows, its checkpoints and quarantine go to
//! twins of those tables too, and everything else (the events, another context's tables)
//! resolves to the live schema. The swap drops the live tables and moves the shadows into
//! the live schema in one transaction, which also moves the checkpoints.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, PgPool};

use super::{Projection, Projector};
use crate::db::Db;
use crate::error::StoreError;
use crate::event::LogPosition;

/// The schema of the shadow tables (one rebuild at a time: the rebuild lock).
pub(super) const SCHEMA: &str = "chorus_rebuild";

/// How long the swap waits for a table lock (readers in flight) before it lets go of
/// what it holds and tries again: readers queue behind a waiting `DROP TABLE`.
const SWAP_LOCK_TIMEOUT: &str = "2s";
const SWAP_ATTEMPTS: u32 = 10;
/// How long the swap, holding the live checkpoints, waits for the shadows to catch up
/// with them.
const SWAP_CATCH_UP: Duration = Duration::from_secs(10);

/// The kernel's own tables the replay needs twins of.
const KERNEL_TABLES: [&str; 2] = ["projection_checkpoints", "projection_quarantine"];

pub(super) struct Shadow {
    /// The live schema (where the unqualified names resolve for everyone else).
    live: String,
    names: Vec<&'static str>,
    tables: Vec<&'static str>,
    db: Db,
}

impl Shadow {
    /// Creates the shadow schema (dropping what a crashed rebuild left) and its tables.
    pub(super) async fn create(
        pool: &PgPool,
        projections: &[Arc<dyn Projection>],
    ) -> Result<Self, StoreError> {
        let mut conn = pool.acquire().await?;
        let live: String = sqlx::query_scalar("SELECT current_schema()")
            .fetch_one(&mut *conn)
            .await?;
        let tables: Vec<&'static str> = projections
            .iter()
            .flat_map(|p| p.tables())
            .copied()
            .collect();
        for name in tables.iter().copied().chain([live.as_str()]) {
            if !plain_identifier(name) {
                return Err(StoreError::RebuildUnsupported(format!(
                    "{name:?} is not a plain identifier"
                )));
            }
        }
        conn.execute(format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE").as_str())
            .await?;
        conn.execute(format!("CREATE SCHEMA {SCHEMA}").as_str())
            .await?;
        for table in tables.iter().copied().chain(KERNEL_TABLES) {
            let kernel = KERNEL_TABLES.contains(&table);
            conn.execute(
                format!(
                    "CREATE TABLE {SCHEMA}.{table} (LIKE {live}.{table} INCLUDING ALL {})",
                    if kernel { "" } else { "EXCLUDING INDEXES" }
                )
                .as_str(),
            )
            .await?;
            if kernel {
                continue;
            }
            let qualified = format!("{live}.{table}");
            // The swap drops the live table: a foreign key or trigger on it would be lost
            // (a view on it makes the swap fail, leaving the live tables as they are).
            let attached: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f' \
                         AND (conrelid = $1::regclass OR confrelid = $1::regclass)) \
                      + (SELECT count(*) FROM pg_trigger WHERE tgrelid = $1::regclass \
                         AND NOT tgisinternal)",
            )
            .bind(&qualified)
            .fetch_one(&mut *conn)
            .await?;
            if attached > 0 {
                return Err(StoreError::RebuildUnsupported(format!(
                    "{table} has foreign keys or triggers"
                )));
            }
            let constraints: Vec<(String, String)> = sqlx::query_as(
                "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname",
            )
            .bind(&qualified)
            .fetch_all(&mut *conn)
            .await?;
            for (name, definition) in constraints {
                let name = name.replace('"', "\"\"");
                conn.execute(
                    format!("ALTER TABLE {SCHEMA}.{table} ADD CONSTRAINT \"{name}\" {definition}")
                        .as_str(),
                )
                .await?;
            }
            let indexes: Vec<String> = sqlx::query_scalar(
                "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x \
                 WHERE x.indrelid = $1::regclass \
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
                                   WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) \
                 ORDER BY x.indexrelid",
            )
            .bind(&qualified)
            .fetch_all(&mut *conn)
            .await?;
            for definition in indexes {
                conn.execute(retarget(&definition, &live, table)?.as_str())
                    .await?;
            }
        }
        let names: Vec<&'static str> = projections.iter().map(|p| p.name()).collect();
        for name in &names {
            sqlx::query(&format!(
                "INSERT INTO {SCHEMA}.projection_checkpoints (name, transaction_id, global_position) \
                 VALUES ($1, 0, 0)"
            ))
            .bind(*name)
            .execute(&mut *conn)
            .await?;
        }
        let search_path = format!("SET search_path = {SCHEMA}, {live}");
        let options = (*pool.connect_options())
            .clone()
            .application_name("chorus rebuild");
        let replay = PgPoolOptions::new()
            .max_connections(2)
            .after_connect(move |conn, _| {
                let search_path = search_path.clone();
                Box::pin(async move {
                    conn.execute(search_path.as_str()).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            live,
            names,
            tables,
            db: Db::Postgres(replay),
        })
    }

    /// The database handle whose connections write the shadows.
    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    /// Vacuums the replayed tables and gathers the planner's statistics on them: they were
    /// filled from nothing, and statistics gathered before (or none at all) make the
    /// planner pick the wrong index until autovacuum comes round (measured by
    /// chorus-bench: the team read's SQL ran 2.5x faster after the ANALYZE); and a
    /// projection that updates the rows it inserted (a case opened, then resolved) leaves
    /// one dead entry per update in every index, which the reads walk until a VACUUM
    /// (measured: a case queue page read 7,181 buffers before and 6 after).
    pub(super) async fn finish_tables(&self) -> Result<(), StoreError> {
        let Db::Postgres(pool) = &self.db else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        let mut conn = pool.acquire().await?;
        for table in &self.tables {
            conn.execute(format!("VACUUM (ANALYZE) {SCHEMA}.{table}").as_str())
                .await?;
        }
        tracing::info!(
            tables = self.tables.len(),
            seconds = started.elapsed().as_secs_f64(),
            "shadow tables analyzed"
        );
        Ok(())
    }

    /// Puts the shadows in place of the live tables, with the checkpoints and quarantine
    /// the replay reached; returns how many events the last catch-ups read. Tried again
    /// while readers keep a live table locked past [`SWAP_LOCK_TIMEOUT`].
    pub(super) async fn swap(&self, replayer: &Projector) -> Result<u64, StoreError> {
        let Db::Postgres(pool) = &self.db else {
            return Ok(0);
        };
        let mut read = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            // Most of what was committed during the replay, without holding anything.
            read += replayer.catch_up().await?;
            match self.try_swap(pool, replayer, &mut read).await {
                Ok(()) => return Ok(read),
                Err(error) if attempt < SWAP_ATTEMPTS && retry_swap(&error) => {
                    tracing::warn!(%error, attempt, "the swap could not take its locks; trying again");
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn try_swap(
        &self,
        pool: &PgPool,
        replayer: &Projector,
        read: &mut u64,
    ) -> Result<(), StoreError> {
        let live = &self.live;
        let mut tx = pool.begin().await?;
        tx.execute(format!("SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'").as_str())
            .await?;
        // Lock the live checkpoints in registration order, as a batch claims them: the
        // live projector's batches wait (and then lose their compare-and-set) until the
        // swap is done, so its tables are not written behind the shadows' backs.
        let mut needed = LogPosition::START;
        for name in &self.names {
            let (transaction_id, global_position): (i64, i64) = sqlx::query_as(&format!(
                "SELECT transaction_id, global_position FROM {live}.projection_checkpoints \
                 WHERE name = $1 FOR UPDATE"
            ))
            .bind(*name)
            .fetch_one(&mut *tx)
            .await?;
            needed = needed.max(LogPosition {
                transaction_id,
                global_position,
            });
        }
        // The shadows reach at least what the live tables hold, so the read models never
        // step back in time at the swap.
        let deadline = tokio::time::Instant::now() + SWAP_CATCH_UP;
        replayer.catch_up_until(needed, deadline, read).await?;
        for table in &self.tables {
            tx.execute(format!("DROP TABLE {live}.{table}").as_str())
                .await?;
            tx.execute(format!("ALTER TABLE {SCHEMA}.{table} SET SCHEMA {live}").as_str())
                .await?;
        }
        for name in &self.names {
            sqlx::query(&format!(
                "UPDATE {live}.projection_checkpoints AS c \
                 SET transaction_id = s.transaction_id, global_position = s.global_position \
                 FROM {SCHEMA}.projection_checkpoints AS s WHERE c.name = $1 AND s.name = $1"
            ))
            .bind(*name)
            .execute(&mut *tx)
            .await?;
            // What the replay could not apply is quarantined with today's error; what the
            // live projection had quarantined before is history.
            sqlx::query(&format!(
                "DELETE FROM {live}.projection_quarantine WHERE projection = $1"
            ))
            .bind(*name)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "INSERT INTO {live}.projection_quarantine \
                 SELECT * FROM {SCHEMA}.projection_quarantine WHERE projection = $1"
            ))
            .bind(*name)
            .execute(&mut *tx)
            .await?;
        }
        // Followers in other processes learn of the new checkpoints at commit time.
        tx.execute("SELECT pg_notify('chorus_events', '')").await?;
        tx.commit().await?;
        tracing::info!(tables = ?self.tables, "rebuilt read models swapped in");
        Ok(())
    }

    /// Drops the shadow schema (what is left of it) and closes the replay's connections.
    pub(super) async fn discard(&self, pool: &PgPool) {
        self.db.close().await;
        if let Err(error) = pool
            .execute(format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE").as_str())
            .await
        {
            tracing::warn!(%error, "could not drop the rebuild's shadow schema; the next rebuild drops it");
        }
    }
}

/// Whether a failed swap may succeed if tried again: a lock not granted in time, a
/// deadlock, or shadows that did not catch up in time.
fn retry_swap(error: &StoreError) -> bool {
    match error {
        StoreError::Database(sqlx::Error::Database(e)) => {
            matches!(e.code().as_deref(), Some("55P03" | "40P01"))
        }
        StoreError::ConsistencyTimeout(_) => true,
        _ => false,
    }
}

/// A catalogue index definition (`CREATE INDEX name ON live.table USING …`) for the
/// shadow of `table`.
fn retarget(definition: &str, live: &str, table: &str) -> Result<String, StoreError> {
    for from in [
        format!(" ON {live}.{table} USING "),
        format!(" ON {table} USING "),
    ] {
        if let Some(at) = definition.find(&from) {
            return Ok(format!(
                "{} ON {SCHEMA}.{table} USING {}",
                &definition[..at],
                &definition[at + from.len()..]
            ));
        }
    }
    Err(StoreError::RebuildUnsupported(format!(
        "cannot read the index definition {definition:?} of {table}"
    )))
}

fn plain_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}
