//! The records a use case acts on, read fresh (not from a request's cache: an earlier
//! mutation of the same document may have changed them) and confined to the caller's
//! organization: another organization's id is `NOT_FOUND`, never a leak.

use async_graphql::dataloader::Loader;
use chorus_api::{ApiError, ApiResult, Caller};
use uuid::Uuid;

use crate::read::{ChannelById, ChannelRow, PersonById, PersonRow, TeamById, TeamRow, TeamsLoader};

fn fresh(caller: &Caller<'_>) -> TeamsLoader {
    TeamsLoader {
        db: caller.runtime.db.clone(),
        org: caller.organization_id(),
    }
}

/// A team of the caller's organization.
pub async fn team(caller: Caller<'_>, id: Uuid) -> ApiResult<TeamRow> {
    fresh(&caller)
        .load(&[TeamById(id)])
        .await?
        .remove(&TeamById(id))
        .ok_or(ApiError::NotFound("team"))
}

/// A person of the caller's organization.
pub async fn person(caller: Caller<'_>, id: Uuid) -> ApiResult<PersonRow> {
    fresh(&caller)
        .load(&[PersonById(id)])
        .await?
        .remove(&PersonById(id))
        .ok_or(ApiError::NotFound("person"))
}

/// A channel of the caller's organization.
pub async fn channel(caller: Caller<'_>, id: Uuid) -> ApiResult<ChannelRow> {
    fresh(&caller)
        .load(&[ChannelById(id)])
        .await?
        .remove(&ChannelById(id))
        .ok_or(ApiError::NotFound("channel"))
}
