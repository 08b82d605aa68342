//! The content context: posts, approvals under versioned policies, the flagging lexicon
//! and legal reviews.
//!
//! - the pure domain is [`domain`] (`services/content/domain`), re-exported here;
//! - [`service`] gathers what the domain's commands need from elsewhere (held roles,
//!   applicable policies, lexicon matches); [`projection`] builds the read models
//!   ([`post_batch`] applies a batch of post events at once), [`read`] queries them;
//! - [`graphql`] is the context's slice of the schema; [`export`] streams the compliance
//!   history; [`expiry`] expires overdue posts.

pub use chorus_content_domain as domain;
pub use chorus_content_domain::*;

pub mod commands;
pub mod expiry;
pub mod export;
pub mod graphql;
mod post_batch;
pub mod projection;
pub mod read;
pub mod service;

use std::sync::Arc;
use std::time::Duration;

use chorus_api::{Module, Runtime};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The content context, as the server runs it.
#[derive(Debug, Clone, Copy)]
pub struct ContentModule {
    /// How often overdue posts are expired.
    pub expiry_every: Duration,
}

impl Module for ContentModule {
    fn name(&self) -> &'static str {
        "content"
    }

    fn projections(&self) -> Vec<Arc<dyn chorus_kernel::Projection>> {
        vec![Arc::new(projection::ContentProjection)]
    }

    fn spawn_background(
        &self,
        runtime: Arc<Runtime>,
        shutdown: watch::Receiver<bool>,
    ) -> Vec<JoinHandle<()>> {
        vec![expiry::spawn(runtime, self.expiry_every, shutdown)]
    }
}
