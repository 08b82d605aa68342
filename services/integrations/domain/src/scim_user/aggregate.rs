use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{Department, EmployeeNumber, FamilyName, GivenName};

/// The HR attributes of one person, each optional (an HR system may send none of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    given_name: Option<String>,
    family_name: Option<String>,
    employee_number: Option<String>,
    department: Option<String>,
}

impl UserProfile {
    /// A profile of validated values.
    pub fn new(
        given_name: Option<GivenName>,
        family_name: Option<FamilyName>,
        employee_number: Option<EmployeeNumber>,
        department: Option<Department>,
    ) -> Self {
        Self {
            given_name: given_name.map(String::from),
            family_name: family_name.map(String::from),
            employee_number: employee_number.map(String::from),
            department: department.map(String::from),
        }
    }

    pub fn given_name(&self) -> Option<&str> {
        self.given_name.as_deref()
    }

    pub fn family_name(&self) -> Option<&str> {
        self.family_name.as_deref()
    }

    pub fn employee_number(&self) -> Option<&str> {
        self.employee_number.as_deref()
    }

    pub fn department(&self) -> Option<&str> {
        self.department.as_deref()
    }
}

/// Commands accepted by the [`ScimUser`] aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ScimUserCommand {
    /// Record the person's HR attributes as the HR system now sends them (the whole
    /// profile: an attribute it no longer sends is cleared). Recording the profile the
    /// aggregate already holds records nothing.
    RecordProfile {
        /// The person (also the aggregate id).
        person_id: Uuid,
        /// The person's organization.
        organization_id: Uuid,
        /// The attributes.
        profile: UserProfile,
        /// Who recorded it (the SCIM client's service account).
        by: Uuid,
    },
}

/// Facts recorded by the [`ScimUser`] aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum ScimUserEvent {
    /// The person's HR attributes are now `profile`.
    ScimProfileRecorded {
        /// The person.
        person_id: Uuid,
        /// The person's organization.
        organization_id: Uuid,
        /// The attributes, whole.
        profile: UserProfile,
        /// Who recorded it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(ScimUserEvent);

/// Why the [`ScimUser`] aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScimUserError {
    /// The command names another organization's person.
    #[error("The person was not found.")]
    OtherOrganization,
}

impl ScimUserError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OtherOrganization => "NOT_FOUND",
        }
    }
}

impl chorus_shared::DomainCode for ScimUserError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }
}

/// The HR attributes of one person, rebuilt from events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimUser {
    organization_id: Option<Uuid>,
    profile: UserProfile,
}

impl ScimUser {
    /// The attributes last recorded.
    pub fn profile(&self) -> &UserProfile {
        &self.profile
    }
}

chorus_shared::aggregate!(
    ScimUser,
    "scim_user",
    ScimUserCommand,
    ScimUserEvent,
    ScimUserError
);

impl ScimUser {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: ScimUserCommand) -> Result<Vec<ScimUserEvent>, ScimUserError> {
        match command {
            ScimUserCommand::RecordProfile {
                person_id,
                organization_id,
                profile,
                by,
            } => {
                refuse_if(
                    self.organization_id
                        .is_some_and(|own| own != organization_id),
                    ScimUserError::OtherOrganization,
                )?;
                if self.organization_id.is_some() && self.profile == profile {
                    return Ok(Vec::new());
                }
                Ok(vec![ScimUserEvent::ScimProfileRecorded {
                    person_id,
                    organization_id,
                    profile,
                    by,
                }])
            }
        }
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ScimUserEvent) {
        match event {
            ScimUserEvent::ScimProfileRecorded {
                organization_id,
                profile,
                ..
            } => {
                self.organization_id = Some(organization_id);
                self.profile = profile;
            }
        }
    }
}
