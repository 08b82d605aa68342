//! The reporting-lines read model: who reported to whom, over time.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, push_active_at, push_in, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub person_id: Uuid,
    pub manager_id: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

/// Reporting lines of `people` in force at `at`.
pub async fn managers_at(
    db: &Db,
    org: Uuid,
    people: &[Uuid],
    at: DateTime<Utc>,
) -> ApiResult<Vec<LineRow>> {
    Ok(fetch_all!(db, LineRow, |qb| {
        qb.push("SELECT person_id, manager_id, valid_from, valid_to FROM reporting_lines WHERE person_id");
        push_in!(qb, people);
        qb.push(" AND organization_id = ").push_bind(org);
        push_active_at!(qb, "", at);
    }))
}
