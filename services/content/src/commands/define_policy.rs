//! `defineApprovalPolicy`: a legal-role holder or an organization admin defines an
//! approval policy (version 1) for the organization, one of its teams or channels.

use chorus_api::{ApiResult, Caller};
use chorus_teams::values::ScopeKind;
use uuid::Uuid;

use super::{actor_id, replay_or_execute, require_policy_manager, Outcome, RetryKey};
use crate::domain::{
    ApprovalPolicy, ApprovalPolicyCommand, Delegation, PolicyDefinition, PolicyScope, PolicyStep,
};

/// A parsed `defineApprovalPolicy` request. An organization scope names the caller's
/// organization; the steps' channels are decoded but not yet checked.
#[derive(Debug, Clone)]
pub struct DefinePolicy {
    pub scope: PolicyScope,
    pub steps: Vec<PolicyStep>,
    pub delegation: Option<Delegation>,
}

pub async fn define_policy(caller: Caller<'_>, input: DefinePolicy, key: RetryKey) -> Outcome {
    require_policy_manager(caller).await?;
    replay_or_execute::<ApprovalPolicy, _>(caller, key, || async move {
        let scope = ensure_scope(caller, input.scope).await?;
        let definition = checked_definition(caller, input.steps, input.delegation).await?;
        let policy_id = Uuid::now_v7();
        let command = ApprovalPolicyCommand::DefinePolicy {
            policy_id,
            organization_id: caller.organization_id(),
            scope,
            definition,
            by: actor_id(&caller),
        };
        Ok((policy_id, command))
    })
    .await
}

/// A scope of the caller's organization: its team or channel exists, or NOT_FOUND.
pub async fn ensure_scope(caller: Caller<'_>, scope: PolicyScope) -> ApiResult<PolicyScope> {
    let id = match scope.kind {
        ScopeKind::Organization => scope.id,
        ScopeKind::Team => chorus_teams::api::team(caller, scope.id).await?.id,
        ScopeKind::Channel => chorus_teams::api::channel(caller, scope.id).await?.id,
    };
    Ok(PolicyScope {
        kind: scope.kind,
        id,
    })
}

/// A policy's content, validated as a whole once every channel its steps' conditions
/// name is found in the caller's organization (NOT_FOUND otherwise).
pub(super) async fn checked_definition(
    caller: Caller<'_>,
    steps: Vec<PolicyStep>,
    delegation: Option<Delegation>,
) -> ApiResult<PolicyDefinition> {
    for step in &steps {
        for channel in &step.conditions.channel_ids {
            chorus_teams::api::channel(caller, *channel).await?;
        }
    }
    Ok(PolicyDefinition::new(steps, delegation)?)
}
