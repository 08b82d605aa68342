use chorus_shared::refuse_if;
use chorus_teams_domain::values::ScopeKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    ApprovalPolicyCommand, ApprovalPolicyError, ApprovalPolicyEvent, PolicyDefinition, PolicyScope,
    PolicySnapshot,
};
use crate::values::ValueError;

/// State of one approval policy, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApprovalPolicy {
    policy_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    scope: Option<PolicyScope>,
    version: u64,
    definition: PolicyDefinition,
    retired: bool,
}

impl ApprovalPolicy {
    /// Id of the policy, `None` until defined.
    pub fn policy_id(&self) -> Option<Uuid> {
        self.policy_id
    }

    /// Organization the policy belongs to, `None` until defined.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Where the policy applies, `None` until defined.
    pub fn scope(&self) -> Option<PolicyScope> {
        self.scope
    }

    /// Current version (0 until defined).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Content of the current version.
    pub fn definition(&self) -> &PolicyDefinition {
        &self.definition
    }

    /// Whether the policy has been retired.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Whether the policy has been defined.
    pub fn exists(&self) -> bool {
        self.policy_id.is_some()
    }

    /// The current version as a post records it, or `None` when the policy
    /// does not exist or is retired (a retired policy applies to nothing).
    pub fn snapshot(&self) -> Option<PolicySnapshot> {
        if self.retired {
            return None;
        }
        Some(PolicySnapshot {
            policy_id: self.policy_id?,
            version: self.version,
            scope: self.scope?,
            definition: self.definition.clone(),
        })
    }

    /// Guard shared by every command on an existing policy.
    fn ensure_active(&self) -> Result<(), ApprovalPolicyError> {
        refuse_if(!self.exists(), ApprovalPolicyError::NotFound)?;
        refuse_if(self.retired, ApprovalPolicyError::Retired)?;
        Ok(())
    }
}

chorus_shared::aggregate!(
    ApprovalPolicy,
    "approval_policy",
    ApprovalPolicyCommand,
    ApprovalPolicyEvent,
    ApprovalPolicyError
);

impl ApprovalPolicy {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: ApprovalPolicyCommand,
    ) -> Result<Vec<ApprovalPolicyEvent>, ApprovalPolicyError> {
        let events = match command {
            ApprovalPolicyCommand::DefinePolicy {
                policy_id,
                organization_id,
                scope,
                definition,
                by,
            } => {
                refuse_if(self.exists(), ApprovalPolicyError::AlreadyExists)?;
                if scope.kind == ScopeKind::Organization && scope.id != organization_id {
                    return Err(ValueError::new(
                        "scope",
                        "an organization scope must name the policy's organization",
                    )
                    .into());
                }
                vec![ApprovalPolicyEvent::PolicyDefined {
                    policy_id,
                    organization_id,
                    scope,
                    version: 1,
                    definition,
                    by,
                }]
            }

            ApprovalPolicyCommand::RevisePolicy { definition, by } => {
                self.ensure_active()?;
                refuse_if(
                    definition == self.definition,
                    ApprovalPolicyError::Unchanged,
                )?;
                vec![ApprovalPolicyEvent::PolicyRevised {
                    version: self.version + 1,
                    definition,
                    by,
                }]
            }

            ApprovalPolicyCommand::RetirePolicy { by } => {
                self.ensure_active()?;
                vec![ApprovalPolicyEvent::PolicyRetired {
                    version: self.version,
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ApprovalPolicyEvent) {
        match event {
            ApprovalPolicyEvent::PolicyDefined {
                policy_id,
                organization_id,
                scope,
                version,
                definition,
                ..
            } => {
                self.policy_id = Some(policy_id);
                self.organization_id = Some(organization_id);
                self.scope = Some(scope);
                self.version = version;
                self.definition = definition;
            }
            ApprovalPolicyEvent::PolicyRevised {
                version,
                definition,
                ..
            } => {
                self.version = version;
                self.definition = definition;
            }
            ApprovalPolicyEvent::PolicyRetired { .. } => {
                self.retired = true;
            }
        }
    }
}
