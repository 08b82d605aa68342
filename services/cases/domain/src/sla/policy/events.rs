use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{SlaPolicyDefinition, SlaPolicyName};

/// Facts recorded by the [`SlaPolicy`](super::SlaPolicy) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum SlaPolicyEvent {
    /// A policy was defined (version 1).
    SlaPolicyDefined {
        /// Id of the policy.
        policy_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// Its name.
        name: SlaPolicyName,
        /// Always 1.
        version: u64,
        /// Its targets, calendar and warning lead.
        definition: SlaPolicyDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// A new version of the policy replaced the previous one.
    SlaPolicyRevised {
        /// The new version number.
        version: u64,
        /// What the new version says.
        definition: SlaPolicyDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// The policy stopped applying to new cases.
    SlaPolicyRetired {
        /// The last version.
        version: u64,
        /// Who retired it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(SlaPolicyEvent);
