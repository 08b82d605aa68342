//! Lookups the resolvers share, through the request's loader.

use super::*;

pub(crate) async fn person_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

pub(crate) async fn team_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Team>> {
    Ok(loader(ctx)?.load_one(TeamById(id)).await?.map(Team))
}

pub(crate) async fn channel_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Channel>> {
    Ok(loader(ctx)?.load_one(ChannelById(id)).await?.map(Channel))
}

pub(crate) async fn manager_of(ctx: &Context<'_>, person: Uuid) -> ApiResult<Option<Person>> {
    match loader(ctx)?.load_one(ManagerOf(person)).await? {
        Some(manager) => person_by_id(ctx, manager).await,
        None => Ok(None),
    }
}

pub(crate) async fn coverage_of(
    ctx: &Context<'_>,
    org: Uuid,
    team: Option<Uuid>,
) -> ApiResult<Coverage> {
    let held = covered_functions(&runtime(ctx)?.db, org, team, chorus_kernel::now()).await?;
    let (covered, missing): (Vec<domain::RoleFunction>, Vec<domain::RoleFunction>) =
        domain::RECOMMENDED_FUNCTIONS
            .iter()
            .copied()
            .partition(|f| held.iter().any(|h| h == f.as_str()));
    Ok(Coverage {
        covered: covered.into_iter().map(RoleFunction::from).collect(),
        missing: missing.into_iter().map(RoleFunction::from).collect(),
    })
}

/// A loader without the request's cache, confined to the caller's organization.
pub(crate) fn fresh_loader(ctx: &Context<'_>) -> ApiResult<TeamsLoader> {
    Ok(TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: chorus_api::principal(ctx)?.organization_id,
    })
}

/// Loads a team of the caller's organization or fails with NOT_FOUND naming `field`.
pub(crate) async fn existing_team(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<TeamRow> {
    let id = decode_id("Team", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[TeamById(id)])
        .await?
        .remove(&TeamById(id))
        .ok_or(ApiError::NotFound("team"))
}

pub(crate) async fn existing_person(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<PersonRow> {
    let id = decode_id("Person", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[PersonById(id)])
        .await?
        .remove(&PersonById(id))
        .ok_or(ApiError::NotFound("person"))
}

pub(crate) async fn existing_channel(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<ChannelRow> {
    let id = decode_id("Channel", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[ChannelById(id)])
        .await?
        .remove(&ChannelById(id))
        .ok_or(ApiError::NotFound("channel"))
}
