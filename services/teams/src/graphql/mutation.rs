//! `TeamsMutation`: each field parses its input, calls the use case and builds the payload.

use super::*;

#[derive(Default)]
pub struct TeamsMutation;

#[Object]
impl TeamsMutation {
    /// Renames the caller's organization. Admins only.
    async fn rename_organization(
        &self,
        ctx: &Context<'_>,
        input: RenameOrganizationInput,
    ) -> async_graphql::Result<OrganizationPayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "renameOrganization",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let name = parse("name", &input.name)?;
            let outcome = commands::rename_organization(caller, name, key).await?;
            org_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Creates a team, optionally inside a division. Admins only.
    async fn create_team(
        &self,
        ctx: &Context<'_>,
        input: CreateTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "createTeam", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::CreateTeam {
                name: parse("name", &input.name)?,
                parent_id: input
                    .parent_id
                    .as_ref()
                    .map(|id| decode_id("Team", "parentId", id))
                    .transpose()?,
            };
            let outcome = commands::create_team(caller, parsed, key).await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Renames a team. Admins only.
    async fn rename_team(
        &self,
        ctx: &Context<'_>,
        input: RenameTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "renameTeam", input.idempotency_key.as_ref(), &input)?;
            let team_id = decode_id("Team", "teamId", &input.team_id)?;
            let name = parse("name", &input.name)?;
            let outcome = commands::rename_team(caller, team_id, name, key).await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Archives a team; its history stays readable. Admins only.
    async fn archive_team(
        &self,
        ctx: &Context<'_>,
        input: ArchiveTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "archiveTeam", input.idempotency_key.as_ref(), &input)?;
            let team_id = decode_id("Team", "teamId", &input.team_id)?;
            let reason = parse_opt("reason", &input.reason)?;
            let outcome = commands::archive_team(caller, team_id, reason, key).await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Adds a person (employee or external) to the organization. Admins only.
    async fn add_person(
        &self,
        ctx: &Context<'_>,
        input: AddPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "addPerson", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::AddPerson {
                display_name: parse("displayName", &input.display_name)?,
                email: parse("email", &input.email)?,
                affiliation: input.affiliation.into(),
                external_id: parse_opt("externalId", &input.external_id)?,
            };
            let outcome = commands::add_person(caller, parsed, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Changes a person's details; omitted fields stay as they are. Admins only.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "updatePerson", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::UpdatePerson {
                person_id: decode_id("Person", "personId", &input.person_id)?,
                display_name: parse_opt("displayName", &input.display_name)?,
                email: parse_opt("email", &input.email)?,
                affiliation: input.affiliation.map(Into::into),
                external_id: parse_opt("externalId", &input.external_id)?,
            };
            let outcome = commands::update_person(caller, parsed, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Offboards a person: every role they hold is revoked in the same change. Admins only.
    async fn offboard_person(
        &self,
        ctx: &Context<'_>,
        input: OffboardPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "offboardPerson",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let person_id = decode_id("Person", "personId", &input.person_id)?;
            let reason = parse_opt("reason", &input.reason)?;
            let outcome = commands::offboard_person(caller, person_id, reason, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Gives a person a function (and optional responsibility) within a scope. Admins only.
    async fn assign_role(
        &self,
        ctx: &Context<'_>,
        input: AssignRoleInput,
    ) -> async_graphql::Result<RoleAssignmentPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "assignRole", input.idempotency_key.as_ref(), &input)?;
            let scope = match (input.scope.kind, &input.scope.id) {
                (ScopeKind::Organization, None) => commands::ScopeRef::Organization,
                (ScopeKind::Organization, Some(_)) => {
                    return Err(ApiError::bad_input(
                        "scope.id",
                        "must be omitted for the organization scope",
                    ))
                }
                (ScopeKind::Team, Some(id)) => {
                    commands::ScopeRef::Team(decode_id("Team", "scope.id", id)?)
                }
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
            let assigned = commands::assign_role(caller, parsed, key).await?;
            let outcome = assigned.outcome;
            let role = role_for_outcome(ctx, assigned.assignment_id, &outcome).await?;
            Ok(RoleAssignmentPayload {
                role_assignment: role,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Ends a role assignment now. Admins only.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: RevokeRoleInput,
    ) -> async_graphql::Result<RoleAssignmentPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "revokeRole", input.idempotency_key.as_ref(), &input)?;
            let assignment_id = decode_id(
                "RoleAssignment",
                "roleAssignmentId",
                &input.role_assignment_id,
            )?;
            let reason = parse("reason", &input.reason)?;
            let outcome = commands::revoke_role(caller, assignment_id, reason, key).await?;
            Ok(RoleAssignmentPayload {
                role_assignment: read_role(ctx, assignment_id).await?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Makes `personId` report to `managerId`. Cycles are refused. Admins only.
    async fn set_reporting_line(
        &self,
        ctx: &Context<'_>,
        input: SetReportingLineInput,
    ) -> async_graphql::Result<ReportingLinePayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "setReportingLine",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::SetReportingLine {
                person_id: decode_id("Person", "personId", &input.person_id)?,
                manager_id: decode_id("Person", "managerId", &input.manager_id)?,
            };
            let outcome = commands::set_reporting_line(caller, parsed, key).await?;
            Ok(ReportingLinePayload {
                person: person_by_id_fresh(ctx, parsed.person_id).await?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Removes a person's reporting line. Admins only.
    async fn clear_reporting_line(
        &self,
        ctx: &Context<'_>,
        input: ClearReportingLineInput,
    ) -> async_graphql::Result<ReportingLinePayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "clearReportingLine",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let person_id = decode_id("Person", "personId", &input.person_id)?;
            let outcome = commands::clear_reporting_line(caller, person_id, key).await?;
            Ok(ReportingLinePayload {
                person: person_by_id_fresh(ctx, person_id).await?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Registers a social account (network + handle) owned by a team. Admins only.
    async fn register_channel(
        &self,
        ctx: &Context<'_>,
        input: RegisterChannelInput,
    ) -> async_graphql::Result<ChannelPayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "registerChannel",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::RegisterChannel {
                team_id: decode_id("Team", "teamId", &input.team_id)?,
                network: input.network.into(),
                handle: parse("handle", &input.handle)?,
            };
            let outcome = commands::register_channel(caller, parsed, key).await?;
            channel_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Retires a social account. Admins only.
    async fn retire_channel(
        &self,
        ctx: &Context<'_>,
        input: RetireChannelInput,
    ) -> async_graphql::Result<ChannelPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "retireChannel", input.idempotency_key.as_ref(), &input)?;
            let channel_id = decode_id("Channel", "channelId", &input.channel_id)?;
            let reason = parse_opt("reason", &input.reason)?;
            let outcome = commands::retire_channel(caller, channel_id, reason, key).await?;
            channel_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }
}

/// Reads state written by this request straight from the store, bypassing the request's
/// loader cache (which may hold the state from before the mutation).
pub(crate) async fn person_by_id_fresh(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    Ok(
        async_graphql::dataloader::Loader::load(&fresh, &[PersonById(id)])
            .await?
            .remove(&PersonById(id))
            .map(Person),
    )
}

pub(crate) async fn org_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<OrganizationPayload> {
    let org = outcome_uuid(outcome)?;
    Ok(OrganizationPayload {
        organization: read::organization(&runtime(ctx)?.db, org)
            .await?
            .map(Organization),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

pub(crate) async fn team_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<TeamPayload> {
    let id = outcome_uuid(outcome)?;
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    let team = async_graphql::dataloader::Loader::load(&fresh, &[TeamById(id)])
        .await?
        .remove(&TeamById(id));
    Ok(TeamPayload {
        team: team.map(Team),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

pub(crate) async fn person_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<PersonPayload> {
    Ok(PersonPayload {
        person: person_by_id_fresh(ctx, outcome_uuid(outcome)?).await?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

pub(crate) async fn channel_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<ChannelPayload> {
    let id = outcome_uuid(outcome)?;
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    let channel = async_graphql::dataloader::Loader::load(&fresh, &[ChannelById(id)])
        .await?
        .remove(&ChannelById(id));
    Ok(ChannelPayload {
        channel: channel.map(Channel),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

pub(crate) async fn read_role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    Ok(
        async_graphql::dataloader::Loader::load(&fresh, &[RoleById(id)])
            .await?
            .remove(&RoleById(id))
            .map(RoleAssignment),
    )
}

/// The assignment a (possibly replayed) assignRole produced: the id this request minted,
/// or for a replay, the assignment recorded by the event at the outcome's position.
pub(crate) async fn role_for_outcome(
    ctx: &Context<'_>,
    minted: Option<Uuid>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<Option<RoleAssignment>> {
    if let Some(minted) = minted.filter(|_| !outcome.replayed) {
        return read_role(ctx, minted).await;
    }
    let state = runtime(ctx)?;
    // The replayed event has committed: read it by position, not through the commit
    // horizon, which may briefly hold back even committed rows.
    let events = state
        .reader
        .events_at(&[outcome.position.global_position])
        .await?;
    let assignment = events
        .first()
        .filter(|e| e.position == outcome.position)
        .and_then(|e| e.decode::<domain::PersonEvent>().ok())
        .and_then(|e| match e {
            domain::PersonEvent::RoleAssigned { assignment_id, .. } => Some(assignment_id),
            _ => None,
        });
    match assignment {
        Some(id) => read_role(ctx, id).await,
        None => Ok(None),
    }
}
