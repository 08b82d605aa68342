//! The approval-policy mutations (`defineApprovalPolicy`, `reviseApprovalPolicy`,
//! `retireApprovalPolicy`), their inputs and payload.

use std::future::Future;

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{decode_id, outcome_uuid, principal, runtime, seal, Caller};
use chorus_content_domain as content;
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chorus_teams::graphql::{Responsibility, RoleFunction};
use serde::Serialize;
use uuid::Uuid;

use crate::graphql::enums::ContentFlag;
use crate::graphql::policy::{scope_input, ApprovalPolicy, PolicyScopeInput};
use crate::graphql::shared::{parse, payload};
use crate::{commands, read};

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

/// The steps of a policy definition from the input (fields named as in it); the use
/// case checks their channels and validates the definition as a whole.
fn steps_of(steps: &[PolicyStepInput]) -> ApiResult<Vec<content::PolicyStep>> {
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
                    channel_ids.push(decode_id("Channel", &field, id)?);
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
    Ok(built)
}

fn delegation_of(delegation: &Option<DelegationInput>) -> Option<content::Delegation> {
    delegation.as_ref().map(|d| content::Delegation {
        holders: signer_rules(&d.holders),
    })
}

/// The approval-policy part of [`super::ContentMutation`].
#[derive(Default)]
pub struct PolicyMutation;

/// What every policy mutation answers.
type PolicyAnswer = async_graphql::Result<ApprovalPolicyPayload>;

#[Object]
impl PolicyMutation {
    /// Defines an approval policy (version 1) for the organization, a team or a channel.
    /// Legal-role holders and organization admins only.
    async fn define_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: DefineApprovalPolicyInput,
    ) -> PolicyAnswer {
        let parse = |org, i: &DefineApprovalPolicyInput| {
            Ok(commands::DefinePolicy {
                scope: scope_input(org, "scope", &i.scope)?,
                steps: steps_of(&i.steps)?,
                delegation: delegation_of(&i.delegation),
            })
        };
        let (name, key) = ("defineApprovalPolicy", input.idempotency_key.as_ref());
        policy_mutation(ctx, name, &input, key, parse, commands::define_policy).await
    }

    /// Replaces a policy's content with a new version. Legal-role holders and admins only.
    async fn revise_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: ReviseApprovalPolicyInput,
    ) -> PolicyAnswer {
        let parse = |_, i: &ReviseApprovalPolicyInput| {
            Ok(commands::RevisePolicy {
                policy_id: decode_id("ApprovalPolicy", "policyId", &i.policy_id)?,
                steps: steps_of(&i.steps)?,
                delegation: delegation_of(&i.delegation),
            })
        };
        let (name, key) = ("reviseApprovalPolicy", input.idempotency_key.as_ref());
        policy_mutation(ctx, name, &input, key, parse, commands::revise_policy).await
    }

    /// Stops applying a policy. Legal-role holders and admins only.
    async fn retire_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: RetireApprovalPolicyInput,
    ) -> PolicyAnswer {
        let parse = |_, i: &RetireApprovalPolicyInput| {
            decode_id("ApprovalPolicy", "policyId", &i.policy_id)
        };
        let (name, key) = ("retireApprovalPolicy", input.idempotency_key.as_ref());
        policy_mutation(ctx, name, &input, key, parse, commands::retire_policy).await
    }
}

/// A policy mutation: the idempotency key is bound to the request, `parse` turns the
/// input into the use case's request (given the caller's organization), `use_case` runs
/// it; the answer carries the policy.
async fn policy_mutation<'c, I: Serialize, R, Fut>(
    ctx: &'c Context<'_>,
    name: &'static str,
    input: &I,
    key: Option<&String>,
    parse: impl FnOnce(Uuid, &I) -> ApiResult<R>,
    use_case: impl FnOnce(Caller<'c>, R, Option<IdempotencyKey>) -> Fut,
) -> PolicyAnswer
where
    Fut: Future<Output = ApiResult<CommandOutcome>>,
{
    async {
        let (caller, key) = Caller::for_mutation(ctx, name, key, input)?;
        let request = parse(caller.organization_id(), input)?;
        let outcome = use_case(caller, request, key).await?;
        policy_payload(ctx, &outcome).await
    }
    .await
    .gql()
}

async fn policy_payload(
    ctx: &Context<'_>,
    outcome: &CommandOutcome,
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
