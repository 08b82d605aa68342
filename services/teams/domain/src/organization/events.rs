use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`Organization`](super::Organization) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
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

chorus_shared::domain_event!(OrganizationEvent);
