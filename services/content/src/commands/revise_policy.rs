//! `reviseApprovalPolicy` and `retireApprovalPolicy`: an existing policy of the caller's
//! organization gets a new version, or stops applying. Legal-role holders and
//! organization admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use uuid::Uuid;

use super::define_policy::checked_definition;
use super::{actor_id, replay_or_execute, require_policy_manager, Outcome, RetryKey};
use crate::domain::{ApprovalPolicy, ApprovalPolicyCommand, Delegation, PolicyStep};

/// A parsed `reviseApprovalPolicy` request; the steps' channels are not yet checked.
#[derive(Debug, Clone)]
pub struct RevisePolicy {
    pub policy_id: Uuid,
    pub steps: Vec<PolicyStep>,
    pub delegation: Option<Delegation>,
}

/// Replaces a policy's content with a new version.
pub async fn revise_policy(caller: Caller<'_>, input: RevisePolicy, key: RetryKey) -> Outcome {
    require_policy_manager(caller).await?;
    replay_or_execute::<ApprovalPolicy, _>(caller, key, || async move {
        let policy_id = existing_policy(caller, input.policy_id).await?;
        let definition = checked_definition(caller, input.steps, input.delegation).await?;
        let by = actor_id(&caller);
        Ok((
            policy_id,
            ApprovalPolicyCommand::RevisePolicy { definition, by },
        ))
    })
    .await
}

/// Stops applying a policy.
pub async fn retire_policy(caller: Caller<'_>, policy_id: Uuid, key: RetryKey) -> Outcome {
    require_policy_manager(caller).await?;
    replay_or_execute::<ApprovalPolicy, _>(caller, key, || async move {
        let policy_id = existing_policy(caller, policy_id).await?;
        let by = actor_id(&caller);
        Ok((policy_id, ApprovalPolicyCommand::RetirePolicy { by }))
    })
    .await
}

/// A policy of the caller's organization, from its events, or NOT_FOUND.
async fn existing_policy(caller: Caller<'_>, id: Uuid) -> ApiResult<Uuid> {
    let (policy, _, owner) = caller
        .runtime
        .store
        .load::<ApprovalPolicy>(&id.to_string())
        .await?;
    if owner != Some(caller.organization_id()) || !policy.exists() {
        return Err(ApiError::NotFound("approval policy"));
    }
    Ok(id)
}
