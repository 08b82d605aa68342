use uuid::Uuid;

use crate::values::OrganizationName;

/// Commands accepted by the [`Organization`](super::Organization) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum OrganizationCommand {
    /// Create the organization with its first administrator.
    CreateOrganization {
        /// Id of the new organization (also the aggregate id).
        organization_id: Uuid,
        /// Initial name.
        name: OrganizationName,
        /// Person who created the organization and administers it first.
        founding_admin_id: Uuid,
    },
    /// Give the organization a new name.
    RenameOrganization {
        /// New name.
        name: OrganizationName,
    },
}
