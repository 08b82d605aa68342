//! The cases batch loader: the contacts and cases a page of cases names, and each case's
//! page of timeline and replies, one query per kind (and per distinct page, which a page
//! of cases shares) so there is no N+1, confined to the caller's organization.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chorus_api::{ApiError, ApiResult};
use chorus_kernel::{fetch_all, push_in, Db};
use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::timeline::{replies_of_cases, timelines_of_cases};
use super::{cases_by_ids, CaseRow, ContactRow, HandleRow, ReplyRow, TimelineRow};

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

/// A page of a case's timeline: the entries after sequence `after`, at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimelineOf {
    pub case: Uuid,
    pub after: Option<i64>,
    pub limit: i64,
}

/// A page of a case's replies: those after `after` (a submission instant and id), at
/// most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RepliesOf {
    pub case: Uuid,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

/// The keys grouped by the page they ask for (one query serves each group), and an empty
/// list for every key (a case without rows has one).
fn by_page<K: Copy + Eq + std::hash::Hash, P: Eq + std::hash::Hash, V>(
    keys: &[K],
    split: impl Fn(&K) -> (P, Uuid),
) -> (HashMap<P, Vec<Uuid>>, HashMap<K, Vec<V>>) {
    let mut groups: HashMap<P, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (page, case) = split(key);
        groups.entry(page).or_default().push(case);
    }
    (groups, keys.iter().map(|k| (*k, Vec::new())).collect())
}

impl Loader<TimelineOf> for CasesLoader {
    type Value = Vec<TimelineRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[TimelineOf]) -> ApiResult<HashMap<TimelineOf, Vec<TimelineRow>>> {
        let (groups, mut out) = by_page(keys, |k| ((k.after, k.limit), k.case));
        for ((after, limit), cases) in groups {
            for row in timelines_of_cases(&self.db, self.org, &cases, after, limit).await? {
                let key = TimelineOf {
                    case: row.case_id,
                    after,
                    limit,
                };
                out.entry(key).or_default().push(row);
            }
        }
        Ok(out)
    }
}

impl Loader<RepliesOf> for CasesLoader {
    type Value = Vec<ReplyRow>;
    type Error = ApiError;

    async fn load(&self, keys: &[RepliesOf]) -> ApiResult<HashMap<RepliesOf, Vec<ReplyRow>>> {
        let (groups, mut out) = by_page(keys, |k| ((k.after, k.limit), k.case));
        for ((after, limit), cases) in groups {
            for row in replies_of_cases(&self.db, self.org, &cases, after, limit).await? {
                let key = RepliesOf {
                    case: row.case_id,
                    after,
                    limit,
                };
                out.entry(key).or_default().push(row);
            }
        }
        Ok(out)
    }
}

impl Loader<ContactById> for CasesLoader {
    type Value = ContactRow;
    type Error = ApiError;

    async fn load(&self, keys: &[ContactById]) -> ApiResult<HashMap<ContactById, ContactRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = super::contacts::contacts_by_ids(&self.db, self.org, &ids).await?;
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
