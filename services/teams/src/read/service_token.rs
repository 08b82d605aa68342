//! The service-token registry: a token signed with the local key is accepted only while
//! its registration stands ([`registered`]).

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, on_read, Db};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::Page;

/// A registered token, as the read model holds it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ServiceTokenRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub service_account_id: Uuid,
    pub scopes: String,
    pub description: Option<String>,
    pub issued_by: Option<Uuid>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

const SELECT: &str =
    "SELECT id, organization_id, service_account_id, scopes, description, issued_by, \
     issued_at, expires_at, revoked_at, revoked_by, revoke_reason FROM service_tokens";

/// Whether the token `token_id` of `service_account_id` in `organization_id` is
/// registered and not revoked.
pub async fn registered(
    db: &Db,
    organization_id: Uuid,
    service_account_id: Uuid,
    token_id: Uuid,
) -> ApiResult<bool> {
    let row: Option<(Option<DateTime<Utc>>,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT revoked_at FROM service_tokens WHERE id = $1 AND organization_id = $2 \
             AND service_account_id = $3",
        )
        .bind(token_id)
        .bind(organization_id)
        .bind(service_account_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(matches!(row, Some((None,))))
}

/// One token of `organization_id`.
pub async fn token(db: &Db, organization_id: Uuid, id: Uuid) -> ApiResult<Option<ServiceTokenRow>> {
    let sql = format!("{SELECT} WHERE organization_id = $1 AND id = $2");
    Ok(on_read!(db, pool => {
        sqlx::query_as::<_, ServiceTokenRow>(&sql)
            .bind(organization_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
    }))
}

/// A page of `organization_id`'s tokens, by id.
pub async fn tokens_page(
    db: &Db,
    organization_id: Uuid,
    include_revoked: bool,
    page: Page,
) -> ApiResult<Vec<ServiceTokenRow>> {
    Ok(fetch_all!(db, ServiceTokenRow, |qb| {
        qb.push(SELECT);
        qb.push(" WHERE organization_id = ")
            .push_bind(organization_id);
        if !include_revoked {
            qb.push(" AND revoked_at IS NULL");
        }
        push_page!(qb, page);
    }))
}
