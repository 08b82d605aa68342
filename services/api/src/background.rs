//! Background work the leading process does on a schedule (expiring posts, SLA alerts,
//! case queues): one loop for every context, so each names only its sweep.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::runtime::Runtime;

/// Runs `sweep` every `every` on the process whose projector leads (one per deployment)
/// until `shutdown` changes; a failed sweep is logged as `what` and tried again next time.
pub fn every_on_leader<F, Fut, E>(
    runtime: Arc<Runtime>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
    what: &'static str,
    sweep: F,
) -> JoinHandle<()>
where
    F: Fn(Arc<Runtime>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<u64, E>> + Send,
    E: std::fmt::Display,
{
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
            if !runtime.projector.is_leader() {
                continue;
            }
            if let Err(error) = sweep(runtime.clone()).await {
                tracing::error!(%error, what, "background sweep failed; will retry");
            }
        }
    })
}
