use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
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

impl Aggregate for Organization {
    const TYPE: &'static str = "organization";
    type Command = OrganizationCommand;
    type Event = OrganizationEvent;
    type Error = OrganizationError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _service: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        match command {
            OrganizationCommand::CreateOrganization {
                organization_id,
                name,
                founding_admin_id,
            } => {
                if self.exists() {
                    return Err(OrganizationError::AlreadyExists);
                }
                let event = OrganizationEvent::OrganizationCreated {
                    organization_id,
                    name: name.into_inner(),
                    founding_admin_id,
                };
                sink.write(event, self).await;
            }
            OrganizationCommand::RenameOrganization { name } => {
                if !self.exists() {
                    return Err(OrganizationError::NotFound);
                }
                if self.name == name.as_str() {
                    return Err(OrganizationError::NameUnchanged);
                }
                let event = OrganizationEvent::OrganizationRenamed {
                    name: name.into_inner(),
                };
                sink.write(event, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
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
