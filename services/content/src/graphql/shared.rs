//! Helpers every part of the content slice uses: decoding stored teams enums, keyset
//! pagination of time-ordered lists, the per-list batch loader, the lookups of the
//! resolvers, input parsing, and the mutation payload macro. Who may run a mutation is
//! decided by its use case ([`crate::commands`]).

use std::future::Future;
use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID};
use chorus_api::error::ApiResult;
use chorus_api::{
    connection, cursor_connection, decode_after, decode_id, decode_stored, decode_stored_opt,
    encode_cursor, page, principal, require_reader, runtime, Principal,
};
use chorus_kernel::sql::Page;
use chorus_kernel::Db;
use chorus_teams as teams;
use chorus_teams::api::{loader, PersonById, RoleById};
use chorus_teams::graphql::{Person, Responsibility, RoleAssignment, RoleFunction};
use uuid::Uuid;

use crate::read::{ContentLoader, Keyset, KeysetKey};

/// A role function stored in `table.column` (a teams enum content's rows keep).
pub(super) fn function_of(table: &str, column: &str, stored: &str) -> ApiResult<RoleFunction> {
    decode_stored::<teams::RoleFunction>(table, column, stored).map(RoleFunction::from)
}

/// A responsibility stored in `table.column` (NULL: none).
pub(super) fn responsibility_of(
    table: &str,
    column: &str,
    stored: Option<&str>,
) -> ApiResult<Option<Responsibility>> {
    Ok(
        decode_stored_opt::<teams::Responsibility>(table, column, stored)?
            .map(Responsibility::from),
    )
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
    let after = decode_after(after, |bytes| {
        serde_json::from_slice::<KeysetKey>(bytes).ok()
    })?;
    Ok(Keyset { after, limit })
}

pub(super) fn keyset_connection<R, N: async_graphql::OutputType>(
    rows: Vec<R>,
    page: Keyset,
    key_of: impl Fn(&R) -> KeysetKey,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let cursor_of = |row: &R| encode_cursor(serde_json::to_vec(&key_of(row)).unwrap_or_default());
    cursor_connection(rows, page.limit, page.after.is_some(), cursor_of, node)
}

/// What every query resolver starts from: the caller (a reader), its organization's id
/// and the database.
pub(super) fn reading<'c>(ctx: &'c Context<'_>) -> ApiResult<(&'c Principal, Uuid, &'c Db)> {
    let principal = require_reader(ctx)?;
    Ok((principal, principal.organization_id, &runtime(ctx)?.db))
}

/// A record of the caller's organization named by the global id `id` of `kind`, read
/// by `fetch(db, organization, uuid)`.
pub(super) async fn find<'c, R, Fut>(
    ctx: &'c Context<'_>,
    kind: &str,
    id: &ID,
    fetch: impl FnOnce(&'c Db, Uuid, Uuid) -> Fut,
) -> ApiResult<Option<R>>
where
    Fut: Future<Output = ApiResult<Option<R>>>,
{
    let (_, org, db) = reading(ctx)?;
    let id = decode_id(kind, "id", id)?;
    fetch(db, org, id).await
}

/// A kind of page of a list: how its Relay arguments are parsed and how its rows become
/// a connection (id-ordered lists by [`Page`], time-ordered ones by [`Keyset`]).
pub(super) trait Paging: Copy {
    /// What a row's cursor encodes.
    type Key;

    /// The page the Relay arguments ask for.
    fn parse(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> ApiResult<Self>;

    /// The connection of `node(row)` by `key_of(row)` for the rows read for this page.
    fn connect<R, N: async_graphql::OutputType>(
        self,
        rows: Vec<R>,
        key_of: impl Fn(&R) -> Self::Key,
        node: impl Fn(R) -> N,
    ) -> Connection<String, N>;
}

/// Implements [`Paging`] for `$page`, whose cursors encode `$key`, with its argument
/// parser and its connection builder.
macro_rules! paging {
    ($page:ty, $key:ty, $parse:path, $connect:path) => {
        impl Paging for $page {
            type Key = $key;

            fn parse(
                ctx: &Context<'_>,
                first: Option<i32>,
                after: Option<String>,
            ) -> ApiResult<Self> {
                $parse(ctx, first, after)
            }

            fn connect<R, N: async_graphql::OutputType>(
                self,
                rows: Vec<R>,
                key_of: impl Fn(&R) -> $key,
                node: impl Fn(R) -> N,
            ) -> Connection<String, N> {
                $connect(rows, self, key_of, node)
            }
        }
    };
}
paging!(Page, Uuid, page, connection);
paging!(Keyset, KeysetKey, keyset, keyset_connection);

/// One page of a list of the caller's organization, read by
/// `fetch(db, organization, page)`, as a connection of `node(row)` by `key_of(row)`.
pub(super) async fn paged<'c, P: Paging, R, N, Fut>(
    ctx: &'c Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    fetch: impl FnOnce(&'c Db, Uuid, P) -> Fut,
    key_of: impl Fn(&R) -> P::Key,
    node: impl Fn(R) -> N,
) -> ApiResult<Connection<String, N>>
where
    Fut: Future<Output = ApiResult<Vec<R>>>,
    N: async_graphql::OutputType,
{
    let (_, org, db) = reading(ctx)?;
    let page = P::parse(ctx, first, after)?;
    let rows = fetch(db, org, page).await?;
    Ok(page.connect(rows, key_of, node))
}

/// An optional global id of `kind` given in `field`.
pub(super) fn decode_opt(kind: &str, field: &str, id: &Option<ID>) -> ApiResult<Option<Uuid>> {
    id.as_ref().map(|id| decode_id(kind, field, id)).transpose()
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

pub(super) use chorus_api::{parse, parse_opt};

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
