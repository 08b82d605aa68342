//! Queries over the teams read models, one file per read model. Every query is confined
//! to one organization and served by an index; nested lists are loaded in batches (see
//! [`TeamsLoader`]).

pub use chorus_kernel::sql::Page;

/// Appends the keyset page of a list ordered by id: rows after `page.after`, at most
/// `page.limit` of them.
macro_rules! push_page {
    ($qb:ident, $page:expr) => {{
        let page: $crate::read::Page = $page;
        if let Some(after) = page.after {
            $qb.push(" AND id > ").push_bind(after);
        }
        $qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }};
}

/// Fetches one page of each of many parents' lists in one query (`ROW_NUMBER` per
/// parent): the rows of `$list` whose parent is in `$parents`, of organization `$org`,
/// passing the filters `$filters` appends, after `$page.after` in `$list.order` order.
macro_rules! fetch_per_parent {
    ($db:expr, $row:ty, $list:expr, $parents:expr, $org:expr, $page:expr, |$qb:ident| $filters:block) => {{
        let list: &$crate::read::PerParent = &$list;
        let page: $crate::read::Page = $page;
        chorus_kernel::fetch_all!($db, $row, |$qb| {
            $qb.push(format!(
                "SELECT * FROM (SELECT {}, ROW_NUMBER() OVER (PARTITION BY {} ORDER BY {}) AS rn FROM {} WHERE {}",
                list.columns, list.parent, list.order, list.table, list.parent
            ));
            chorus_kernel::push_in!($qb, $parents);
            $qb.push(" AND organization_id = ").push_bind($org);
            $filters
            if let Some(after) = page.after {
                $qb.push(format!(" AND {} > ", list.order)).push_bind(after);
            }
            $qb.push(") x WHERE rn <= ").push_bind(page.limit);
            $qb.push(format!(" ORDER BY {}, {}", list.parent, list.order));
        })
    }};
}

mod callers;
mod channel;
mod loader;
mod organization;
mod person;
mod reporting_line;
mod role;
mod roster;
mod roster_cache;
mod service_token;
mod team;

pub use callers::*;
pub use channel::*;
pub use loader::*;
pub use organization::*;
pub use person::*;
pub use reporting_line::*;
pub use role::*;
pub use roster::*;
pub use roster_cache::*;
pub use service_token::*;
pub use team::*;

/// A list kept per parent (a team's channels, a person's roles, …) as
/// [`fetch_per_parent!`] pages it.
pub(crate) struct PerParent {
    pub table: &'static str,
    pub columns: &'static str,
    /// The column naming the parent.
    pub parent: &'static str,
    /// The column the list is ordered and paged by.
    pub order: &'static str,
}

/// A `LIKE` pattern matching `needle` literally anywhere (used with `ESCAPE '\'`, which
/// SQLite needs explicitly and PostgreSQL takes as its default).
fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
