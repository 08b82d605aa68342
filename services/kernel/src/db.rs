//! One database handle over PostgreSQL (production) and SQLite (embedded default).
//!
//! Both backends take the same SQL text (`$1` placeholders work on both); the
//! [`on_read!`], [`on_write!`] and [`on_tx!`] macros expand one body once per backend so
//! the query code is written once and type-checked against each driver.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use crate::error::StoreError;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// Whether two instants are stored as the same value: PostgreSQL keeps microseconds
    /// (sqlx truncates the rest), SQLite the full text.
    pub fn same_stored_instant(
        self,
        a: chrono::DateTime<chrono::Utc>,
        b: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        match self {
            Backend::Postgres => a.timestamp_micros() == b.timestamp_micros(),
            Backend::Sqlite => a == b,
        }
    }
}

/// SQLite pools: one writer connection (SQLite serializes writers anyway, and a single
/// in-process writer avoids `SQLITE_BUSY` on lock upgrades) and a pool of readers (WAL).
#[derive(Debug, Clone)]
pub struct SqlitePools {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

/// A handle to the store; cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    Postgres(PgPool),
    Sqlite(SqlitePools),
}

/// Pool sizing, timeouts and durability.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// SQLite's `synchronous` setting. `Full` (the default) syncs the write-ahead log at
    /// every commit, so an acknowledged command survives a power loss or an OS crash;
    /// `Normal` syncs only at checkpoints: faster, but the last commits before a crash
    /// can be lost. An audit log acknowledges only what is durable.
    pub sqlite_synchronous: SqliteDurability,
}

/// How SQLite makes commits durable ([`DbOptions::sqlite_synchronous`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SqliteDurability {
    /// Every commit is on disk before it is acknowledged.
    #[default]
    Full,
    /// Commits since the last checkpoint may be lost on power loss or an OS crash.
    Normal,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(10),
            sqlite_synchronous: SqliteDurability::Full,
        }
    }
}

/// Every migration of the project (event store and read models), per backend. The
/// folders are append-only: a migration that has landed is never edited.
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Both backends' migrations, ready for [`Db::connect`].
pub fn migrations() -> Migrations<'static> {
    Migrations {
        postgres: &POSTGRES_MIGRATIONS,
        sqlite: &SQLITE_MIGRATIONS,
    }
}

/// The migrations of each backend.
pub struct Migrations<'a> {
    pub postgres: &'a Migrator,
    pub sqlite: &'a Migrator,
}

impl Db {
    /// Connects to `url` (`postgres://…` or `sqlite:…`) and runs the migrations.
    pub async fn connect(
        url: &str,
        options: &DbOptions,
        migrations: &Migrations<'_>,
    ) -> Result<Self, StoreError> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url)?.application_name("chorus");
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            migrations.postgres.run(&pool).await?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            if url.contains(":memory:") || url.contains("mode=memory") {
                // Reader and writer pools would each get their own empty database.
                return Err(StoreError::InMemorySqlite);
            }
            let connect = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match options.sqlite_synchronous {
                    SqliteDurability::Full => SqliteSynchronous::Full,
                    SqliteDurability::Normal => SqliteSynchronous::Normal,
                })
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.clone())
                .await?;
            migrations.sqlite.run(&write).await?;
            let read = SqlitePoolOptions::new()
                .max_connections(options.max_connections.max(2))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.read_only(true))
                .await?;
            Db::Sqlite(SqlitePools { read, write })
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Postgres(_) => Backend::Postgres,
            Db::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so another process
    /// writing the same file makes us wait (busy timeout) instead of failing on upgrade.
    pub async fn begin(&self) -> Result<DbTx, StoreError> {
        Ok(match self {
            Db::Postgres(pool) => DbTx::Postgres(pool.begin().await?),
            Db::Sqlite(pools) => DbTx::Sqlite(pools.write.begin_with("BEGIN IMMEDIATE").await?),
        })
    }

    /// Closes every pool (graceful shutdown).
    pub async fn close(&self) {
        match self {
            Db::Postgres(pool) => pool.close().await,
            Db::Sqlite(pools) => {
                pools.read.close().await;
                pools.write.close().await;
            }
        }
    }
}

/// An open write transaction on either backend.
pub enum DbTx {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(Transaction<'static, Sqlite>),
}

impl DbTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            DbTx::Postgres(tx) => tx.commit().await?,
            DbTx::Sqlite(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            DbTx::Postgres(tx) => tx.rollback().await?,
            DbTx::Sqlite(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbTx::Postgres(_) => Backend::Postgres,
            DbTx::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Runs `$body` with `$pool` bound to the `$role` pool (`read` or `write`) of whichever
/// backend `$db` is; PostgreSQL serves both from one pool.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $role:ident, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Postgres($pool) => $body,
            $crate::db::Db::Sqlite($crate::db::SqlitePools { $role: $pool, .. }) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to a reader pool of whichever backend `$db` is.
#[macro_export]
macro_rules! on_read {
    ($db:expr, $pool:ident => $body:expr) => {
        $crate::on_pool!($db, read, $pool => $body)
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut XConnection`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::DbTx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::DbTx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// Runs `$body` with `$pool` bound to the writer pool of whichever backend `$db` is.
#[macro_export]
macro_rules! on_write {
    ($db:expr, $pool:ident => $body:expr) => {
        $crate::on_pool!($db, write, $pool => $body)
    };
}
