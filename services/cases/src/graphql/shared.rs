//! What every part of the cases slice uses: the reader check, the teams look-ups, and
//! stored teams enums.

use async_graphql::Context;
use chorus_api::{decode_stored, runtime, ApiResult, Caller};
use chorus_kernel::Db;
use chorus_teams::api::{loader, ChannelById, PersonById, TeamById};
use chorus_teams::graphql::{Channel, Person, RoleFunction, Team};
use uuid::Uuid;

use crate::commands::ensure_case_reader;

/// What every query resolver starts from: the caller may read cases; its organization's
/// id and the database.
pub(super) async fn reading<'c>(ctx: &'c Context<'_>) -> ApiResult<(Uuid, &'c Db)> {
    let caller = Caller::of(ctx)?;
    ensure_case_reader(caller).await?;
    Ok((caller.organization_id(), &runtime(ctx)?.db))
}

/// A role function stored in `table.column`.
pub(super) fn function_of(table: &str, column: &str, stored: &str) -> ApiResult<RoleFunction> {
    decode_stored::<chorus_teams::RoleFunction>(table, column, stored).map(RoleFunction::from)
}

pub(super) async fn person(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Person>> {
    match id {
        Some(id) => Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person)),
        None => Ok(None),
    }
}

pub(super) async fn team(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Team>> {
    match id {
        Some(id) => Ok(loader(ctx)?.load_one(TeamById(id)).await?.map(Team)),
        None => Ok(None),
    }
}

pub(super) async fn channel(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Channel>> {
    match id {
        Some(id) => Ok(loader(ctx)?.load_one(ChannelById(id)).await?.map(Channel)),
        None => Ok(None),
    }
}
