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

    fn compliance_history(&self) -> Vec<&'static str> {
        export::CONTENT_HISTORY.to_vec()
    }

    fn published(&self) -> Vec<chorus_api::module::PublishedKind> {
        use chorus_api::module::PublishedKind as Kind;
        vec![
            Kind {
                aggregate_type: "post",
                node_kind: "Post",
            },
            Kind {
                aggregate_type: "approval_policy",
                node_kind: "ApprovalPolicy",
            },
            // One lexicon per organization, keyed by its id.
            Kind {
                aggregate_type: "lexicon",
                node_kind: "Organization",
            },
            Kind {
                aggregate_type: "legal_review",
                node_kind: "LegalReview",
            },
        ]
    }

    fn topics(&self) -> Vec<chorus_api::module::EventTopic> {
        use chorus_api::module::EventTopic;
        // What may change an approval inbox: a post entered or left review, was signed,
        // blocked or cleared.
        const REVIEW_EVENTS: &[&str] = &[
            "PostSubmitted",
            "PostSigned",
            "PostApproved",
            "PostRejected",
            "PostWithdrawn",
            "ApprovalsVoided",
            "PostLegallyBlocked",
            "PostLegallyCleared",
            "PostExpired",
        ];
        vec![
            EventTopic {
                field: "postUpdates",
                aggregate_type: "post",
                event_types: None,
            },
            EventTopic {
                field: "approvalInboxUpdates",
                aggregate_type: "post",
                event_types: Some(REVIEW_EVENTS),
            },
        ]
    }
}
