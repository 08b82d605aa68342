//! The teams operations as the black-box tests speak them (see [`crate::ContentApi`]):
//! one method per mutation, answering the payload type its family shares.

use chorus_client::{
    add_person, archive_team, assign_role, clear_reporting_line, create_team, offboard_person,
    register_channel, rename_organization, rename_team, retire_channel, revoke_role,
    set_reporting_line, team, update_person, ChorusClient, ClientError,
};

use crate::api::send;

/// What `createTeam`, `renameTeam` and `archiveTeam` answer.
pub type TeamPayload = create_team::TeamPayloadFields;
/// What `addPerson`, `updatePerson` and `offboardPerson` answer.
pub type PersonPayload = add_person::PersonPayloadFields;
/// What `assignRole` and `revokeRole` answer.
pub type RolePayload = assign_role::RolePayloadFields;
/// What `setReportingLine` and `clearReportingLine` answer.
pub type ReportingLinePayload = set_reporting_line::ReportingLinePayloadFields;
/// What `registerChannel` and `retireChannel` answer.
pub type ChannelPayload = register_channel::ChannelPayloadFields;

/// What the `team` query answers.
pub type TeamDetail = team::TeamTeam;

/// An `assignRole` input without an effective date or idempotency key: `function`
/// (with `responsibility`) in the scope `kind` / `id`, for `reason`.
pub fn role_input(
    person_id: &str,
    (function, responsibility): (
        assign_role::RoleFunction,
        Option<assign_role::Responsibility>,
    ),
    (kind, id): (assign_role::ScopeKind, Option<&str>),
    reason: &str,
) -> assign_role::AssignRoleInput {
    assign_role::AssignRoleInput {
        person_id: person_id.into(),
        function,
        responsibility,
        scope: assign_role::RoleScopeInput {
            kind,
            id: id.map(str::to_owned),
        },
        effective_from: None,
        reason: reason.into(),
        idempotency_key: None,
    }
}

/// The teams mutations, as the tests call them.
#[allow(async_fn_in_trait)] // test-only: nobody needs `Send` futures from these
pub trait TeamsApi {
    fn teams_client(&self) -> &ChorusClient;

    /// `renameOrganization`.
    async fn rename_organization(
        &self,
        name: &str,
    ) -> Result<rename_organization::RenameOrganizationRenameOrganization, ClientError> {
        let input = rename_organization::RenameOrganizationInput {
            name: name.into(),
            idempotency_key: None,
        };
        let variables = rename_organization::Variables { input };
        send::<chorus_client::RenameOrganization, _>(self.teams_client(), variables).await
    }

    /// `createTeam`, top level or under `parent_id`.
    async fn create_team(
        &self,
        name: &str,
        parent_id: Option<&str>,
    ) -> Result<TeamPayload, ClientError> {
        self.create_team_keyed(name, parent_id, None).await
    }

    /// `createTeam` with an idempotency key when given.
    async fn create_team_keyed(
        &self,
        name: &str,
        parent_id: Option<&str>,
        idempotency_key: Option<&str>,
    ) -> Result<TeamPayload, ClientError> {
        let input = create_team::CreateTeamInput {
            name: name.into(),
            parent_id: parent_id.map(str::to_owned),
            idempotency_key: idempotency_key.map(str::to_owned),
        };
        send::<chorus_client::CreateTeam, _>(self.teams_client(), create_team::Variables { input })
            .await
    }

    /// `renameTeam`.
    async fn rename_team(&self, team_id: &str, name: &str) -> Result<TeamPayload, ClientError> {
        let input = rename_team::RenameTeamInput {
            team_id: team_id.into(),
            name: name.into(),
            idempotency_key: None,
        };
        send::<chorus_client::RenameTeam, _>(self.teams_client(), rename_team::Variables { input })
            .await
    }

    /// `archiveTeam`.
    async fn archive_team(
        &self,
        team_id: &str,
        reason: Option<&str>,
    ) -> Result<TeamPayload, ClientError> {
        let input = archive_team::ArchiveTeamInput {
            team_id: team_id.into(),
            reason: reason.map(str::to_owned),
            idempotency_key: None,
        };
        let variables = archive_team::Variables { input };
        send::<chorus_client::ArchiveTeam, _>(self.teams_client(), variables).await
    }

    /// `addPerson`.
    async fn add_person(
        &self,
        input: add_person::AddPersonInput,
    ) -> Result<PersonPayload, ClientError> {
        send::<chorus_client::AddPerson, _>(self.teams_client(), add_person::Variables { input })
            .await
    }

