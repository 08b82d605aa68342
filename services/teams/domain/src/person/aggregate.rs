use chorus_shared::refuse_if;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PersonCommand, PersonError, PersonEvent};
use crate::values::{Affiliation, Responsibility, RoleFunction, RoleScope, BACKDATE_TOLERANCE};

/// Revocation reason recorded for roles removed by offboarding when the
/// offboarding command gives none.
const OFFBOARDING_REVOKE_REASON: &str = "person offboarded";

/// One role assignment as the person aggregate remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentState {
    /// Function the role is performed in.
    pub function: RoleFunction,
    /// Specific responsibility, if any.
    pub responsibility: Option<Responsibility>,
    /// Where the role applies.
    pub scope: RoleScope,
    /// When the role starts.
    pub effective_from: DateTime<Utc>,
    /// When the role was revoked; `None` while active.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AssignmentState {
    /// Whether the assignment has not been revoked. A grant that starts in
    /// the future counts as active so it blocks duplicates.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    fn same_role(
        &self,
        function: RoleFunction,
        responsibility: Option<Responsibility>,
        scope: RoleScope,
    ) -> bool {
        self.function == function && self.responsibility == responsibility && self.scope == scope
    }
}

/// State of one person and their role assignments, rebuilt from events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    person_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    display_name: String,
    email: String,
    affiliation: Option<Affiliation>,
    external_id: Option<String>,
    offboarded: bool,
    assignments: BTreeMap<Uuid, AssignmentState>,
}

impl Person {
    /// Id of the person, `None` until added.
    pub fn person_id(&self) -> Option<Uuid> {
        self.person_id
    }

    /// Organization the person belongs to, `None` until added.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Display name (empty until added).
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// Email address (empty until added).
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Affiliation, `None` until added.
    pub fn affiliation(&self) -> Option<Affiliation> {
        self.affiliation
    }

    /// External id, if any.
    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }

    /// Whether the person has been offboarded.
    pub fn is_offboarded(&self) -> bool {
        self.offboarded
    }

    /// Every assignment ever made, revoked ones included, by assignment id.
    pub fn assignments(&self) -> &BTreeMap<Uuid, AssignmentState> {
        &self.assignments
    }

    /// Whether the person has been added.
    pub fn exists(&self) -> bool {
        self.person_id.is_some()
    }

    /// Guard shared by every command on an existing person; returns their id.
    fn ensure_active(&self) -> Result<Uuid, PersonError> {
        let person_id = self.person_id.ok_or(PersonError::NotFound)?;
        refuse_if(self.offboarded, PersonError::Offboarded)?;
        Ok(person_id)
    }
}

chorus_shared::aggregate!(Person, "person", PersonCommand, PersonEvent, PersonError);

