//! The integrations context's slice of the schema: admins map SCIM groups to role grants.

mod scim_group;

pub use scim_group::{
    ConfigureScimGroupPayload, IntegrationsMutation, IntegrationsQuery, ScimGroupMapping,
};
