//! Projector leadership on PostgreSQL: one process applies batches at a time, holding a
//! session advisory lock; the others follow and take over when its session goes away.

use std::time::Duration;

use crate::db::Db;

/// The advisory-lock key of the projector leader ("chorus" + "proj" in ASCII).
const LEADER_LOCK_KEY: i64 = 0x6368_6f72_7573_7072;

/// The session that holds, or keeps trying for, the projector-leader lock.
#[derive(Default)]
pub(crate) struct Leadership {
    /// Detached from the pool: dropping it closes the session, which releases the lock
    /// (a pooled connection would keep holding it). Kept between attempts, so followers
    /// do not open a connection per try.
    connection: Option<sqlx::PgConnection>,
    leading: bool,
    last_attempt: Option<std::time::Instant>,
}

impl Leadership {
    /// How often a follower tries for the lock.
    const RETRY: Duration = Duration::from_secs(1);

    /// SQLite has one writer per file anyway: every projector leads there.
    pub(crate) async fn try_lead(&mut self, db: &Db) -> bool {
        let Db::Postgres(pool) = db else { return true };
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

pub(crate) async fn try_lock(connection: &mut sqlx::PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(LEADER_LOCK_KEY)
        .fetch_one(connection)
        .await
}
