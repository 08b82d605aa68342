//! The contract between a bounded context and the composition root (`chorus-server`'s
//! `modules.rs`): what a context contributes besides its GraphQL slice (which the root
//! merges into the schema's types).

use std::sync::Arc;

use async_graphql::Data;
use chorus_kernel::Projection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::principal::Principal;
use crate::runtime::Runtime;

/// One bounded context, as the server runs it.
pub trait Module: Send + Sync + 'static {
    /// The context's name (logs, ARCHITECTURE.md).
    fn name(&self) -> &'static str;

    /// The projections that build the context's read models, in the order they run.
    fn projections(&self) -> Vec<Arc<dyn Projection>>;

    /// Per-request data the context's resolvers read, such as batch loaders confined to
    /// the caller's organization (over HTTP and on each subscription socket).
    fn request_data(&self, _runtime: &Arc<Runtime>, _principal: &Principal, _data: &mut Data) {}

    /// Background work the context runs while the server does (sweeps, schedules); each
    /// task ends when `shutdown` changes.
    fn spawn_background(
        &self,
        _runtime: Arc<Runtime>,
        _shutdown: watch::Receiver<bool>,
    ) -> Vec<JoinHandle<()>> {
        Vec::new()
    }
}
