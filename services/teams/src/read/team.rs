//! The teams read model: the team tree, as it is and as it was.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, push_in_force_at, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{like_pattern, Page};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

pub(crate) const TEAM_COLUMNS: &str =
    "id, organization_id, name, parent_id, created_at, archived_at";

/// Filters of the `teams` connection.
#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    pub parent_id: Option<Uuid>,
    pub top_level_only: bool,
    pub include_archived: bool,
    pub name_contains: Option<String>,
}

pub async fn teams_page(
    db: &Db,
    org: Uuid,
    filter: &TeamFilter,
    page: Page,
) -> ApiResult<Vec<TeamRow>> {
    Ok(fetch_all!(db, TeamRow, |qb| {
        qb.push(format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE organization_id = "
        ));
        qb.push_bind(org);
        if let Some(parent) = filter.parent_id {
            qb.push(" AND parent_id = ").push_bind(parent);
        }
        if filter.top_level_only {
            qb.push(" AND parent_id IS NULL");
        }
        if !filter.include_archived {
            qb.push(" AND archived_at IS NULL");
        }
        if let Some(needle) = &filter.name_contains {
            qb.push(" AND lower(name) LIKE ")
                .push_bind(like_pattern(needle))
                .push(" ESCAPE '\\'");
        }
        push_page!(qb, page);
    }))
}

/// A team's sub-teams that existed at `at` (created by then, not yet archived).
pub async fn children_at(
    db: &Db,
    org: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<TeamRow>> {
    Ok(fetch_all!(db, TeamRow, |qb| {
        qb.push(format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE parent_id = "
        ));
        qb.push_bind(team);
        qb.push(" AND organization_id = ").push_bind(org);
        push_in_force_at!(qb, "created_at", "archived_at", at);
        push_page!(qb, page);
    }))
}
