use chorus_teams_domain::{Responsibility, RoleFunction, RoleScope};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`ScimGroup`](super::ScimGroup) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum ScimGroupEvent {
    /// An admin mapped the group to a role grant.
    ScimGroupConfigured {
        /// Id of the group.
        group_id: Uuid,
        /// The organization.
        organization_id: Uuid,
        /// The group's name.
        display_name: String,
        /// The role's function.
        function: RoleFunction,
        /// The role's responsibility, if any.
        responsibility: Option<Responsibility>,
        /// Where the role applies.
        scope: RoleScope,
        /// The admin.
        by: Uuid,
    },
    /// The identity provider pushed the group.
    ScimGroupLinked {
        /// The identity provider's id for it, if sent.
        external_id: Option<String>,
        /// The SCIM client.
        by: Uuid,
    },
    /// The group was renamed.
    ScimGroupRenamed {
        /// The new name.
        display_name: String,
        /// Who renamed it.
        by: Uuid,
    },
    /// The group was removed; its members' roles were revoked before.
    ScimGroupRemoved {
        /// Who removed it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(ScimGroupEvent);
