//! The records a use case acts on, read fresh (not from a request's cache: an earlier
//! mutation of the same document may have changed them) and confined to the caller's
//! organization: another organization's id is `NOT_FOUND`, never a leak.

use chorus_api::{ApiError, ApiResult, Caller};
use uuid::Uuid;

use crate::read::{
    ChannelById, ChannelRow, PersonById, PersonRow, RoleById, RoleRow, TeamById, TeamRow,
    TeamsLoader,
};

/// A team of the caller's organization.
pub async fn team(caller: Caller<'_>, id: Uuid) -> ApiResult<TeamRow> {
    let found = TeamsLoader::fresh(&caller).one(TeamById(id)).await?;
    found.ok_or(ApiError::NotFound("team"))
}

/// A team of the caller's organization that is not archived; `what` names it in the
/// refusal ("teamId: the team").
pub(crate) async fn live_team(caller: Caller<'_>, id: Uuid, what: &str) -> ApiResult<TeamRow> {
    let team = team(caller, id).await?;
    if team.archived_at.is_some() {
        return Err(ApiError::Domain {
            code: "TEAM_ARCHIVED",
            message: format!("{what} is archived"),
        });
    }
    Ok(team)
}

/// A person of the caller's organization.
pub async fn person(caller: Caller<'_>, id: Uuid) -> ApiResult<PersonRow> {
    let found = TeamsLoader::fresh(&caller).one(PersonById(id)).await?;
    found.ok_or(ApiError::NotFound("person"))
}

/// A channel of the caller's organization.
pub async fn channel(caller: Caller<'_>, id: Uuid) -> ApiResult<ChannelRow> {
    let found = TeamsLoader::fresh(&caller).one(ChannelById(id)).await?;
    found.ok_or(ApiError::NotFound("channel"))
}

/// A role assignment of the caller's organization.
pub(crate) async fn role(caller: Caller<'_>, id: Uuid) -> ApiResult<RoleRow> {
    let found = TeamsLoader::fresh(&caller).one(RoleById(id)).await?;
    found.ok_or(ApiError::NotFound("role assignment"))
}
