//! SCIM group membership: a member of a group is a holder of the role it stands for.
//! Adding members assigns the role through teams' `assignRole`, removing them revokes it
//! through teams' `revokeRole`; both record the SCIM client as grantor and a reason
//! naming the group. Everyone named is checked before the first write.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_teams::commands::{self, AssignRole, RevokeRole, ScopeRef};
use chorus_teams::ScopeKind;
use uuid::Uuid;

use super::reason;
use crate::domain::GroupRole;
use crate::read::GroupRow;

/// The group's current members, as `(person, assignment)`.
async fn members(caller: Caller<'_>, role: GroupRole) -> ApiResult<Vec<(Uuid, Uuid)>> {
    chorus_teams::api::role_members(
        &caller.runtime.db,
        caller.organization_id(),
        role.function,
        role.responsibility,
        role.scope,
    )
    .await
}

/// Gives `people` the group's role (those who hold it already are left as they are).
pub async fn add_members(caller: Caller<'_>, group: &GroupRow, people: &[Uuid]) -> ApiResult<()> {
    let role = group.role()?;
    let current = members(caller, role).await?;
    let mut new: Vec<Uuid> = people
        .iter()
        .copied()
        .filter(|person| !current.iter().any(|(p, _)| p == person))
        .collect();
    new.sort_unstable();
    new.dedup();
    check_members(caller, &new).await?;
    let scope = match role.scope.kind {
        ScopeKind::Organization => ScopeRef::Organization,
        ScopeKind::Team => ScopeRef::Team(role.scope.id),
        ScopeKind::Channel => ScopeRef::Channel(role.scope.id),
    };
    for person_id in new {
        let request = AssignRole {
            person_id,
            function: role.function,
            responsibility: role.responsibility,
            scope,
            effective_from: None,
            reason: reason(format!("SCIM group {}", group.display_name))?,
        };
        request.assign(caller, None).await?;
    }
    Ok(())
}

/// Refuses members who are not active people of the caller's organization, before
/// anything is written.
pub async fn check_members(caller: Caller<'_>, people: &[Uuid]) -> ApiResult<()> {
    for person in people {
        let found = chorus_teams::api::person(caller, *person)
            .await
            .map_err(|_| ApiError::bad_input("members", "names no person of the organization"))?;
        if found.offboarded_at.is_some() {
            return Err(ApiError::bad_input(
                "members",
                "names a person who has been offboarded",
            ));
        }
    }
    Ok(())
}

/// Revokes the group's role from those of `people` who hold it.
pub async fn remove_members(
    caller: Caller<'_>,
    group: &GroupRow,
    people: &[Uuid],
) -> ApiResult<()> {
    let role = group.role()?;
    let current = members(caller, role).await?;
    for (_, assignment_id) in current.iter().filter(|(p, _)| people.contains(p)) {
        let request = RevokeRole {
            assignment_id: *assignment_id,
            reason: reason(format!(
                "SCIM group {}: membership removed",
                group.display_name
            ))?,
        };
        commands::run(caller, request, None).await?;
    }
    Ok(())
}
