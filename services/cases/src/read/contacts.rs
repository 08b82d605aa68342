//! Contacts: their personal data and handles.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, push_in, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One row of `contacts`, with its handles (`network:handle`, comma-free JSON array).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub display_name: Option<String>,
    pub crm_id: Option<String>,
    pub vip: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A handle of a contact.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HandleRow {
    pub network: String,
    pub handle: String,
}

/// A contact of organization `org`, if any.
pub async fn contact(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<ContactRow>> {
    Ok(contacts_by_ids(db, org, &[id]).await?.into_iter().next())
}

/// The contacts of organization `org` among `ids` (by primary key, organization checked
/// on the row).
pub async fn contacts_by_ids(db: &Db, org: Uuid, ids: &[Uuid]) -> ApiResult<Vec<ContactRow>> {
    Ok(fetch_all!(db, ContactRow, |qb| {
        qb.push(
            "SELECT id, organization_id, display_name, crm_id, vip, created_at, updated_at \
             FROM contacts WHERE id",
        );
        push_in!(qb, ids);
        qb.push(" AND organization_id = ").push_bind(org);
    }))
}
