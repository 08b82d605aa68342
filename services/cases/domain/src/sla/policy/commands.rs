use uuid::Uuid;

use super::super::{SlaPolicyDefinition, SlaPolicyName};

/// Commands accepted by the [`SlaPolicy`](super::SlaPolicy) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum SlaPolicyCommand {
    /// Define a new policy; it starts at version 1.
    DefineSlaPolicy {
        /// Id of the new policy (also the aggregate id).
        policy_id: Uuid,
        /// Organization the policy belongs to.
        organization_id: Uuid,
        /// Its name.
        name: SlaPolicyName,
        /// Its targets, calendar and warning lead.
        definition: SlaPolicyDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// Replace the policy's targets, calendar or warning lead, creating the next version.
    ReviseSlaPolicy {
        /// The new content.
        definition: SlaPolicyDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// Stop applying the policy to new cases.
    RetireSlaPolicy {
        /// Who retired it.
        by: Uuid,
    },
}
