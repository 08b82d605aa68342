//! The composition root: the bounded contexts this build runs. Adding a context means
//! one entry in [`modules`] and its query and mutation roots in [`Query`] and
//! [`Mutation`]; everything else about it (its projections, background work, the record
//! kinds and topics it publishes to subscribers) lives in its own folder under
//! `services/`.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_graphql::MergedObject;
use chorus_api::module::PublishedKind;
use chorus_api::Module;
use chorus_cases::graphql::{CasesMutation, CasesQuery};
use chorus_content::graphql::{ContentMutation, ContentQuery};
use chorus_integrations::graphql::{IntegrationsMutation, IntegrationsQuery};
use chorus_integrations::relay::{NatsRelayConfig, RelayedKind, RelayedKinds};
use chorus_teams::graphql::{TeamsMutation, TeamsQuery};
use chorus_teams::service_tokens::{ServiceTokensMutation, ServiceTokensQuery};

use crate::config::Config;
use crate::graphql::node::NodeQuery;

/// Every context, in the order their projections run.
pub fn modules(config: &Config) -> Vec<Arc<dyn Module>> {
    // The contexts whose records leave through the integrations context's relay.
    let contexts: Vec<Arc<dyn Module>> = vec![
        Arc::new(chorus_teams::TeamsModule),
        Arc::new(chorus_content::ContentModule {
            expiry_every: Duration::from_secs(config.expiry_sweep_seconds.max(1)),
        }),
        Arc::new(chorus_cases::CasesModule {
            sla_timer_every: Duration::from_secs(config.cases.sla_timer_seconds.max(1)),
            settings: chorus_cases::CaseSettings {
                reopen_window_minutes: config.cases.reopen_window_minutes,
            },
        }),
    ];
    let nats = (!config.nats.url.is_empty()).then(|| {
        let kinds = contexts
            .iter()
            .flat_map(|module| {
                let context = module.name();
                module.published().into_iter().map(move |kind| RelayedKind {
                    context,
                    aggregate_type: kind.aggregate_type,
                    node_kind: kind.node_kind,
                })
            })
            .collect();
        let relay = NatsRelayConfig {
            url: config.nats.url.clone(),
            stream: config.nats.stream.clone(),
            subject_prefix: config.nats.subject_prefix.clone(),
            duplicate_window: Duration::from_secs(config.nats.duplicate_window_seconds.max(1)),
        };
        (relay, RelayedKinds::new(kinds))
    });
    let mut modules = contexts;
    modules.push(Arc::new(chorus_integrations::IntegrationsModule { nats }));
    modules
}

/// The kinds of records every context publishes to subscribers, in module order (the
/// `AggregateType` enum). They do not depend on configuration.
pub fn published_kinds() -> &'static [PublishedKind] {
    static KINDS: LazyLock<Vec<PublishedKind>> = LazyLock::new(|| {
        modules(&Config::default())
            .iter()
            .flat_map(|module| module.published())
            .collect()
    });
    &KINDS
}

/// The root query: each bounded context contributes its slice.
#[derive(MergedObject, Default)]
pub struct Query(
    TeamsQuery,
    NodeQuery,
    ServiceTokensQuery,
    ContentQuery,
    CasesQuery,
    IntegrationsQuery,
);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    TeamsMutation,
    ServiceTokensMutation,
    ContentMutation,
    CasesMutation,
    IntegrationsMutation,
);
