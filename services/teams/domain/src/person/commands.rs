use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::values::{
    Affiliation, DisplayName, Email, ExternalId, Reason, Responsibility, RoleFunction, RoleScope,
};

/// Commands accepted by the [`Person`](super::Person) aggregate.
///
/// Times and new ids are supplied by the application layer because the domain
/// reads no clock and generates no ids.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonCommand {
    /// Add a person to an organization.
    AddPerson {
        /// Id of the new person (also the aggregate id).
        person_id: Uuid,
        /// Organization the person belongs to.
        organization_id: Uuid,
        /// Name shown to colleagues.
        display_name: DisplayName,
        /// Work email address.
        email: Email,
        /// How the person is attached to the organization.
        affiliation: Affiliation,
        /// Id in an external system, if known.
        external_id: Option<ExternalId>,
    },
    /// Change some of a person's details; `None` leaves a field as it is.
    UpdatePerson {
        /// New display name.
        display_name: Option<DisplayName>,
        /// New email address.
        email: Option<Email>,
        /// New affiliation.
        affiliation: Option<Affiliation>,
        /// New external id.
        external_id: Option<ExternalId>,
    },
    /// Offboard the person, revoking every role they still hold.
    OffboardPerson {
        /// Why, if given; also used as the revocation reason of their roles.
        reason: Option<Reason>,
        /// When the offboarding takes effect.
        at: DateTime<Utc>,
        /// Who offboarded them.
        by: Uuid,
    },
    /// Grant the person a role.
    AssignRole {
        /// Id of the new assignment.
        assignment_id: Uuid,
        /// Function the role is performed in.
        function: RoleFunction,
        /// Specific responsibility within the function, if any.
        responsibility: Option<Responsibility>,
        /// Where the role applies.
        scope: RoleScope,
        /// When the role starts; never earlier than `now` minus
        /// [`BACKDATE_TOLERANCE`](crate::values::BACKDATE_TOLERANCE).
        effective_from: DateTime<Utc>,
        /// Why the role is granted, for auditors.
        reason: Reason,
        /// Who granted it.
        granted_by: Uuid,
        /// The application's current time, used for the backdating check.
        now: DateTime<Utc>,
    },
    /// Revoke one of the person's roles.
    RevokeRole {
        /// The assignment to revoke.
        assignment_id: Uuid,
        /// Why, for auditors.
        reason: Reason,
        /// Who revoked it.
        revoked_by: Uuid,
        /// When the revocation takes effect.
        at: DateTime<Utc>,
    },
}
