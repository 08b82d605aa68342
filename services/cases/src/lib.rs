//! The cases context: complaints and enquiries from contacts, routed by versioned rules to
//! the right team and function, timed by SLAs, answered under control.
//!
//! - the pure domain is [`domain`] (`services/cases/domain`), re-exported here;
//! - [`service`] gathers what the domain's commands need from elsewhere (the roles a
//!   person holds in a case's scope, the routing rules, SLA policy and calendar in force,
//!   the lexicon's matches); [`ids`] derives the ids that make intake idempotent;
//! - [`commands`] holds one use case per command; [`projection`] builds the read models,
//!   [`read`] queries them; [`graphql`] is the context's slice of the schema;
//! - [`sla_timer`] records SLA warnings and breaches on the leading process.

pub use chorus_cases_domain as domain;

pub mod commands;
pub mod dispatch;
pub mod export;
pub mod graphql;
pub mod holders;
pub mod ids;
pub mod projection;
pub mod read;
pub mod service;
pub mod sla_timer;
pub mod subscription;

use std::sync::Arc;
use std::time::Duration;

use chorus_api::module::{EventTopic, PublishedKind};
use chorus_api::{Module, Runtime};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The cases context's settings, from the server's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSettings {
    /// How long after its resolution a contact's message reopens a case (after it, the
    /// message opens a new case that follows the old one).
    pub reopen_window_minutes: u32,
}

impl Default for CaseSettings {
    fn default() -> Self {
        Self {
            reopen_window_minutes: 7 * 24 * 60,
        }
    }
}

/// The cases context, as the server runs it.
#[derive(Debug, Clone, Copy)]
pub struct CasesModule {
    /// How often the SLA timer looks for warnings and breaches due.
    pub sla_timer_every: Duration,
    /// The context's settings.
    pub settings: CaseSettings,
}

impl Module for CasesModule {
    fn name(&self) -> &'static str {
        "cases"
    }

    fn projections(&self) -> Vec<Arc<dyn chorus_kernel::Projection>> {
        vec![Arc::new(projection::CasesProjection)]
    }

    fn request_data(
        &self,
        runtime: &Arc<Runtime>,
        principal: &chorus_api::Principal,
        data: &mut async_graphql::Data,
    ) {
        data.insert(self.settings);
        data.insert(async_graphql::dataloader::DataLoader::new(
            read::CasesLoader {
                db: runtime.db.clone(),
                org: principal.organization_id,
            },
            tokio::spawn,
        ));
        data.insert(read::kept::PageContacts::default());
    }

    fn spawn_background(
        &self,
        runtime: Arc<Runtime>,
        shutdown: watch::Receiver<bool>,
    ) -> Vec<JoinHandle<()>> {
        vec![
            sla_timer::spawn(runtime.clone(), self.sla_timer_every, shutdown.clone()),
            holders::spawn(runtime.clone(), self.sla_timer_every, shutdown.clone()),
            dispatch::spawn(runtime, self.sla_timer_every, shutdown),
        ]
    }

    fn compliance_history(&self) -> Vec<&'static str> {
        export::CASES_HISTORY.to_vec()
    }

    fn keepable(&self) -> chorus_api::responses::Keepable {
        graphql::KEEPABLE
    }

    fn published(&self) -> Vec<PublishedKind> {
        vec![
            PublishedKind {
                aggregate_type: "case",
                node_kind: "Case",
            },
            PublishedKind {
                aggregate_type: "contact",
                node_kind: "Contact",
            },
            // One rule set per organization, keyed by its id.
            PublishedKind {
                aggregate_type: "routing_rules",
                node_kind: "Organization",
            },
            PublishedKind {
                aggregate_type: "sla_policy",
                node_kind: "SlaPolicy",
            },
            PublishedKind {
                aggregate_type: "business_calendar",
                node_kind: "BusinessCalendar",
            },
            // One queue per team, keyed by the team's id.
            PublishedKind {
                aggregate_type: "case_queue",
                node_kind: "Team",
            },
        ]
    }

    fn topics(&self) -> Vec<EventTopic> {
        vec![
            EventTopic {
                field: "caseUpdates",
                aggregate_type: "case",
                event_types: None,
            },
            EventTopic {
                field: "caseQueueUpdates",
                aggregate_type: "case",
                event_types: Some(QUEUE_EVENTS),
            },
        ]
    }
}

/// What may change a team's queue: a case entered, left or moved in it.
pub const QUEUE_EVENTS: &[&str] = &[
    "CaseOpened",
    "CaseReopened",
    "CaseAssigned",
    "CaseReturnedToQueue",
    "CaseTransferred",
    "CaseAwaitingContact",
    "ContactMessageReceived",
    "ReplySent",
    "CaseEscalated",
    "CaseResolved",
    "CaseMerged",
    "SlaWarningRecorded",
    "SlaBreachRecorded",
    "SlaRecounted",
];
