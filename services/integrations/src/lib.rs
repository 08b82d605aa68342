//! The integrations context: how other systems reach Chorus. Today SCIM 2.0 provisioning
//! from HR systems and identity providers (Okta, Microsoft Entra ID); webhooks and the
//! NATS relay will join it.
//!
//! - the pure domain is [`domain`] (`services/integrations/domain`), re-exported here;
//! - [`commands`] holds the use cases (over teams' people, role and reporting-line use
//!   cases), [`projection`] builds the read models and [`read`] queries them;
//! - [`scim`] is the SCIM door (`/scim/v2`), mounted by the server; [`graphql`] is the
//!   context's slice of the schema (`configureScimGroup`).

pub use chorus_integrations_domain as domain;

pub mod commands;
pub mod graphql;
pub mod projection;
pub mod read;
pub mod relay;
pub mod scim;

use std::sync::Arc;

use chorus_api::Module;

/// Every table the context owns: its read models, and the relay's checkpoints (not a
/// read model: a rebuild must not empty them).
pub const TABLES: &[&str] = &["scim_users", "scim_groups", "relay_checkpoints"];

/// The integrations context, as the server runs it.
#[derive(Debug, Clone, Default)]
pub struct IntegrationsModule {
    /// The NATS relay, when configured, with the kinds of records it relays.
    pub nats: Option<(relay::NatsRelayConfig, relay::RelayedKinds)>,
}

impl Module for IntegrationsModule {
    fn name(&self) -> &'static str {
        "integrations"
    }

    fn projections(&self) -> Vec<Arc<dyn chorus_kernel::Projection>> {
        vec![Arc::new(projection::IntegrationsProjection)]
    }

    fn spawn_background(
        &self,
        runtime: Arc<chorus_api::Runtime>,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        match &self.nats {
            Some((config, kinds)) => vec![relay::nats::spawn(
                runtime,
                config.clone(),
                kinds.clone(),
                shutdown,
            )],
            None => Vec::new(),
        }
    }
}
