//! Projector leadership: one process applies batches at a time; the others follow and
//! take over when it goes away. On PostgreSQL the leader holds a session advisory lock;
//! on SQLite an OS lock on a file beside the database (`<file>-projector.lock`), which
//! the OS releases when the process ends, however it ends. On SQLite an operator's
//! rebuild takes the same lock, so it is refused while a server runs; on PostgreSQL a
//! rebuild runs beside the leader (into shadow tables) and takes a lock of its own, so
//! that two rebuilds never share the shadow schema.

use std::fs::{File, TryLockError};
use std::path::PathBuf;
use std::time::Duration;

use crate::db::{Db, SqlitePools};
use crate::error::StoreError;

/// The advisory-lock key of the projector leader ("chorus" + "proj" in ASCII).
const LEADER_LOCK_KEY: i64 = 0x6368_6f72_7573_7072;

/// The advisory-lock key of a rebuild ("chorus" + "rb" in ASCII).
const REBUILD_LOCK_KEY: i64 = 0x6368_6f72_7573_7262;

/// The session that holds, or keeps trying for, the projector-leader lock.
#[derive(Default)]
pub(crate) struct Leadership {
    /// Detached from the pool: dropping it closes the session, which releases the lock
    /// (a pooled connection would keep holding it). Kept between attempts, so followers
    /// do not open a connection per try.
    connection: Option<sqlx::PgConnection>,
    /// SQLite: the lock file, held while this process leads.
    lock_file: Option<File>,
    leading: bool,
    last_attempt: Option<std::time::Instant>,
}

impl Leadership {
    /// How often a follower tries for the lock.
    const RETRY: Duration = Duration::from_secs(1);

    pub(crate) async fn try_lead(&mut self, db: &Db) -> bool {
        let pool = match db {
            Db::Postgres(pool) => pool,
            Db::Sqlite(pools) => return self.try_lead_file(pools),
        };
        if self.leading {
            // Still ours while the session lives; a failed ping means it is gone.
            if let Some(connection) = self.connection.as_mut() {
                if sqlx::query("SELECT 1")
                    .execute(&mut *connection)
                    .await
                    .is_ok()
                {
                    return true;
                }
            }
            tracing::warn!("lost the projector-leader session");
            self.connection = None;
            self.leading = false;
        }
        if self
            .last_attempt
            .is_some_and(|at| at.elapsed() < Self::RETRY)
        {
            return false;
        }
        self.last_attempt = Some(std::time::Instant::now());
        if self.connection.is_none() {
            let Ok(connection) = pool.acquire().await else {
                return false;
            };
            self.connection = Some(connection.detach());
        }
        let Some(connection) = self.connection.as_mut() else {
            return false;
        };
        match try_lock(connection).await {
            Ok(true) => {
                tracing::info!("this process now leads the projections");
                self.leading = true;
                true
            }
            Ok(false) => false,
            Err(_) => {
                self.connection = None;
                false
            }
        }
    }
}

impl Leadership {
    fn try_lead_file(&mut self, pools: &SqlitePools) -> bool {
        if self.lock_file.is_some() {
            return true;
        }
        if self
            .last_attempt
            .is_some_and(|at| at.elapsed() < Self::RETRY)
        {
            return false;
        }
        self.last_attempt = Some(std::time::Instant::now());
        match try_lock_file(pools) {
            Ok(Some(file)) => {
                tracing::info!("this process now leads the projections");
                self.lock_file = Some(file);
                self.leading = true;
                true
            }
            Ok(None) => false,
            Err(error) => {
                // Without the file nothing can be refused, but the read models must move.
                tracing::warn!(%error, "cannot lock the projector-leader file; leading without it");
                true
            }
        }
    }
}

/// The leader's lock file of a SQLite database: beside it, named for it.
fn lock_path(pools: &SqlitePools) -> PathBuf {
    let mut name = pools
        .write
        .connect_options()
        .get_filename()
        .as_os_str()
        .to_owned();
    name.push("-projector.lock");
    PathBuf::from(name)
}

/// The leader's lock on a SQLite database's lock file, or `None` while another process
/// (or another projector of this one) holds it.
pub(crate) fn try_lock_file(pools: &SqlitePools) -> Result<Option<File>, StoreError> {
    let io = |e: std::io::Error| StoreError::Database(sqlx::Error::Io(e));
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(pools))
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(io(e)),
    }
}

pub(crate) async fn try_lock(connection: &mut sqlx::PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(LEADER_LOCK_KEY)
        .fetch_one(connection)
        .await
}

/// The rebuild lock on a session of its own (outside the pool, so that closing it, or
/// the process ending, releases the lock), or `None` while another rebuild holds it.
pub(crate) async fn try_lock_rebuild(
    pool: &sqlx::PgPool,
) -> Result<Option<sqlx::PgConnection>, StoreError> {
    use sqlx::Connection as _;
    let mut connection = sqlx::PgConnection::connect_with(&pool.connect_options()).await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(REBUILD_LOCK_KEY)
        .fetch_one(&mut connection)
        .await?;
    Ok(locked.then_some(connection))
}

/// Lets go of the rebuild lock and closes its session; a failure only means the server
/// releases it when it notices the closed connection.
pub(crate) async fn release_rebuild_lock(mut connection: sqlx::PgConnection) {
    use sqlx::Connection as _;
    let unlocked = sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)")
        .bind(REBUILD_LOCK_KEY)
        .fetch_one(&mut connection)
        .await;
    if let Err(error) = unlocked {
        tracing::warn!(%error, "could not release the rebuild lock; its session ends instead");
    }
    if let Err(error) = connection.close().await {
        tracing::debug!(%error, "closing the rebuild lock's session");
    }
}
