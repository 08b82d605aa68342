//! Connections over keyset pages, for every list field: [`paged`] when a query reads the
//! page, [`batched`] when the page is one parent's list, loaded with its siblings'.

use std::future::Future;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use async_graphql::OutputType;
use chorus_kernel::Db;

use super::*;

/// The id a row's list is ordered by: its cursor.
pub(crate) trait PageKey {
    fn page_key(&self) -> Uuid;
}

macro_rules! page_key_is_id {
    ($($row:ty),*) => {
        $(impl PageKey for $row {
            fn page_key(&self) -> Uuid {
                self.id
            }
        })*
    };
}
page_key_is_id!(TeamRow, PersonRow, ChannelRow, RoleRow, ServiceTokenRow);

/// A list of ids (members, reports) is ordered by the ids themselves.
impl PageKey for Uuid {
    fn page_key(&self) -> Uuid {
        *self
    }
}

/// A row keyed by the id it is listed under.
impl<T> PageKey for (Uuid, T) {
    fn page_key(&self) -> Uuid {
        self.0
    }
}

/// The connection for `first` and `after`: `fetch` reads that page's rows from the
/// database, `node` makes each a GraphQL object.
pub(crate) async fn paged<'a, R: PageKey, N: OutputType, Rows>(
    ctx: &'a Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    node: impl Fn(R) -> N,
    fetch: impl FnOnce(&'a Db, Page) -> Rows,
) -> ApiResult<Connection<String, N>>
where
    Rows: Future<Output = ApiResult<Vec<R>>>,
{
    let page = page(ctx, first, after)?;
    let rows = fetch(&runtime(ctx)?.db, page).await?;
    Ok(connection(rows, page, R::page_key, node))
}

/// The connection over one parent's list, loaded through the request's loader in one
/// batch with its siblings': `key` names the parent's list for a page.
pub(crate) async fn batched<K, R, N: OutputType>(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    node: impl Fn(R) -> N,
    key: impl FnOnce(Page) -> K,
) -> ApiResult<Connection<String, N>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    R: PageKey + Send + Sync + Clone + 'static,
    TeamsLoader: Loader<K, Value = Vec<R>, Error = ApiError>,
{
    paged(ctx, first, after, node, |_, page| async move {
        Ok(loader(ctx)?.load_one(key(page)).await?.unwrap_or_default())
    })
    .await
}
