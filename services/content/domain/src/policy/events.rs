use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PolicyDefinition, PolicyScope};

/// Facts recorded by the [`ApprovalPolicy`](super::ApprovalPolicy) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum ApprovalPolicyEvent {
    /// A policy was defined (version 1).
    PolicyDefined {
        /// Id of the policy.
        policy_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// Where it applies.
        scope: PolicyScope,
        /// Always 1.
        version: u64,
        /// What it says.
        definition: PolicyDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// A new version of the policy replaced the previous one.
    PolicyRevised {
        /// The new version number.
        version: u64,
        /// What the new version says.
        definition: PolicyDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// The policy stopped applying.
    PolicyRetired {
        /// The last version.
        version: u64,
        /// Who retired it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(ApprovalPolicyEvent);
