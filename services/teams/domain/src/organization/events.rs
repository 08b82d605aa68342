use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`Organization`](super::Organization) aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OrganizationEvent {
    /// The organization was created.
    OrganizationCreated {
        /// Id of the organization.
        organization_id: Uuid,
        /// Initial name.
        name: String,
        /// Person who created the organization.
        founding_admin_id: Uuid,
    },
    /// The organization was renamed.
    OrganizationRenamed {
        /// New name.
        name: String,
    },
}

impl DomainEvent for OrganizationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::OrganizationCreated { .. } => "OrganizationCreated",
            Self::OrganizationRenamed { .. } => "OrganizationRenamed",
        }
        .to_string()
    }

    fn event_version(&self) -> String {
        "1.0".to_string()
    }
}