    /// `updatePerson`.
    async fn update_person(
        &self,
        input: update_person::UpdatePersonInput,
    ) -> Result<PersonPayload, ClientError> {
        let variables = update_person::Variables { input };
        send::<chorus_client::UpdatePerson, _>(self.teams_client(), variables).await
    }

    /// `offboardPerson`.
    async fn offboard_person(
        &self,
        person_id: &str,
        reason: Option<&str>,
    ) -> Result<PersonPayload, ClientError> {
        let input = offboard_person::OffboardPersonInput {
            person_id: person_id.into(),
            reason: reason.map(str::to_owned),
            idempotency_key: None,
        };
        let variables = offboard_person::Variables { input };
        send::<chorus_client::OffboardPerson, _>(self.teams_client(), variables).await
    }

    /// `assignRole` (see [`role_input`]).
    async fn assign_role(
        &self,
        input: assign_role::AssignRoleInput,
    ) -> Result<RolePayload, ClientError> {
        send::<chorus_client::AssignRole, _>(self.teams_client(), assign_role::Variables { input })
            .await
    }

    /// [`TeamsApi::assign_role`], answering the new assignment's id.
    async fn assign_role_id(
        &self,
        input: assign_role::AssignRoleInput,
    ) -> Result<String, ClientError> {
        let payload = self.assign_role(input).await?;
        Ok(payload.role_assignment.expect("assigned role").id)
    }

    /// `revokeRole`.
    async fn revoke_role(
        &self,
        role_assignment_id: &str,
        reason: &str,
    ) -> Result<RolePayload, ClientError> {
        let input = revoke_role::RevokeRoleInput {
            role_assignment_id: role_assignment_id.into(),
            reason: reason.into(),
            idempotency_key: None,
        };
        send::<chorus_client::RevokeRole, _>(self.teams_client(), revoke_role::Variables { input })
            .await
    }

    /// `setReportingLine`: `person_id` reports to `manager_id`.
    async fn set_reporting_line(
        &self,
        person_id: &str,
        manager_id: &str,
    ) -> Result<ReportingLinePayload, ClientError> {
        let input = set_reporting_line::SetReportingLineInput {
            person_id: person_id.into(),
            manager_id: manager_id.into(),
            idempotency_key: None,
        };
        let variables = set_reporting_line::Variables { input };
        send::<chorus_client::SetReportingLine, _>(self.teams_client(), variables).await
    }

    /// `clearReportingLine`.
    async fn clear_reporting_line(
        &self,
        person_id: &str,
    ) -> Result<ReportingLinePayload, ClientError> {
        let input = clear_reporting_line::ClearReportingLineInput {
            person_id: person_id.into(),
            idempotency_key: None,
        };
        let variables = clear_reporting_line::Variables { input };
        send::<chorus_client::ClearReportingLine, _>(self.teams_client(), variables).await
    }

    /// `registerChannel`.
    async fn register_channel(
        &self,
        team_id: &str,
        network: register_channel::SocialNetwork,
        handle: &str,
    ) -> Result<ChannelPayload, ClientError> {
        let input = register_channel::RegisterChannelInput {
            team_id: team_id.into(),
            network,
            handle: handle.into(),
            idempotency_key: None,
        };
        let variables = register_channel::Variables { input };
        send::<chorus_client::RegisterChannel, _>(self.teams_client(), variables).await
    }

    /// `retireChannel`.
    async fn retire_channel(
        &self,
        channel_id: &str,
        reason: Option<&str>,
    ) -> Result<ChannelPayload, ClientError> {
        let input = retire_channel::RetireChannelInput {
            channel_id: channel_id.into(),
            reason: reason.map(str::to_owned),
            idempotency_key: None,
        };
        let variables = retire_channel::Variables { input };
        send::<chorus_client::RetireChannel, _>(self.teams_client(), variables).await
    }

    /// The `team` query: the team `id`, which must exist (`what` names the expectation).
    async fn team_by_id(&self, id: &str, include_retired_channels: bool, what: &str) -> TeamDetail {
        let variables = team::Variables {
            id: id.into(),
            include_retired_channels,
        };
        self.teams_client()
            .run::<chorus_client::Team>(variables)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e:?}"))
            .team
            .unwrap_or_else(|| panic!("{what}: no such team"))
    }
}

impl TeamsApi for ChorusClient {
    fn teams_client(&self) -> &ChorusClient {
        self
    }
}
