//! An approval policy version (`ApprovalPolicy`) and what it is made of, and the scope
//! input shared by the policy query and mutations.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{decode_id, decode_stored, encode_id, Caller};
use chorus_content_domain as content;
use chorus_teams as teams;
use chorus_teams::graphql::{Person, Responsibility, RoleFunction, ScopeKind};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::enums::ContentFlag;
use super::shared::person;
use crate::commands;
use crate::read::PolicyRow;

/// Where a policy applies.
#[derive(SimpleObject)]
pub struct PolicyScope {
    kind: ScopeKind,
    /// The organization, team or channel id.
    id: ID,
}

/// Who may sign a step (or holds delegated authority).
#[derive(SimpleObject)]
pub struct SignerRule {
    function: RoleFunction,
    /// Only this responsibility within the function; null accepts any.
    responsibility: Option<Responsibility>,
}

/// When a step applies; empty lists mean "any".
#[derive(SimpleObject)]
pub struct StepConditions {
    flags_any: Vec<ContentFlag>,
    channel_ids: Vec<ID>,
    author_functions: Vec<RoleFunction>,
}

/// One sign-off a post needs.
#[derive(SimpleObject)]
pub struct PolicyStep {
    name: String,
    conditions: StepConditions,
    signers: Vec<SignerRule>,
    required_signatures: i32,
}

/// Holders of these roles may publish flag-free posts without approval.
#[derive(SimpleObject)]
pub struct Delegation {
    holders: Vec<SignerRule>,
}

fn rules(rules: &[content::SignerRule]) -> Vec<SignerRule> {
    rules
        .iter()
        .map(|r| SignerRule {
            function: r.function.into(),
            responsibility: r.responsibility.map(Into::into),
        })
        .collect()
}

/// One version of an approval policy, in force over `[validFrom, validTo)`.
pub struct ApprovalPolicy(pub(super) PolicyRow);

impl ApprovalPolicy {
    fn definition(&self) -> ApiResult<content::PolicyDefinition> {
        serde_json::from_str(&self.0.definition).map_err(|e| ApiError::internal(&e))
    }
}

#[Object]
impl ApprovalPolicy {
    pub async fn id(&self) -> ID {
        encode_id("ApprovalPolicy", self.0.policy_id)
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn scope(&self) -> async_graphql::Result<PolicyScope> {
        let kind: teams::ScopeKind =
            decode_stored("approval_policies", "scope_kind", &self.0.scope_kind).gql()?;
        let id = match kind {
            teams::ScopeKind::Organization => encode_id("Organization", self.0.scope_id),
            teams::ScopeKind::Team => encode_id("Team", self.0.scope_id),
            teams::ScopeKind::Channel => encode_id("Channel", self.0.scope_id),
        };
        Ok(PolicyScope {
            kind: kind.into(),
            id,
        })
    }
    async fn steps(&self) -> async_graphql::Result<Vec<PolicyStep>> {
        let definition = self.definition().gql()?;
        Ok(definition
            .steps()
            .iter()
            .map(|s| PolicyStep {
                name: s.name.to_string(),
                conditions: StepConditions {
                    flags_any: s.conditions.flags_any.iter().map(|f| (*f).into()).collect(),
                    channel_ids: s
                        .conditions
                        .channel_ids
                        .iter()
                        .map(|c| encode_id("Channel", *c))
                        .collect(),
                    author_functions: s
                        .conditions
                        .author_functions
                        .iter()
                        .map(|f| (*f).into())
                        .collect(),
                },
                signers: rules(&s.signers),
                required_signatures: i32::from(s.required_signatures),
            })
            .collect())
    }
    async fn delegation(&self) -> async_graphql::Result<Option<Delegation>> {
        let definition = self.definition().gql()?;
        Ok(definition.delegation().map(|d| Delegation {
            holders: rules(&d.holders),
        }))
    }
    async fn defined_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.defined_by).await.gql()
    }
    async fn valid_from(&self) -> DateTime<Utc> {
        self.0.valid_from
    }
    async fn valid_to(&self) -> Option<DateTime<Utc>> {
        self.0.valid_to
    }
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
}

/// Where a policy applies: the organization itself, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct PolicyScopeInput {
    kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    id: Option<ID>,
}

/// Resolves a scope input against the caller's organization: its team or channel must
/// exist.
pub(super) async fn scope_of(
    ctx: &Context<'_>,
    field: &str,
    scope: &PolicyScopeInput,
) -> ApiResult<content::PolicyScope> {
    let caller = Caller::of(ctx)?;
    let scope = scope_input(caller.organization_id(), field, scope)?;
    commands::ensure_scope(caller, scope).await
}

/// Decodes a scope input; an organization scope names `org`. Whether the team or
/// channel exists is the use case's check ([`commands::ensure_scope`]).
pub(super) fn scope_input(
    org: Uuid,
    field: &str,
    scope: &PolicyScopeInput,
) -> ApiResult<content::PolicyScope> {
    let id_field = format!("{field}.id");
    let id = match (scope.kind, &scope.id) {
        (ScopeKind::Organization, None) => org,
        (ScopeKind::Organization, Some(_)) => {
            return Err(ApiError::bad_input(
                id_field,
                "must be omitted for the organization scope",
            ))
        }
        (ScopeKind::Team, Some(id)) => decode_id("Team", &id_field, id)?,
        (ScopeKind::Channel, Some(id)) => decode_id("Channel", &id_field, id)?,
        (_, None) => {
            return Err(ApiError::bad_input(
                id_field,
                "is required for team and channel scopes",
            ))
        }
    };
    Ok(content::PolicyScope {
        kind: scope.kind.into(),
        id,
    })
}
