//! The approval-policy mutations (`defineApprovalPolicy`, `reviseApprovalPolicy`,
//! `retireApprovalPolicy`), their inputs and payload.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{
    decode_id, execute, idempotency, outcome_uuid, principal, replayed, runtime, seal,
};
use chorus_content_domain as content;
use chorus_teams::api::{loader, ChannelById};
use chorus_teams::graphql::{Responsibility, RoleFunction};
use serde::Serialize;
use uuid::Uuid;

use crate::graphql::enums::ContentFlag;
use crate::graphql::policy::{scope_of, ApprovalPolicy, PolicyScopeInput};
use crate::graphql::shared::{actor_id, parse, payload, require_policy_manager};
use crate::read;

payload!(/// Result of approval-policy mutations.
    ApprovalPolicyPayload { policy: Option<ApprovalPolicy> });

/// Who may sign a step (or hold delegated authority).
#[derive(InputObject, Serialize)]
pub struct SignerRuleInput {
    function: RoleFunction,
    responsibility: Option<Responsibility>,
}

/// When a step applies; omitted or empty lists mean "any".
#[derive(InputObject, Serialize, Default)]
pub struct StepConditionsInput {
    #[graphql(default)]
    flags_any: Vec<ContentFlag>,
    #[graphql(default)]
    channel_ids: Vec<ID>,
    #[graphql(default)]
    author_functions: Vec<RoleFunction>,
}

/// One sign-off a post needs.
#[derive(InputObject, Serialize)]
pub struct PolicyStepInput {
    /// Unique within the policy.
    name: String,
    conditions: Option<StepConditionsInput>,
    /// Who may sign; any rule suffices.
    signers: Vec<SignerRuleInput>,
    /// How many different people must sign (1 to 10).
    #[graphql(default = 1)]
    required_signatures: i32,
}

/// Holders may publish flag-free posts without approval.
#[derive(InputObject, Serialize)]
pub struct DelegationInput {
    holders: Vec<SignerRuleInput>,
}

#[derive(InputObject, Serialize)]
pub struct DefineApprovalPolicyInput {
    scope: PolicyScopeInput,
    steps: Vec<PolicyStepInput>,
    delegation: Option<DelegationInput>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ReviseApprovalPolicyInput {
    policy_id: ID,
    steps: Vec<PolicyStepInput>,
    delegation: Option<DelegationInput>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetireApprovalPolicyInput {
    policy_id: ID,
    idempotency_key: Option<String>,
}

fn signer_rules(inputs: &[SignerRuleInput]) -> Vec<content::SignerRule> {
    inputs
        .iter()
        .map(|r| content::SignerRule {
            function: r.function.into(),
            responsibility: r.responsibility.map(Into::into),
        })
        .collect()
}

/// Builds and validates a policy definition from the input (fields named as in it).
async fn definition_of(
    ctx: &Context<'_>,
    steps: &[PolicyStepInput],
    delegation: &Option<DelegationInput>,
) -> ApiResult<content::PolicyDefinition> {
    let mut built = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let name: content::StepName = parse(&format!("steps[{i}].name"), &step.name)?;
        let required = u8::try_from(step.required_signatures).map_err(|_| {
            ApiError::bad_input(format!("steps[{i}].requiredSignatures"), "must be 1 to 10")
        })?;
        let conditions = match &step.conditions {
            Some(c) => {
                let mut channel_ids = Vec::with_capacity(c.channel_ids.len());
                for (j, id) in c.channel_ids.iter().enumerate() {
                    let field = format!("steps[{i}].conditions.channelIds[{j}]");
                    let uuid = decode_id("Channel", &field, id)?;
                    loader(ctx)?
                        .load_one(ChannelById(uuid))
                        .await?
                        .ok_or(ApiError::NotFound("channel"))?;
                    channel_ids.push(uuid);
                }
                content::StepConditions {
                    flags_any: c.flags_any.iter().map(|f| (*f).into()).collect(),
                    channel_ids,
                    author_functions: c.author_functions.iter().map(|f| (*f).into()).collect(),
                }
            }
            None => content::StepConditions::default(),
        };
        built.push(content::PolicyStep {
            name,
            conditions,
            signers: signer_rules(&step.signers),
            required_signatures: required,
        });
    }
    let delegation = delegation.as_ref().map(|d| content::Delegation {
        holders: signer_rules(&d.holders),
    });
    Ok(content::PolicyDefinition::new(built, delegation)?)
}

/// The approval-policy part of [`super::ContentMutation`].
#[derive(Default)]
pub struct PolicyMutation;

#[Object]
impl PolicyMutation {
    /// Defines an approval policy (version 1) for the organization, a team or a channel.
    /// Legal-role holders and organization admins only.
    async fn define_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: DefineApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "defineApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let scope = scope_of(ctx, "scope", &input.scope).await?;
            let definition = definition_of(ctx, &input.steps, &input.delegation).await?;
            let policy_id = Uuid::now_v7();
            let command = content::ApprovalPolicyCommand::DefinePolicy {
                policy_id,
                organization_id: principal.organization_id,
                scope,
                definition,
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Replaces a policy's content with a new version. Legal-role holders and admins only.
    async fn revise_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: ReviseApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "reviseApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let policy_id = existing_policy(ctx, &input.policy_id).await?;
            let definition = definition_of(ctx, &input.steps, &input.delegation).await?;
            let command = content::ApprovalPolicyCommand::RevisePolicy {
                definition,
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Stops applying a policy. Legal-role holders and admins only.
    async fn retire_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: RetireApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "retireApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let policy_id = existing_policy(ctx, &input.policy_id).await?;
            let command = content::ApprovalPolicyCommand::RetirePolicy {
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }
}

/// A policy of the caller's organization, or NOT_FOUND.
async fn existing_policy(ctx: &Context<'_>, id: &ID) -> ApiResult<Uuid> {
    let id = decode_id("ApprovalPolicy", "policyId", id)?;
    let org = principal(ctx)?.organization_id;
    let (policy, _, owner) = runtime(ctx)?
        .store
        .load::<content::ApprovalPolicy>(&id.to_string())
        .await?;
    if owner != Some(org) || !policy.exists() {
        return Err(ApiError::NotFound("approval policy"));
    }
    Ok(id)
}

async fn policy_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<ApprovalPolicyPayload> {
    let id = outcome_uuid(outcome)?;
    let org = principal(ctx)?.organization_id;
    Ok(ApprovalPolicyPayload {
        policy: read::policy(&runtime(ctx)?.db, org, id)
            .await?
            .map(ApprovalPolicy),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}
