use uuid::Uuid;

use super::{PolicyDefinition, PolicyScope};

/// Commands accepted by the [`ApprovalPolicy`](super::ApprovalPolicy) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ApprovalPolicyCommand {
    /// Define a new policy; it starts at version 1.
    DefinePolicy {
        /// Id of the new policy (also the aggregate id).
        policy_id: Uuid,
        /// Organization the policy belongs to.
        organization_id: Uuid,
        /// Where the policy applies; an organization scope must name
        /// `organization_id`.
        scope: PolicyScope,
        /// What the policy says.
        definition: PolicyDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// Replace the policy's content, creating the next version.
    RevisePolicy {
        /// The new content.
        definition: PolicyDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// Stop applying the policy.
    RetirePolicy {
        /// Who retired it.
        by: Uuid,
    },
}
