//! The parsed requests of the integrations use cases, in domain newtypes and uuids.

use chorus_teams::commands::ScopeRef;
use chorus_teams::{DisplayName, Email, ExternalId, Responsibility, RoleFunction};
use uuid::Uuid;

use crate::domain::values::GroupName;
use crate::domain::UserProfile;

/// A SCIM user as the identity provider wants it (a POST or PUT body, or the current
/// user with a PATCH applied).
#[derive(Debug, Clone, PartialEq)]
pub struct UserDraft {
    /// `userName`: the person's email.
    pub email: Email,
    pub display_name: DisplayName,
    /// `None` keeps the one recorded (a person's external id cannot be cleared).
    pub external_id: Option<ExternalId>,
    pub profile: UserProfile,
    /// `false` offboards the person.
    pub active: bool,
    /// The enterprise extension's `manager.value`: the manager's person id.
    pub manager: Option<Uuid>,
}

/// A parsed `configureScimGroup` request.
#[derive(Debug, Clone)]
pub struct ConfigureScimGroup {
    pub display_name: GroupName,
    pub scope: ScopeRef,
    pub function: RoleFunction,
    pub responsibility: Option<Responsibility>,
}
