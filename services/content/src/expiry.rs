//! Expiry: a post that reaches its scheduled time without the approvals it needs is not
//! published; it expires, and the expiry is an event. The sweeper finds such posts in the
//! read model and issues `ExpirePost` as the system; the domain decides (a post approved
//! in the meantime answers NOT_EXPIRABLE and is left alone).

use std::sync::Arc;
use std::time::Duration;

use chorus_content_domain::post::{Post, PostCommand};
use chorus_kernel::on_read;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use chorus_api::Runtime;

/// Posts examined per sweep; the next sweep takes the rest.
const BATCH: i64 = 500;

/// Expires every overdue post now; returns how many expired.
pub async fn sweep(state: &Runtime) -> Result<u64, chorus_kernel::StoreError> {
    let now = chorus_kernel::now();
    let overdue: Vec<(Uuid, Uuid)> = on_read!(&state.db, pool => {
        sqlx::query_as(
            "SELECT id, organization_id FROM posts WHERE status IN ('DRAFT', 'IN_REVIEW', 'REJECTED') \
             AND scheduled_at IS NOT NULL AND scheduled_at <= $1 ORDER BY scheduled_at LIMIT $2",
        )
        .bind(now)
        .bind(BATCH)
        .fetch_all(pool)
        .await?
    });
    // A post approved, published or changed meanwhile is refused by the domain, or another
    // writer got there first: the next sweep sees the new state.
    let command = || PostCommand::ExpirePost { now };
    let expired =
        chorus_api::background::as_system_each::<Post>(state, "expiry", overdue, command).await?;
    if expired > 0 {
        tracing::info!(expired, "overdue posts expired");
    }
    Ok(expired)
}

/// Sweeps every `every` on the process that leads the projections (one per deployment).
pub fn spawn(
    runtime: Arc<Runtime>,
    every: Duration,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    chorus_api::background::every_on_leader(
        runtime,
        every,
        shutdown,
        "expiry",
        |runtime| async move { sweep(&runtime).await },
    )
}
