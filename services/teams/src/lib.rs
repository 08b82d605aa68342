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
            },
            tokio::spawn,
        ));
    }
}
