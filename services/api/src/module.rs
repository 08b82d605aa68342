//! The contract between a bounded context and the composition root (`chorus-server`'s
//! `modules.rs`): what a context contributes besides its GraphQL slice (which the root
//! merges into the schema's types), including what its events mean to subscribers.

use std::sync::Arc;

use async_graphql::Data;
use chorus_kernel::{Projection, RecordedEvent};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::principal::Principal;
use crate::responses::Keepable;
use crate::runtime::Runtime;

/// A kind of record whose events subscribers can follow (`events(aggregateTypes:)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedKind {
    /// The stored aggregate type, e.g. `reporting_lines`; clients name it by the enum
    /// value of the same name in capitals (`REPORTING_LINES`).
    pub aggregate_type: &'static str,
    /// The `Node` kind an event's `aggregateId` is a global id of (`Organization` for a
    /// record kept per organization, such as its reporting lines).
    pub node_kind: &'static str,
}

/// Events a context publishes under a subscription field's name (`postUpdates`): of one
/// aggregate type, and of some event types only when `event_types` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTopic {
    pub field: &'static str,
    pub aggregate_type: &'static str,
    pub event_types: Option<&'static [&'static str]>,
}

impl EventTopic {
    pub fn matches(&self, event: &RecordedEvent) -> bool {
        event.aggregate_type == self.aggregate_type
            && self
                .event_types
                .is_none_or(|types| types.contains(&event.event_type.as_str()))
    }
}

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

    /// The kinds of records whose events subscribers may follow, in the order the API
    /// lists them.
    fn published(&self) -> Vec<PublishedKind> {
        Vec::new()
    }

    /// The context's named event topics, one per subscription field it has.
    fn topics(&self) -> Vec<EventTopic> {
        Vec::new()
    }

    /// Branches the compliance export adds to an organization's history (approvals,
    /// rejections, legal reviews, …): each a `SELECT` of the export's columns (`kind,
    /// occurred_at, post_id, subject_kind, subject_reference, actor_id, assignment_id,
    /// function, responsibility, policy_id, policy_version, step, review_kind, outcome,
    /// voided_at, void_reason, comment`) from the context's own tables, filtered by
    /// `organization_id = $1` and its time column in `[$2, $3)` (one index range scan).
    fn compliance_history(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// Why `event` ends `subscriber`'s access (an offboarded person, a revoked token), if
    /// it does: their open subscriptions then end with `UNAUTHENTICATED` and this reason.
    fn ends_access(&self, _event: &RecordedEvent, _subscriber: &Principal) -> Option<&'static str> {
        None
    }

    /// The root query fields and the fields whose whole answers may be kept in-process
    /// ([`crate::responses`]).
    fn keepable(&self) -> Keepable {
        Keepable::default()
    }
}
