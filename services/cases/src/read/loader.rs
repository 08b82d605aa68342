//! The cases batch loader: the contacts and cases a page of cases names, one query per
//! kind (no N+1), confined to the caller's organization.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chorus_api::{ApiError, ApiResult};
use chorus_kernel::{fetch_all, push_in, Db};
use uuid::Uuid;

use super::{cases_by_ids, CaseRow, ContactRow, HandleRow};

/// Loads the records of one organization by id.
pub struct CasesLoader {
    pub db: Db,
    pub org: Uuid,
}

/// A contact by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactById(pub Uuid);

/// A contact's handles, by network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandlesOfContact(pub Uuid);

/// A case by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseById(pub Uuid);

impl Loader<ContactById> for CasesLoader {
    type Value = ContactRow;
    type Error = ApiError;

    async fn load(&self, keys: &[ContactById]) -> ApiResult<HashMap<ContactById, ContactRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, ContactRow, |qb| {
            qb.push(
                "SELECT id, organization_id, display_name, crm_id, vip, created_at, updated_at \
                 FROM contacts WHERE id",
            );
            push_in!(qb, ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
        });
        Ok(rows
            .into_iter()
            .map(|row| (ContactById(row.id), row))
            .collect())
    }
}

impl Loader<CaseById> for CasesLoader {
    type Value = CaseRow;
    type Error = ApiError;

    async fn load(&self, keys: &[CaseById]) -> ApiResult<HashMap<CaseById, CaseRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = cases_by_ids(&self.db, self.org, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| (CaseById(row.id), row))
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct ContactHandleRow {
    contact_id: Uuid,
    network: String,
    handle: String,
}

impl Loader<HandlesOfContact> for CasesLoader {
    type Value = Vec<HandleRow>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[HandlesOfContact],
    ) -> ApiResult<HashMap<HandlesOfContact, Vec<HandleRow>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, ContactHandleRow, |qb| {
            qb.push("SELECT contact_id, network, handle FROM contact_handles WHERE contact_id");
            push_in!(qb, ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
            qb.push(" ORDER BY network");
        });
        let mut handles: HashMap<HandlesOfContact, Vec<HandleRow>> = HashMap::new();
        for row in rows {
            handles
                .entry(HandlesOfContact(row.contact_id))
                .or_default()
                .push(HandleRow {
                    network: row.network,
                    handle: row.handle,
                });
        }
        Ok(handles)
    }
}
