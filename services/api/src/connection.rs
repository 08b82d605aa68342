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
    let after = after
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|b| Uuid::from_slice(&b).ok())
                .ok_or_else(|| {
                    ApiError::bad_input("after", "must be a cursor returned by this API")
                })
        })
        .transpose()?;
    Ok(Page {
        after,
        limit: i64::from(first) + 1,
    })
}

fn cursor(id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes())
}

/// Builds a connection from up to `page.limit` rows ordered by id.
pub fn connection<R, N: OutputType>(
    mut rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let size = usize::try_from(page.limit - 1).unwrap_or_default();
    let has_next = rows.len() > size;
    rows.truncate(size);
    let mut connection = Connection::new(page.after.is_some(), has_next);
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(cursor(id_of(&row)), node(row))),
    );
    connection
}

/// Complexity of a connection: its page size times the cost of each node, so the
/// complexity limit bounds the rows a query can touch.
pub fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = usize::try_from(first.unwrap_or(20)).unwrap_or(0).max(1);
    first.saturating_mul(child_complexity).saturating_add(1)
}
