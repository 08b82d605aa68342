//! A SCIM group's life: an admin maps it to a role grant (`configureScimGroup`, GraphQL),
//! the identity provider then pushes it (`POST /Groups`: linked), may rename it, and
//! deletes it (`DELETE /Groups/{id}`: its members' roles are revoked, then it is gone).

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chorus_teams::commands::ScopeRef;
use chorus_teams::RoleScope;
use uuid::Uuid;

use super::{actor_id, remove_members, ConfigureScimGroup};
use crate::domain::values::{GroupExternalId, GroupName};
use crate::domain::{ScimGroup, ScimGroupCommand};
use crate::read::{groups_page, GroupFilter, GroupRow};

/// Maps the identity provider's group `displayName` to a role grant. Admins only; a
/// name another group already has is refused (`DUPLICATE_SCIM_GROUP`).
pub async fn configure_scim_group(
    caller: Caller<'_>,
    request: ConfigureScimGroup,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    chorus_teams::api::ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let org = caller.organization_id();
    let scope = match request.scope {
        ScopeRef::Organization => RoleScope::organization(org),
        ScopeRef::Team(id) => RoleScope::team(chorus_teams::api::team(caller, id).await?.id),
        ScopeRef::Channel(id) => {
            RoleScope::channel(chorus_teams::api::channel(caller, id).await?.id)
        }
    };
    let filter = GroupFilter {
        display_name: Some(request.display_name.as_str().to_owned()),
        external_id: None,
    };
    let (taken, _) = groups_page(&caller.runtime.db, org, &filter, 0, 1).await?;
    if taken > 0 {
        return Err(ApiError::Domain {
            code: "DUPLICATE_SCIM_GROUP",
            message: "displayName: another SCIM group has this name".into(),
        });
    }
    let group_id = Uuid::now_v7();
    let command = ScimGroupCommand::Configure {
        group_id,
        organization_id: org,
        display_name: request.display_name,
        function: request.function,
        responsibility: request.responsibility,
        scope,
        by: actor_id(&caller),
    };
    execute_for::<ScimGroup>(caller, group_id, command, key).await
}

/// The identity provider pushed the group (`SCIM_GROUP_LINKED` if it already had).
pub async fn link_group(
    caller: Caller<'_>,
    group: &GroupRow,
    external_id: Option<GroupExternalId>,
) -> ApiResult<()> {
    let command = ScimGroupCommand::Link {
        external_id,
        by: actor_id(&caller),
    };
    execute_for::<ScimGroup>(caller, group.id, command, None).await?;
    Ok(())
}

/// The identity provider renamed the group (nothing when the name is the same).
pub async fn rename_group(caller: Caller<'_>, group: &GroupRow, name: GroupName) -> ApiResult<()> {
    if name.as_str() == group.display_name {
        return Ok(());
    }
    let command = ScimGroupCommand::Rename {
        display_name: name,
        by: actor_id(&caller),
    };
    execute_for::<ScimGroup>(caller, group.id, command, None).await?;
    Ok(())
}

/// The identity provider deleted the group: every member's role is revoked, then the
/// group is removed.
pub async fn remove_group(caller: Caller<'_>, group: &GroupRow) -> ApiResult<()> {
    let role = group.role()?;
    let members = chorus_teams::api::role_members(
        &caller.runtime.db,
        caller.organization_id(),
        role.function,
        role.responsibility,
        role.scope,
    )
    .await?;
    let people: Vec<Uuid> = members.iter().map(|(person, _)| *person).collect();
    remove_members(caller, group, &people).await?;
    let command = ScimGroupCommand::Remove {
        by: actor_id(&caller),
    };
    execute_for::<ScimGroup>(caller, group.id, command, None).await?;
    Ok(())
}
