//! Helpers every part of the content slice uses: decoding stored teams enums, keyset
//! pagination of time-ordered lists, the per-list batch loader, the lookups of the
//! resolvers, input parsing, and the mutation payload macro. Who may run a mutation is
//! decided by its use case ([`crate::commands`]).

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::DataLoader;
use async_graphql::Context;
use base64::Engine;
use chorus_api::error::{ApiError, ApiResult};
use chorus_api::{page, principal, runtime};
use chorus_teams as teams;
use chorus_teams::api::{loader, PersonById, RoleById};
use chorus_teams::graphql::{Person, Responsibility, RoleAssignment, RoleFunction};
use uuid::Uuid;

use crate::read::{ContentLoader, Keyset, KeysetKey};

pub(super) fn function_of(stored: &str) -> ApiResult<RoleFunction> {
    stored
        .parse::<teams::RoleFunction>()
        .map(RoleFunction::from)
        .map_err(|e| ApiError::internal(&e))
}

pub(super) fn responsibility_of(stored: Option<&str>) -> ApiResult<Option<Responsibility>> {
    stored
        .map(|s| {
            s.parse::<teams::Responsibility>()
                .map(Responsibility::from)
                .map_err(|e| ApiError::internal(&e))
        })
        .transpose()
}

// ---------------------------------------------------------------------------------------
// Pagination of time-ordered lists
// ---------------------------------------------------------------------------------------

/// Parses Relay arguments of a time-ordered list (same page-size cap as everywhere).
pub(super) fn keyset(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Keyset> {
    let limit = page(ctx, first, None)?.limit;
    let after = after
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|bytes| serde_json::from_slice::<KeysetKey>(&bytes).ok())
                .ok_or_else(|| {
                    ApiError::bad_input("after", "must be a cursor returned by this API")
                })
        })
        .transpose()?;
    Ok(Keyset { after, limit })
}

pub(super) fn keyset_connection<R, N: async_graphql::OutputType>(
    mut rows: Vec<R>,
    page: Keyset,
    key_of: impl Fn(&R) -> KeysetKey,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let size = usize::try_from(page.limit - 1).unwrap_or_default();
    let has_next = rows.len() > size;
    rows.truncate(size);
    let mut connection = Connection::new(page.after.is_some(), has_next);
    connection.edges.extend(rows.into_iter().map(|row| {
        let key = serde_json::to_vec(&key_of(&row)).unwrap_or_default();
        Edge::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
            node(row),
        )
    }));
    connection
}

pub(super) type Batch = Arc<DataLoader<ContentLoader>>;

/// A batch loader for one list of posts (or one post): the nested lists of every post
/// it serves are loaded with one query per kind.
pub(super) fn batch(ctx: &Context<'_>) -> ApiResult<Batch> {
    Ok(Arc::new(DataLoader::new(
        ContentLoader {
            db: runtime(ctx)?.db.clone(),
            org: principal(ctx)?.organization_id,
        },
        tokio::spawn,
    )))
}

// ---------------------------------------------------------------------------------------
// Shared lookups
// ---------------------------------------------------------------------------------------

pub(super) async fn person(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

pub(super) async fn role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    Ok(loader(ctx)?
        .load_one(RoleById(id))
        .await?
        .map(RoleAssignment))
}

// ---------------------------------------------------------------------------------------
// Input parsing
// ---------------------------------------------------------------------------------------

pub(super) fn parse<T: TryFrom<String, Error = teams::ValueError>>(
    field: &str,
    value: &str,
) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

pub(super) fn parse_opt<T: TryFrom<String, Error = teams::ValueError>>(
    field: &str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}

// ---------------------------------------------------------------------------------------
// Mutation payloads
// ---------------------------------------------------------------------------------------

macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* }) => {
        $(#[$meta])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            $($field: $ty,)*
            /// Position of the last event this mutation appended (or, on an idempotent
            /// retry, appended the first time).
            position: chorus_api::LogPositionScalar,
            /// True when the idempotency key matched an earlier request and nothing new was written.
            replayed: bool,
        }
    };
}
pub(super) use payload;
