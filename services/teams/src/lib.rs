//! The teams context: organizations, teams, people with their role assignments,
//! reporting lines, social channels and service tokens.
//!
//! - the pure domain is [`domain`] (`services/teams/domain`), re-exported here;
//! - [`commands`] are the use cases (one per mutation), [`access`] who may run them;
//! - [`projection`] builds the read models, [`read`] queries them (one file per model);
//! - [`graphql`] is the context's slice of the schema; [`service_tokens`] gathers the
//!   token registry as the server's authentication and command line use it;
//! - [`api`] is what other contexts may ask of this one.

pub use chorus_teams_domain as domain;
pub use chorus_teams_domain::*;

pub mod access;
pub mod api;
pub mod commands;
pub mod graphql;
pub mod projection;
pub mod read;
pub mod service_tokens;

use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use chorus_api::{Module, Principal, Runtime};

/// The teams context, as the server runs it.
#[derive(Debug, Default, Clone, Copy)]
pub struct TeamsModule;

impl Module for TeamsModule {
    fn name(&self) -> &'static str {
        "teams"
    }

    fn projections(&self) -> Vec<Arc<dyn chorus_kernel::Projection>> {
        vec![Arc::new(projection::TeamsProjection)]
    }

    fn request_data(
        &self,
        runtime: &Arc<Runtime>,
        principal: &Principal,
        data: &mut async_graphql::Data,
    ) {
        data.insert(DataLoader::new(
            read::TeamsLoader {
                db: runtime.db.clone(),
                org: principal.organization_id,
                cached: Some(runtime.clone()),
            },
            tokio::spawn,
        ));
    }

    fn published(&self) -> Vec<chorus_api::module::PublishedKind> {
        use chorus_api::module::PublishedKind as Kind;
        vec![
            Kind {
                aggregate_type: "organization",
                node_kind: "Organization",
            },
            Kind {
                aggregate_type: "team",
                node_kind: "Team",
            },
            Kind {
                aggregate_type: "person",
                node_kind: "Person",
            },
            // One set of reporting lines per organization, keyed by its id.
            Kind {
                aggregate_type: "reporting_lines",
                node_kind: "Organization",
            },
            Kind {
                aggregate_type: "channel",
                node_kind: "Channel",
            },
            Kind {
                aggregate_type: "service_token",
                node_kind: "ServiceToken",
            },
        ]
    }

    fn ends_access(
        &self,
        event: &chorus_kernel::RecordedEvent,
        subscriber: &Principal,
    ) -> Option<&'static str> {
        let about =
            |id: Option<uuid::Uuid>| id.is_some_and(|id| id.to_string() == event.aggregate_id);
        match (event.aggregate_type.as_str(), event.event_type.as_str()) {
            ("person", "PersonOffboarded") if about(subscriber.person_id()) => {
                Some("your access to this organization ended")
            }
            ("service_token", "ServiceTokenRevoked") if about(subscriber.token_id) => {
                Some("the token was revoked")
            }
            _ => None,
        }
    }
}
