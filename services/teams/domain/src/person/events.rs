use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{Affiliation, Responsibility, RoleFunction, RoleScope};

/// Facts recorded by the [`Person`](super::Person) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum PersonEvent {
    /// The person was added to an organization.
    PersonAdded {
        /// Id of the person.
        person_id: Uuid,
        /// Organization the person belongs to.
        organization_id: Uuid,
        /// Name shown to colleagues.
        display_name: String,
        /// Work email address (lowercase).
        email: String,
        /// How the person is attached to the organization.
        affiliation: Affiliation,
        /// Id in an external system, if known.
        external_id: Option<String>,
    },
    /// Some of the person's details changed; only changed fields are `Some`.
    PersonUpdated {
        /// New display name, if changed.
        display_name: Option<String>,
        /// New email, if changed.
        email: Option<String>,
        /// New affiliation, if changed.
        affiliation: Option<Affiliation>,
        /// New external id, if changed.
        external_id: Option<String>,
    },
    /// The person was offboarded. Their roles were revoked by the
    /// `RoleRevoked` events recorded just before this one.
    PersonOffboarded {
        /// Why, if given.
        reason: Option<String>,
        /// When the offboarding took effect.
        at: DateTime<Utc>,
    },
    /// The person was granted a role.
    RoleAssigned {
        /// Id of the assignment.
        assignment_id: Uuid,
        /// The person holding the role.
        person_id: Uuid,
        /// Function the role is performed in.
        function: RoleFunction,
        /// Specific responsibility, if any.
        responsibility: Option<Responsibility>,
        /// Where the role applies.
        scope: RoleScope,
        /// When the role starts.
        effective_from: DateTime<Utc>,
        /// Why it was granted.
        reason: String,
        /// Who granted it.
        granted_by: Uuid,
    },
    /// One of the person's roles was revoked.
    RoleRevoked {
        /// Id of the assignment.
        assignment_id: Uuid,
        /// The person who held the role.
        person_id: Uuid,
        /// Function of the revoked role; copied so consumers need no lookup.
        function: RoleFunction,
        /// Scope of the revoked role; copied so consumers need no lookup.
        scope: RoleScope,
        /// Why it was revoked.
        reason: String,
        /// Who revoked it.
        revoked_by: Uuid,
        /// When the revocation took effect.
        at: DateTime<Utc>,
    },
}

chorus_shared::domain_event!(PersonEvent);
