//! The SLA timer: a case whose next SLA warning or breach has fallen due records it as
//! an event, once. The timer runs on the process that leads the projections and finds
//! the cases due through the indexed `cases.next_timer` column, so its work grows with
//! the cases due, not with all cases; the domain decides what is due (a case answered or
//! paused meanwhile records nothing), and an alert already recorded is never recorded
//! again, across restarts and replicas, because it is part of the case's own state and
//! appends are checked against the case's sequence.

use std::sync::Arc;
use std::time::Duration;

use chorus_api::Runtime;
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_kernel::{on_read, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Cases examined per sweep; the next sweep takes the rest.
const BATCH: i64 = 500;

/// Records every SLA alert due now; returns how many cases recorded one.
pub async fn sweep(state: &Runtime) -> Result<u64, StoreError> {
    let now = chorus_kernel::now();
    let due: Vec<(Uuid, Uuid)> = on_read!(&state.db, pool => {
        sqlx::query_as(
            "SELECT id, organization_id FROM cases WHERE next_timer IS NOT NULL AND next_timer <= $1 \
             ORDER BY next_timer LIMIT $2",
        )
        .bind(now)
        .bind(BATCH)
        .fetch_all(pool)
        .await?
    });
    let command = || CaseCommand::RecordSlaAlerts { now };
    let recorded =
        chorus_api::background::as_system_each::<Case>(state, "sla-timer", due, command).await?;
    if recorded > 0 {
        tracing::info!(recorded, "SLA alerts recorded");
    }
    Ok(recorded)
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
        "SLA timer",
        |runtime| async move { sweep(&runtime).await },
    )
}
