//! The organizations read model, and who administers one.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, on_read, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: Uuid,
    pub name: String,
    pub founding_admin_id: Uuid,
    pub created_at: DateTime<Utc>,
}

pub async fn organization(db: &Db, org: Uuid) -> ApiResult<Option<OrganizationRow>> {
    let rows = fetch_all!(db, OrganizationRow, |qb| {
        qb.push("SELECT id, name, founding_admin_id, created_at FROM organizations WHERE id = ");
        qb.push_bind(org);
    });
    Ok(rows.into_iter().next())
}

/// Whether `person` administers `org`: its founding admin, or holder of senior
/// management at organization scope right now.
pub async fn is_admin(db: &Db, org: Uuid, person: Uuid) -> ApiResult<bool> {
    let now = chorus_kernel::now();
    // Literals are INT4 on PostgreSQL and INTEGER on SQLite: cast to one width.
    let found: Option<(i64,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM organizations o JOIN people p ON p.id = o.founding_admin_id \
             AND p.offboarded_at IS NULL WHERE o.id = $1 AND o.founding_admin_id = $2 \
             UNION ALL SELECT CAST(1 AS BIGINT) FROM role_assignments WHERE person_id = $2 AND organization_id = $1 \
             AND scope_kind = 'ORGANIZATION' AND function = 'SENIOR_MANAGEMENT' AND valid_from <= $3 \
             AND (valid_to IS NULL OR valid_to > $3) LIMIT 1",
        )
        .bind(org)
        .bind(person)
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    Ok(found.is_some())
}
