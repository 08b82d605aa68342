//! The payloads and inputs of the teams mutations, the parsing helpers, and the reads
//! that fill a payload with the state the mutation wrote.

use super::*;
use chorus_kernel::{CommandOutcome, IdempotencyKey};

payload!(/// Result of `renameOrganization`.
    OrganizationPayload { organization: Option<Organization> });
payload!(/// Result of team mutations.
    TeamPayload { team: Option<Team> });
payload!(/// Result of person mutations.
    PersonPayload { person: Option<Person> });
payload!(/// Result of role mutations.
    RoleAssignmentPayload { role_assignment: Option<RoleAssignment> });
payload!(/// Result of reporting-line mutations; `person` shows the new manager.
    ReportingLinePayload { person: Option<Person> });
payload!(/// Result of channel mutations.
    ChannelPayload { channel: Option<Channel> });

/// Where a new role applies: the organization itself, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct RoleScopeInput {
    pub(crate) kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    pub(crate) id: Option<ID>,
}

/// A mutation's input: what its idempotency key is bound to.
pub(crate) trait MutationInput: Serialize {
    fn idempotency_key(&self) -> Option<&String>;
}

/// The mutations' inputs: each struct with its fields, then the `idempotency_key` every
/// mutation takes, which [`MutationInput`] hands to the request.
macro_rules! mutation_inputs {
    ($($input:ident { $($(#[$meta:meta])* $field:ident: $ty:ty,)* })*) => {
        $(
            #[derive(InputObject, Serialize)]
            pub struct $input {
                $($(#[$meta])* pub(crate) $field: $ty,)*
                pub(crate) idempotency_key: Option<String>,
            }

            impl MutationInput for $input {
                fn idempotency_key(&self) -> Option<&String> {
                    self.idempotency_key.as_ref()
                }
            }
        )*
    };
}

mutation_inputs! {
    RenameOrganizationInput {
        name: String,
    }

    CreateTeamInput {
        name: String,
        /// The division this team belongs to.
        parent_id: Option<ID>,
    }

    RenameTeamInput {
        team_id: ID,
        name: String,
    }

    ArchiveTeamInput {
        team_id: ID,
        reason: Option<String>,
    }

    AddPersonInput {
        display_name: String,
        email: String,
        affiliation: Affiliation,
        /// The person's id in an HR system.
        external_id: Option<String>,
    }

    UpdatePersonInput {
        person_id: ID,
        display_name: Option<String>,
        email: Option<String>,
        affiliation: Option<Affiliation>,
        external_id: Option<String>,
    }

    OffboardPersonInput {
        person_id: ID,
        reason: Option<String>,
    }

    AssignRoleInput {
        person_id: ID,
        function: RoleFunction,
        responsibility: Option<Responsibility>,
        scope: RoleScopeInput,
        /// When the role starts (default now; never backdated by more than five minutes).
        effective_from: Option<DateTime<Utc>>,
        /// Why the role is granted; kept for auditors.
        reason: String,
    }

    RevokeRoleInput {
        role_assignment_id: ID,
        reason: String,
    }

    SetReportingLineInput {
        person_id: ID,
        manager_id: ID,
    }

    ClearReportingLineInput {
        person_id: ID,
    }

    RegisterChannelInput {
        team_id: ID,
        network: SocialNetwork,
        handle: String,
    }

    RetireChannelInput {
        channel_id: ID,
        reason: Option<String>,
    }
}

/// The caller of mutation `name`, with the input's idempotency key bound to the request.
pub(crate) fn caller_of<'a>(
    ctx: &'a Context<'_>,
    name: &str,
    input: &impl MutationInput,
) -> ApiResult<(Caller<'a>, Option<IdempotencyKey>)> {
    Caller::for_mutation(ctx, name, input.idempotency_key(), input)
}

pub(crate) use chorus_api::{parse, parse_opt};

/// A search string through the text policy: bounded by the length of the field it
/// searches, no control characters.
pub(crate) fn search_filter(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> ApiResult<Option<String>> {
    value
        .map(|v| domain::text::filter(field, &v, max).map_err(ApiError::from))
        .transpose()
}

/// A loader without the request's cache, which may hold the state from before the
/// mutation: a payload shows the state this request wrote.
fn fresh(ctx: &Context<'_>) -> ApiResult<TeamsLoader> {
    let principal = require_reader(ctx)?;
    Ok(TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
        cached: None,
    })
}

pub(crate) async fn person_by_id_fresh(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(fresh(ctx)?.one(PersonById(id)).await?.map(Person))
}

pub(crate) async fn read_role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    Ok(fresh(ctx)?.one(RoleById(id)).await?.map(RoleAssignment))
}

pub(crate) async fn org_payload(
    ctx: &Context<'_>,
    outcome: &CommandOutcome,
) -> ApiResult<OrganizationPayload> {
    let org = read::organization(&runtime(ctx)?.db, outcome_uuid(outcome)?).await?;
    OrganizationPayload::new(ctx, outcome, org.map(Organization))
}

pub(crate) async fn team_payload(
    ctx: &Context<'_>,
    outcome: &CommandOutcome,
) -> ApiResult<TeamPayload> {
    let team = fresh(ctx)?.one(TeamById(outcome_uuid(outcome)?)).await?;
    TeamPayload::new(ctx, outcome, team.map(Team))
}

pub(crate) async fn person_payload(
    ctx: &Context<'_>,
    outcome: &CommandOutcome,
) -> ApiResult<PersonPayload> {
    let person = person_by_id_fresh(ctx, outcome_uuid(outcome)?).await?;
    PersonPayload::new(ctx, outcome, person)
}

pub(crate) async fn channel_payload(
    ctx: &Context<'_>,
    outcome: &CommandOutcome,
) -> ApiResult<ChannelPayload> {
    let channel = fresh(ctx)?.one(ChannelById(outcome_uuid(outcome)?)).await?;
    ChannelPayload::new(ctx, outcome, channel.map(Channel))
}

/// The assignment a (possibly replayed) assignRole produced: the id this request minted,
/// or for a replay, the assignment recorded by the event at the outcome's position.
pub(crate) async fn role_for_outcome(
    ctx: &Context<'_>,
    minted: Option<Uuid>,
    outcome: &CommandOutcome,
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
