//! The parsed requests of the admin use cases: what each one acts on and with what, in
//! domain newtypes and uuids. Each request's [`AdminCommand`](super::AdminCommand) impl,
//! in the file named after its use case, decides the domain command it becomes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{
    Affiliation, DisplayName, Email, ExternalId, Handle, OrganizationName, Reason, Responsibility,
    RoleFunction, SocialNetwork, TeamName,
};

/// A parsed `addPerson` request.
#[derive(Debug, Clone)]
pub struct AddPerson {
    pub display_name: DisplayName,
    pub email: Email,
    pub affiliation: Affiliation,
    pub external_id: Option<ExternalId>,
}

/// Where a role is held, as the caller names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRef {
    Organization,
    Team(Uuid),
    Channel(Uuid),
}

/// A parsed `assignRole` request.
#[derive(Debug, Clone)]
pub struct AssignRole {
    pub person_id: Uuid,
    pub function: RoleFunction,
    pub responsibility: Option<Responsibility>,
    pub scope: ScopeRef,
    /// `None`: now.
    pub effective_from: Option<DateTime<Utc>>,
    pub reason: Reason,
}

/// A parsed `clearReportingLine` request.
#[derive(Debug, Clone, Copy)]
pub struct ClearReportingLine {
    pub person_id: Uuid,
}

/// A parsed `createTeam` request.
#[derive(Debug, Clone)]
pub struct CreateTeam {
    pub name: TeamName,
    pub parent_id: Option<Uuid>,
}

/// A parsed `registerChannel` request.
#[derive(Debug, Clone)]
pub struct RegisterChannel {
    pub team_id: Uuid,
    pub network: SocialNetwork,
    pub handle: Handle,
}

/// A parsed `renameOrganization` request.
#[derive(Debug, Clone)]
pub struct RenameOrganization {
    pub name: OrganizationName,
}

/// A parsed `renameTeam` or `archiveTeam` request: what happens to which team.
#[derive(Debug, Clone)]
pub struct ChangeTeam {
    pub team_id: Uuid,
    pub change: TeamChange,
}

/// How a team changes.
#[derive(Debug, Clone)]
pub enum TeamChange {
    /// `renameTeam`.
    Rename(TeamName),
    /// `archiveTeam`: the team's history stays readable.
    Archive(Option<Reason>),
}

/// A parsed `retireChannel` request.
#[derive(Debug, Clone)]
pub struct RetireChannel {
    pub channel_id: Uuid,
    pub reason: Option<Reason>,
}

/// A parsed `revokeRole` request.
#[derive(Debug, Clone)]
pub struct RevokeRole {
    pub assignment_id: Uuid,
    pub reason: Reason,
}

/// A parsed `revokeServiceToken` request.
#[derive(Debug, Clone)]
pub struct RevokeServiceToken {
    pub token_id: Uuid,
    pub reason: Option<Reason>,
}

/// A parsed `setReportingLine` request.
#[derive(Debug, Clone, Copy)]
pub struct SetReportingLine {
    pub person_id: Uuid,
    pub manager_id: Uuid,
}

/// A parsed `updatePerson` request: `None` leaves a field as it is.
#[derive(Debug, Clone)]
pub struct UpdatePerson {
    pub person_id: Uuid,
    pub display_name: Option<DisplayName>,
    pub email: Option<Email>,
    pub affiliation: Option<Affiliation>,
    pub external_id: Option<ExternalId>,
}

/// A parsed `offboardPerson` request.
#[derive(Debug, Clone)]
pub struct OffboardPerson {
    pub person_id: Uuid,
    pub reason: Option<Reason>,
}
