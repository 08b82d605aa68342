use chorus_teams_domain::{Responsibility, RoleFunction, RoleScope};
use uuid::Uuid;

use crate::values::{GroupExternalId, GroupName};

/// Commands accepted by the [`ScimGroup`](super::ScimGroup) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ScimGroupCommand {
    /// An admin maps the identity provider's group `display_name` to a role grant.
    Configure {
        /// Id of the group (also the aggregate id and the SCIM `id`).
        group_id: Uuid,
        /// The organization.
        organization_id: Uuid,
        /// The name the identity provider pushes the group under.
        display_name: GroupName,
        /// The role's function.
        function: RoleFunction,
        /// The role's responsibility, if any.
        responsibility: Option<Responsibility>,
        /// Where the role applies.
        scope: RoleScope,
        /// The admin.
        by: Uuid,
    },
    /// The identity provider created (pushed) the group: it is linked from now on.
    Link {
        /// The identity provider's id for the group, if it sent one.
        external_id: Option<GroupExternalId>,
        /// The SCIM client.
        by: Uuid,
    },
    /// The identity provider renamed the group.
    Rename {
        /// The new name.
        display_name: GroupName,
        /// The SCIM client.
        by: Uuid,
    },
    /// The identity provider deleted the group (its members' roles were revoked first),
    /// or an admin removed the mapping.
    Remove {
        /// Who removed it.
        by: Uuid,
    },
}
