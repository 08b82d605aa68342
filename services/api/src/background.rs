//! Background work the leading process does on a schedule (expiring posts, SLA alerts,
//! case queues): one loop for every context, so each names only its sweep.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chorus_kernel::{Actor, CommandContext, CommandError, StoreError};
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

/// Runs `command` on aggregate `id` of organization `org` as the system, through the
/// door `channel` (a sweep's): `true` when it was recorded, `false` when the domain
/// refused it or another writer got there first (the next sweep sees the new state).
pub async fn as_system<A>(
    runtime: &Runtime,
    org: uuid::Uuid,
    channel: &'static str,
    id: uuid::Uuid,
    command: A::Command,
) -> Result<bool, StoreError>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: Send,
{
    let context = CommandContext::new(org, Actor::system(), channel);
    match runtime
        .store
        .execute::<A>(&context, &id.to_string(), command, &())
        .await
    {
        Ok(_) => Ok(true),
        Err(CommandError::Domain(_) | CommandError::Conflict) => Ok(false),
        Err(CommandError::Store(error)) => Err(error),
        Err(other) => {
            tracing::warn!(%id, error = %other, channel, "a sweep's command was not run");
            Ok(false)
        }
    }
}

/// [`as_system`] on each `(aggregate, organization)` a sweep found due, with the command
/// `command()` makes; answers how many were recorded.
pub async fn as_system_each<A>(
    runtime: &Runtime,
    channel: &'static str,
    due: Vec<(uuid::Uuid, uuid::Uuid)>,
    command: impl Fn() -> A::Command,
) -> Result<u64, StoreError>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: Send,
{
    let mut recorded = 0;
    for (id, org) in due {
        if as_system::<A>(runtime, org, channel, id, command()).await? {
            recorded += 1;
        }
    }
    Ok(recorded)
}
