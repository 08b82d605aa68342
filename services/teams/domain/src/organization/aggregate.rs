use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{OrganizationCommand, OrganizationError, OrganizationEvent};

/// State of one organization, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    organization_id: Option<Uuid>,
    name: String,
    founding_admin_id: Option<Uuid>,
}

impl Organization {
    /// Id of the organization, `None` until it has been created.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Current name (empty until created).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Person who created the organization, `None` until created.
    pub fn founding_admin_id(&self) -> Option<Uuid> {
        self.founding_admin_id
    }

    /// Whether the organization has been created.
    pub fn exists(&self) -> bool {
        self.organization_id.is_some()
    }
}

chorus_shared::aggregate!(
    Organization,
    "organization",
    OrganizationCommand,
    OrganizationEvent,
    OrganizationError
);

impl Organization {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: OrganizationCommand,
    ) -> Result<Vec<OrganizationEvent>, OrganizationError> {
        let events = match command {
            OrganizationCommand::CreateOrganization {
                organization_id,
                name,
                founding_admin_id,
            } => {
                refuse_if(self.exists(), OrganizationError::AlreadyExists)?;
                vec![OrganizationEvent::OrganizationCreated {
                    organization_id,
                    name: name.into_inner(),
                    founding_admin_id,
                }]
            }
            OrganizationCommand::RenameOrganization { name } => {
                refuse_if(!self.exists(), OrganizationError::NotFound)?;
                refuse_if(self.name == name.as_str(), OrganizationError::NameUnchanged)?;
                vec![OrganizationEvent::OrganizationRenamed {
                    name: name.into_inner(),
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: OrganizationEvent) {
        match event {
            OrganizationEvent::OrganizationCreated {
                organization_id,
                name,
                founding_admin_id,
            } => {
                self.organization_id = Some(organization_id);
                self.name = name;
                self.founding_admin_id = Some(founding_admin_id);
            }
            OrganizationEvent::OrganizationRenamed { name } => {
                self.name = name;
            }
        }
    }
}
