//! Lookups the resolvers share, through the request's loader.

use super::*;

pub(crate) async fn person_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

/// The person `id` names, when it names one (who issued, granted, revoked, …).
pub(crate) async fn person_if_any(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> ApiResult<Option<Person>> {
    match id {
        Some(id) => person_by_id(ctx, id).await,
        None => Ok(None),
    }
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

pub(crate) async fn role_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    Ok(loader(ctx)?
        .load_one(RoleById(id))
        .await?
        .map(RoleAssignment))
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
            .partition(|f| held.contains(f));
    Ok(Coverage {
        covered: covered.into_iter().map(RoleFunction::from).collect(),
        missing: missing.into_iter().map(RoleFunction::from).collect(),
    })
}

/// A team of the caller's organization, read fresh, or NOT_FOUND; `field` names the id
/// in a decoding error.
pub(crate) async fn existing_team(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<TeamRow> {
    let id = decode_id("Team", field, id)?;
    commands::team(Caller::of(ctx)?, id).await
}