impl Person {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: PersonCommand) -> Result<Vec<PersonEvent>, PersonError> {
        let events = match command {
            PersonCommand::AddPerson {
                person_id,
                organization_id,
                display_name,
                email,
                affiliation,
                external_id,
            } => {
                refuse_if(self.exists(), PersonError::AlreadyExists)?;
                vec![PersonEvent::PersonAdded {
                    person_id,
                    organization_id,
                    display_name: display_name.into_inner(),
                    email: email.into_inner(),
                    affiliation,
                    external_id: external_id.map(String::from),
                }]
            }

            PersonCommand::UpdatePerson {
                display_name,
                email,
                affiliation,
                external_id,
            } => {
                self.ensure_active()?;
                let display_name = display_name
                    .map(String::from)
                    .filter(|new| *new != self.display_name);
                let email = email.map(String::from).filter(|new| *new != self.email);
                let affiliation = affiliation.filter(|new| Some(*new) != self.affiliation);
                let external_id = external_id
                    .map(String::from)
                    .filter(|new| Some(new) != self.external_id.as_ref());
                if display_name.is_none()
                    && email.is_none()
                    && affiliation.is_none()
                    && external_id.is_none()
                {
                    return Err(PersonError::NoChange);
                }
                vec![PersonEvent::PersonUpdated {
                    display_name,
                    email,
                    affiliation,
                    external_id,
                }]
            }

            PersonCommand::OffboardPerson { reason, at, by } => {
                let person_id = self.ensure_active()?;
                let reason = reason.map(String::from);
                let revoke_reason = reason
                    .clone()
                    .unwrap_or_else(|| OFFBOARDING_REVOKE_REASON.to_string());
                // Revocations are recorded at `at` even for grants that start
                // later: such a grant then simply never takes effect, and
                // offboarding must never be blocked by a pending grant.
                let mut events: Vec<PersonEvent> = self
                    .assignments
                    .iter()
                    .filter(|(_, assignment)| assignment.is_active())
                    .map(|(assignment_id, assignment)| PersonEvent::RoleRevoked {
                        assignment_id: *assignment_id,
                        person_id,
                        function: assignment.function,
                        scope: assignment.scope,
                        reason: revoke_reason.clone(),
                        revoked_by: by,
                        at,
                    })
                    .collect();
                events.push(PersonEvent::PersonOffboarded { reason, at });
                events
            }

            PersonCommand::AssignRole {
                assignment_id,
                function,
                responsibility,
                scope,
                effective_from,
                reason,
                granted_by,
                now,
            } => {
                let person_id = self.ensure_active()?;
                refuse_if(
                    self.assignments.contains_key(&assignment_id),
                    PersonError::AssignmentIdTaken,
                )?;
                if let Some(responsibility) = responsibility {
                    if !responsibility.allows(function) {
                        return Err(PersonError::ResponsibilityNotInFunction {
                            responsibility,
                            function,
                        });
                    }
                }
                refuse_if(
                    effective_from < now - BACKDATE_TOLERANCE,
                    PersonError::EffectiveFromInPast,
                )?;
                if let Some((existing_assignment_id, _)) =
                    self.assignments.iter().find(|(_, assignment)| {
                        assignment.is_active()
                            && assignment.same_role(function, responsibility, scope)
                    })
                {
                    return Err(PersonError::DuplicateActiveAssignment {
                        existing_assignment_id: *existing_assignment_id,
                    });
                }
                vec![PersonEvent::RoleAssigned {
                    assignment_id,
                    person_id,
                    function,
                    responsibility,
                    scope,
                    effective_from,
                    reason: reason.into_inner(),
                    granted_by,
                }]
            }

            PersonCommand::RevokeRole {
                assignment_id,
                reason,
                revoked_by,
                at,
            } => {
                let person_id = self.ensure_active()?;
                let assignment = self
                    .assignments
                    .get(&assignment_id)
                    .ok_or(PersonError::AssignmentNotFound)?;
                refuse_if(!assignment.is_active(), PersonError::AssignmentNotActive)?;
                refuse_if(
                    at < assignment.effective_from,
                    PersonError::RevokeBeforeEffective,
                )?;
                vec![PersonEvent::RoleRevoked {
                    assignment_id,
                    person_id,
                    function: assignment.function,
                    scope: assignment.scope,
                    reason: reason.into_inner(),
                    revoked_by,
                    at,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: PersonEvent) {
        match event {
            PersonEvent::PersonAdded {
                person_id,
                organization_id,
                display_name,
                email,
                affiliation,
                external_id,
            } => {
                self.person_id = Some(person_id);
                self.organization_id = Some(organization_id);
                self.display_name = display_name;
                self.email = email;
                self.affiliation = Some(affiliation);
                self.external_id = external_id;
            }
            PersonEvent::PersonUpdated {
                display_name,
                email,
                affiliation,
                external_id,
            } => {
                if let Some(display_name) = display_name {
                    self.display_name = display_name;
                }
                if let Some(email) = email {
                    self.email = email;
                }
                if let Some(affiliation) = affiliation {
                    self.affiliation = Some(affiliation);
                }
                if let Some(external_id) = external_id {
                    self.external_id = Some(external_id);
                }
            }
            PersonEvent::PersonOffboarded { .. } => {
                self.offboarded = true;
            }
            PersonEvent::RoleAssigned {
                assignment_id,
                function,
                responsibility,
                scope,
                effective_from,
                ..
            } => {
                self.assignments.insert(
                    assignment_id,
                    AssignmentState {
                        function,
                        responsibility,
                        scope,
                        effective_from,
                        revoked_at: None,
                    },
                );
            }
            PersonEvent::RoleRevoked {
                assignment_id, at, ..
            } => {
                if let Some(assignment) = self.assignments.get_mut(&assignment_id) {
                    assignment.revoked_at = Some(at);
                }
            }
        }
    }
}
