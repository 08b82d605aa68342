//! Relay forward pagination over keyset pages ([`chorus_kernel::sql::Page`]).

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType};
use base64::Engine;
use chorus_kernel::sql::Page;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::runtime::runtime;

/// Parses Relay forward-pagination arguments against the configured page-size cap.
pub fn page(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> ApiResult<Page> {
    let limits = runtime(ctx)?.pages;
    let first = first.unwrap_or(limits.default_page_size);
    if !(0..=limits.max_page_size).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("must be between 0 and {}", limits.max_page_size),
        ));
    }
    let after = decode_after(after, |bytes| Uuid::from_slice(bytes).ok())?;
    Ok(Page {
        after,
        limit: i64::from(first) + 1,
    })
}

/// The `after` argument of a Relay connection decoded (unpadded URL-safe base64, then
/// `parse` of its bytes), or BAD_INPUT if it is not a cursor this API returned.
pub fn decode_after<T>(
    after: Option<String>,
    parse: impl FnOnce(&[u8]) -> Option<T>,
) -> ApiResult<Option<T>> {
    after
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|bytes| parse(&bytes))
                .ok_or_else(|| {
                    ApiError::bad_input("after", "must be a cursor returned by this API")
                })
        })
        .transpose()
}

/// A cursor: `bytes` in unpadded URL-safe base64.
pub fn encode_cursor(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Builds a connection from up to `limit - 1` rows (one more row than the page means
/// a next page), each edge's cursor made by `cursor_of`; `has_previous` when the page
/// starts after a cursor.
pub fn cursor_connection<R, N: OutputType>(
    mut rows: Vec<R>,
    limit: i64,
    has_previous: bool,
    cursor_of: impl Fn(&R) -> String,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let size = usize::try_from(limit - 1).unwrap_or_default();
    let has_next = rows.len() > size;
    rows.truncate(size);
    let mut connection = Connection::new(has_previous, has_next);
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(cursor_of(&row), node(row))),
    );
    connection
}

/// Builds a connection from up to `page.limit` rows ordered by id.
pub fn connection<R, N: OutputType>(
    rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let cursor_of = |row: &R| encode_cursor(id_of(row).as_bytes());
    cursor_connection(rows, page.limit, page.after.is_some(), cursor_of, node)
}

/// Complexity of a connection: its page size times the cost of each node, so the
/// complexity limit bounds the rows a query can touch.
pub fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = usize::try_from(first.unwrap_or(20)).unwrap_or(0).max(1);
    first.saturating_mul(child_complexity).saturating_add(1)
}
