//! The SQL helpers every context's read side shares, written once for both backends:
//! one query runs on PostgreSQL and SQLite alike, because `sqlx::QueryBuilder` renders
//! each backend's placeholders and these macros pick the pool.

use uuid::Uuid;

/// One page request: rows with id greater than `after`, at most `limit` (one more than the
/// page size, so the caller learns whether another page exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    pub after: Option<Uuid>,
    pub limit: i64,
}

/// Builds and runs one query on whichever backend `$db` is. `$qb` is a
/// `sqlx::QueryBuilder` that renders `$n` or `?` placeholders for its backend; the
/// rows decode as `$row`. An error converts with `?` at the call site.
#[macro_export]
macro_rules! fetch_all {
    ($db:expr, $row:ty, |$qb:ident| $build:block) => {
        $crate::on_read!($db, pool => {
            let mut $qb = $crate::sql::QueryBuilder::new("");
            $build
            $qb.build_query_as::<$row>().fetch_all(pool).await?
        })
    };
}

/// Appends ` IN (…)` with one bound parameter per id of `$ids` (a slice or a `Vec` of
/// uuids); an empty list binds the nil uuid, which no row has, so the SQL stays valid.
#[macro_export]
macro_rules! push_in {
    ($qb:ident, $ids:expr) => {{
        $qb.push(" IN (");
        let mut separated = $qb.separated(", ");
        if $ids.is_empty() {
            separated.push_bind($crate::sql::NO_ID);
        }
        for id in $ids.iter() {
            separated.push_bind(*id);
        }
        $qb.push(")");
    }};
}

/// The id that stands in for an empty id list: no row has it.
pub const NO_ID: Uuid = Uuid::nil();

/// Appends the condition "in force at `$at`" on an interval held by two columns: `$from`
/// at or before `$at`, and `$until` open (`NULL`) or after it. The columns are SQL text
/// (`"created_at"`, `"r.valid_to"`).
#[macro_export]
macro_rules! push_in_force_at {
    ($qb:ident, $from:expr, $until:expr, $at:expr) => {{
        let (from, until): (&str, &str) = ($from, $until);
        $qb.push(format!(" AND {from} <= "));
        $qb.push_bind($at);
        $qb.push(format!(" AND ({until} IS NULL OR {until} > "));
        $qb.push_bind($at);
        $qb.push(")");
    }};
}

/// Appends the condition "active at `$at`" on the interval columns `valid_from` and
/// `valid_to` (an open `valid_to` is still active), with `$prefix` naming the table
/// alias (`""` or `"r."`).
#[macro_export]
macro_rules! push_active_at {
    ($qb:ident, $prefix:expr, $at:expr) => {{
        let prefix: &str = $prefix;
        $crate::push_in_force_at!(
            $qb,
            &format!("{prefix}valid_from"),
            &format!("{prefix}valid_to"),
            $at
        );
    }};
}

pub use sqlx::QueryBuilder;

/// Bind parameters per statement of a set-based projection write, under both backends'
/// limits (PostgreSQL 65,535, SQLite 32,766).
pub const MAX_BINDS: usize = 30_000;

/// Runs `$build` (given an empty `QueryBuilder` as `$query`) inside the transaction `$tx`
/// once per chunk of `$rows` that fits [`MAX_BINDS`] at `$columns` binds per row; `$chunk`
/// names the chunk. Evaluates to the rows the statements affected. The projections' batch
/// writes use it for their multi-row `INSERT … VALUES …` statements.
#[macro_export]
macro_rules! per_chunk {
    ($tx:expr, $rows:expr, $columns:expr, |$query:ident, $chunk:ident| $build:block) => {{
        let mut affected = 0u64;
        for $chunk in $rows.chunks($crate::sql::MAX_BINDS / $columns) {
            affected += $crate::on_tx!($tx, c => {
                let mut $query = sqlx::QueryBuilder::new("");
                $build
                $query.build().execute(&mut *c).await?.rows_affected()
            });
        }
        affected
    }};
}
