//! The payloads and inputs of the teams mutations, and the parsing helpers.

use super::*;

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
