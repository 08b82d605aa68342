//! `configureScimGroup`: an admin maps the identity provider's group of a `displayName`
//! to a role grant; members the identity provider adds to the group get that role.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{
    connection, decode_id, encode_id, outcome_uuid, page, page_complexity, parse, seal, Caller,
    LogPositionScalar,
};
use chorus_teams::commands::ScopeRef;
use chorus_teams::graphql::{Responsibility, RoleFunction, ScopeKind};
use serde::Serialize;

use crate::commands::{self, ConfigureScimGroup};
use crate::read::{group, groups_after, GroupRow};

/// The integrations mutations.
#[derive(Default)]
pub struct IntegrationsMutation;

/// The integrations queries.
#[derive(Default)]
pub struct IntegrationsQuery;

#[Object]
impl IntegrationsQuery {
    /// The SCIM groups admins mapped to role grants, oldest first (admins only).
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn scim_groups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ScimGroupMapping>> {
        async {
            let caller = Caller::of(ctx)?;
            chorus_teams::api::ensure_admin(caller).await?;
            let page = page(ctx, first, after)?;
            let rows = groups_after(&caller.runtime.db, caller.organization_id(), page).await?;
            let rows = rows
                .into_iter()
                .map(|row| Ok((row.id, mapping(row)?)))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(connection(rows, page, |(id, _)| *id, |(_, group)| group))
        }
        .await
        .gql()
    }
}

/// Where the group's role applies: the organization, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct ScimGroupScopeInput {
    pub kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    pub id: Option<ID>,
}

/// Maps a SCIM group to a role grant.
#[derive(InputObject, Serialize)]
pub struct ConfigureScimGroupInput {
    /// The group's name as the identity provider pushes it (Okta: the group name; Entra
    /// ID: the group's `displayName`).
    pub display_name: String,
    /// Where the role applies.
    pub scope: ScimGroupScopeInput,
    /// The role's function.
    pub function: RoleFunction,
    /// The role's responsibility, if any.
    pub responsibility: Option<Responsibility>,
    pub idempotency_key: Option<String>,
}

/// A SCIM group and the role its members hold.
#[derive(SimpleObject)]
pub struct ScimGroupMapping {
    /// The group's SCIM `id` (`/scim/v2/Groups/{scimId}`).
    pub scim_id: String,
    pub display_name: String,
    /// The identity provider's id for the group, once it pushed it.
    pub external_id: Option<String>,
    pub function: RoleFunction,
    pub responsibility: Option<Responsibility>,
    pub scope_kind: ScopeKind,
    /// The team or channel the role applies to (global id); the organization otherwise.
    pub scope_id: Option<ID>,
}

/// Result of `configureScimGroup`.
#[derive(SimpleObject)]
pub struct ConfigureScimGroupPayload {
    /// The group, read back from the read models.
    pub scim_group: Option<ScimGroupMapping>,
    /// Position of the mutation's event (or, on an idempotent retry, the first one's).
    pub position: LogPositionScalar,
    /// True when the idempotency key matched an earlier request and nothing was written.
    pub replayed: bool,
}

fn mapping(row: GroupRow) -> ApiResult<ScimGroupMapping> {
    let role = row.role()?;
    let scope_id = match role.scope.kind {
        chorus_teams::ScopeKind::Organization => None,
        chorus_teams::ScopeKind::Team => Some(encode_id("Team", role.scope.id)),
        chorus_teams::ScopeKind::Channel => Some(encode_id("Channel", role.scope.id)),
    };
    Ok(ScimGroupMapping {
        scim_id: row.id.to_string(),
        display_name: row.display_name,
        external_id: row.external_id,
        function: role.function.into(),
        responsibility: role.responsibility.map(Into::into),
        scope_kind: role.scope.kind.into(),
        scope_id,
    })
}

#[Object]
impl IntegrationsMutation {
    /// Maps the identity provider's SCIM group `displayName` to a role grant: members the
    /// identity provider adds to the group are assigned the role (granted by the SCIM
    /// client, reason "SCIM group <displayName>"), members it removes lose it. A name
    /// another SCIM group has is refused (`DUPLICATE_SCIM_GROUP`). Admins only.
    async fn configure_scim_group(
        &self,
        ctx: &Context<'_>,
        input: ConfigureScimGroupInput,
    ) -> async_graphql::Result<ConfigureScimGroupPayload> {
        configure(ctx, input).await.gql()
    }
}

async fn configure(
    ctx: &Context<'_>,
    input: ConfigureScimGroupInput,
) -> ApiResult<ConfigureScimGroupPayload> {
    let (caller, key) = Caller::for_mutation(
        ctx,
        "configureScimGroup",
        input.idempotency_key.as_ref(),
        &input,
    )?;
    let scope = match (input.scope.kind, &input.scope.id) {
        (ScopeKind::Organization, None) => ScopeRef::Organization,
        (ScopeKind::Team, Some(id)) => ScopeRef::Team(decode_id("Team", "scope.id", id)?),
        (ScopeKind::Channel, Some(id)) => ScopeRef::Channel(decode_id("Channel", "scope.id", id)?),
        (ScopeKind::Organization, Some(_)) => {
            return Err(ApiError::bad_input(
                "scope.id",
                "must be omitted for the organization scope",
            ))
        }
        (_, None) => {
            return Err(ApiError::bad_input(
                "scope.id",
                "is required for team and channel scopes",
            ))
        }
    };
    let request = ConfigureScimGroup {
        display_name: parse("displayName", &input.display_name)?,
        scope,
        function: input.function.into(),
        responsibility: input.responsibility.map(Into::into),
    };
    let outcome = commands::configure_scim_group(caller, request, key).await?;
    let id = outcome_uuid(&outcome)?;
    let row = group(&caller.runtime.db, caller.organization_id(), id).await?;
    Ok(ConfigureScimGroupPayload {
        scim_group: row.map(mapping).transpose()?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}
