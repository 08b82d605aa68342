//! `TeamsMutation`: one field per use case. Each field's function below parses the
//! input, calls the use case and builds the payload; nothing else.

use super::*;

#[derive(Default)]
pub struct TeamsMutation;

/// The mutation fields, each answered by the function of the same name below.
macro_rules! fields {
    ($($(#[$doc:meta])* $name:ident($input:ty) -> $payload:ty;)*) => {
        #[Object]
        impl TeamsMutation {
            $(
                $(#[$doc])*
                async fn $name(
                    &self,
                    ctx: &Context<'_>,
                    input: $input,
                ) -> async_graphql::Result<$payload> {
                    self::$name(ctx, input).await.gql()
                }
            )*
        }
    };
}

fields! {
    /// Renames the caller's organization. Admins only.
    rename_organization(RenameOrganizationInput) -> OrganizationPayload;
    /// Creates a team, optionally inside a division. Admins only.
    create_team(CreateTeamInput) -> TeamPayload;
    /// Renames a team. Admins only.
    rename_team(RenameTeamInput) -> TeamPayload;
    /// Archives a team; its history stays readable. Admins only.
    archive_team(ArchiveTeamInput) -> TeamPayload;
    /// Adds a person (employee or external) to the organization. Admins only.
    add_person(AddPersonInput) -> PersonPayload;
    /// Changes a person's details; omitted fields stay as they are. Admins only.
    update_person(UpdatePersonInput) -> PersonPayload;
    /// Offboards a person: every role they hold is revoked in the same change. Admins only.
    offboard_person(OffboardPersonInput) -> PersonPayload;
    /// Gives a person a function (and optional responsibility) within a scope. Admins only.
    assign_role(AssignRoleInput) -> RoleAssignmentPayload;
    /// Ends a role assignment now. Admins only.
    revoke_role(RevokeRoleInput) -> RoleAssignmentPayload;
    /// Makes `personId` report to `managerId`. Cycles are refused. Admins only.
    set_reporting_line(SetReportingLineInput) -> ReportingLinePayload;
    /// Removes a person's reporting line. Admins only.
    clear_reporting_line(ClearReportingLineInput) -> ReportingLinePayload;
    /// Registers a social account (network + handle) owned by a team. Admins only.
    register_channel(RegisterChannelInput) -> ChannelPayload;
    /// Retires a social account. Admins only.
    retire_channel(RetireChannelInput) -> ChannelPayload;
}

async fn rename_organization(
    ctx: &Context<'_>,
    input: RenameOrganizationInput,
) -> ApiResult<OrganizationPayload> {
    let (caller, key) = caller_of(ctx, "renameOrganization", &input)?;
    let name = parse("name", &input.name)?;
    let outcome = commands::run(caller, commands::RenameOrganization { name }, key).await?;
    org_payload(ctx, &outcome).await
}

async fn create_team(ctx: &Context<'_>, input: CreateTeamInput) -> ApiResult<TeamPayload> {
    let (caller, key) = caller_of(ctx, "createTeam", &input)?;
    let parsed = commands::CreateTeam {
        name: parse("name", &input.name)?,
        parent_id: input
            .parent_id
            .as_ref()
            .map(|id| decode_id("Team", "parentId", id))
            .transpose()?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    team_payload(ctx, &outcome).await
}

async fn rename_team(ctx: &Context<'_>, input: RenameTeamInput) -> ApiResult<TeamPayload> {
    let (caller, key) = caller_of(ctx, "renameTeam", &input)?;
    let parsed = commands::ChangeTeam {
        team_id: decode_id("Team", "teamId", &input.team_id)?,
        change: commands::TeamChange::Rename(parse("name", &input.name)?),
    };
    let outcome = commands::run(caller, parsed, key).await?;
    team_payload(ctx, &outcome).await
}

async fn archive_team(ctx: &Context<'_>, input: ArchiveTeamInput) -> ApiResult<TeamPayload> {
    let (caller, key) = caller_of(ctx, "archiveTeam", &input)?;
    let parsed = commands::ChangeTeam {
        team_id: decode_id("Team", "teamId", &input.team_id)?,
        change: commands::TeamChange::Archive(parse_opt("reason", &input.reason)?),
    };
    let outcome = commands::run(caller, parsed, key).await?;
    team_payload(ctx, &outcome).await
}

async fn add_person(ctx: &Context<'_>, input: AddPersonInput) -> ApiResult<PersonPayload> {
    let (caller, key) = caller_of(ctx, "addPerson", &input)?;
    let parsed = commands::AddPerson {
        display_name: parse("displayName", &input.display_name)?,
        email: parse("email", &input.email)?,
        affiliation: input.affiliation.into(),
        external_id: parse_opt("externalId", &input.external_id)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    person_payload(ctx, &outcome).await
}

async fn update_person(ctx: &Context<'_>, input: UpdatePersonInput) -> ApiResult<PersonPayload> {
    let (caller, key) = caller_of(ctx, "updatePerson", &input)?;
    let parsed = commands::UpdatePerson {
        person_id: decode_id("Person", "personId", &input.person_id)?,
        display_name: parse_opt("displayName", &input.display_name)?,
        email: parse_opt("email", &input.email)?,
        affiliation: input.affiliation.map(Into::into),
        external_id: parse_opt("externalId", &input.external_id)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    person_payload(ctx, &outcome).await
}

async fn offboard_person(
    ctx: &Context<'_>,
    input: OffboardPersonInput,
) -> ApiResult<PersonPayload> {
    let (caller, key) = caller_of(ctx, "offboardPerson", &input)?;
    let parsed = commands::OffboardPerson {
        person_id: decode_id("Person", "personId", &input.person_id)?,
        reason: parse_opt("reason", &input.reason)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    person_payload(ctx, &outcome).await
}

async fn assign_role(
    ctx: &Context<'_>,
    input: AssignRoleInput,
) -> ApiResult<RoleAssignmentPayload> {
    let (caller, key) = caller_of(ctx, "assignRole", &input)?;
    let scope = match (input.scope.kind, &input.scope.id) {
        (ScopeKind::Organization, None) => commands::ScopeRef::Organization,
        (ScopeKind::Organization, Some(_)) => {
            return Err(ApiError::bad_input(
                "scope.id",
                "must be omitted for the organization scope",
            ))
        }
        (ScopeKind::Team, Some(id)) => commands::ScopeRef::Team(decode_id("Team", "scope.id", id)?),
        (ScopeKind::Channel, Some(id)) => {
            commands::ScopeRef::Channel(decode_id("Channel", "scope.id", id)?)
        }
        (_, None) => {
            return Err(ApiError::bad_input(
                "scope.id",
                "is required for team and channel scopes",
            ))
        }
    };
    let parsed = commands::AssignRole {
        person_id: decode_id("Person", "personId", &input.person_id)?,
        function: input.function.into(),
        responsibility: input.responsibility.map(Into::into),
        scope,
        effective_from: input.effective_from,
        reason: parse("reason", &input.reason)?,
    };
    let assigned = parsed.assign(caller, key).await?;
    let outcome = assigned.outcome;
    let role = role_for_outcome(ctx, assigned.assignment_id, &outcome).await?;
    RoleAssignmentPayload::new(ctx, &outcome, role)
}

async fn revoke_role(
    ctx: &Context<'_>,
    input: RevokeRoleInput,
) -> ApiResult<RoleAssignmentPayload> {
    let (caller, key) = caller_of(ctx, "revokeRole", &input)?;
    let assignment_id = decode_id(
        "RoleAssignment",
        "roleAssignmentId",
        &input.role_assignment_id,
    )?;
    let reason = parse("reason", &input.reason)?;
    let parsed = commands::RevokeRole {
        assignment_id,
        reason,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    RoleAssignmentPayload::new(ctx, &outcome, read_role(ctx, assignment_id).await?)
}

async fn set_reporting_line(
    ctx: &Context<'_>,
    input: SetReportingLineInput,
) -> ApiResult<ReportingLinePayload> {
    let (caller, key) = caller_of(ctx, "setReportingLine", &input)?;
    let parsed = commands::SetReportingLine {
        person_id: decode_id("Person", "personId", &input.person_id)?,
        manager_id: decode_id("Person", "managerId", &input.manager_id)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    let person = person_by_id_fresh(ctx, parsed.person_id).await?;
    ReportingLinePayload::new(ctx, &outcome, person)
}

async fn clear_reporting_line(
    ctx: &Context<'_>,
    input: ClearReportingLineInput,
) -> ApiResult<ReportingLinePayload> {
    let (caller, key) = caller_of(ctx, "clearReportingLine", &input)?;
    let person_id = decode_id("Person", "personId", &input.person_id)?;
    let outcome = commands::run(caller, commands::ClearReportingLine { person_id }, key).await?;
    let person = person_by_id_fresh(ctx, person_id).await?;
    ReportingLinePayload::new(ctx, &outcome, person)
}

async fn register_channel(
    ctx: &Context<'_>,
    input: RegisterChannelInput,
) -> ApiResult<ChannelPayload> {
    let (caller, key) = caller_of(ctx, "registerChannel", &input)?;
    let parsed = commands::RegisterChannel {
        team_id: decode_id("Team", "teamId", &input.team_id)?,
        network: input.network.into(),
        handle: parse("handle", &input.handle)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    channel_payload(ctx, &outcome).await
}

async fn retire_channel(ctx: &Context<'_>, input: RetireChannelInput) -> ApiResult<ChannelPayload> {
    let (caller, key) = caller_of(ctx, "retireChannel", &input)?;
    let parsed = commands::RetireChannel {
        channel_id: decode_id("Channel", "channelId", &input.channel_id)?,
        reason: parse_opt("reason", &input.reason)?,
    };
    let outcome = commands::run(caller, parsed, key).await?;
    channel_payload(ctx, &outcome).await
}
