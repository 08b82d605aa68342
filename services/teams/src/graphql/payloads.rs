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

#[derive(InputObject, Serialize)]
pub struct RenameOrganizationInput {
    pub(crate) name: String,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct CreateTeamInput {
    pub(crate) name: String,
    /// The division this team belongs to.
    pub(crate) parent_id: Option<ID>,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RenameTeamInput {
    pub(crate) team_id: ID,
    pub(crate) name: String,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ArchiveTeamInput {
    pub(crate) team_id: ID,
    pub(crate) reason: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct AddPersonInput {
    pub(crate) display_name: String,
    pub(crate) email: String,
    pub(crate) affiliation: Affiliation,
    /// The person's id in an HR system.
    pub(crate) external_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct UpdatePersonInput {
    pub(crate) person_id: ID,
    pub(crate) display_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) affiliation: Option<Affiliation>,
    pub(crate) external_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct OffboardPersonInput {
    pub(crate) person_id: ID,
    pub(crate) reason: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

/// Where a new role applies: the organization itself, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct RoleScopeInput {
    pub(crate) kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    pub(crate) id: Option<ID>,
}

#[derive(InputObject, Serialize)]
pub struct AssignRoleInput {
    pub(crate) person_id: ID,
    pub(crate) function: RoleFunction,
    pub(crate) responsibility: Option<Responsibility>,
    pub(crate) scope: RoleScopeInput,
    /// When the role starts (default now; never backdated by more than five minutes).
    pub(crate) effective_from: Option<DateTime<Utc>>,
    /// Why the role is granted; kept for auditors.
    pub(crate) reason: String,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RevokeRoleInput {
    pub(crate) role_assignment_id: ID,
    pub(crate) reason: String,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct SetReportingLineInput {
    pub(crate) person_id: ID,
    pub(crate) manager_id: ID,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ClearReportingLineInput {
    pub(crate) person_id: ID,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RegisterChannelInput {
    pub(crate) team_id: ID,
    pub(crate) network: SocialNetwork,
    pub(crate) handle: String,
    pub(crate) idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetireChannelInput {
    pub(crate) channel_id: ID,
    pub(crate) reason: Option<String>,
    pub(crate) idempotency_key: Option<String>,
}

/// A mutation's input: what its idempotency key is bound to.
pub(crate) trait MutationInput: Serialize {
    fn idempotency_key(&self) -> Option<&String>;
}

macro_rules! mutation_inputs {
    ($($input:ident),* $(,)?) => {
        $(impl MutationInput for $input {
            fn idempotency_key(&self) -> Option<&String> {
                self.idempotency_key.as_ref()
            }
        })*
    };
}
mutation_inputs!(
    RenameOrganizationInput,
    CreateTeamInput,
    RenameTeamInput,
    ArchiveTeamInput,
    AddPersonInput,
    UpdatePersonInput,
    OffboardPersonInput,
    AssignRoleInput,
    RevokeRoleInput,
    SetReportingLineInput,
    ClearReportingLineInput,
    RegisterChannelInput,
    RetireChannelInput,
);

/// The caller of mutation `name`, with the input's idempotency key bound to the request.
pub(crate) fn caller_of<'a>(
    ctx: &'a Context<'_>,
    name: &str,
    input: &impl MutationInput,
) -> ApiResult<(Caller<'a>, Option<IdempotencyKey>)> {
    Caller::for_mutation(ctx, name, input.idempotency_key(), input)
}

pub(crate) fn parse<T: TryFrom<String, Error = domain::ValueError>>(
    field: &'static str,
    value: &str,
) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

pub(crate) fn parse_opt<T: TryFrom<String, Error = domain::ValueError>>(
    field: &'static str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}

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
