//! The case queue pages the hot read serves, kept in-process: agents refresh their team's
//! queue far more often than its cases change, so the leading process keeps each page
//! asked (its rows and the contacts they name) and serves it from memory until a case or
//! contact event of the organization changes it.
//!
//! Consistency is [`chorus_api::cache`]'s: the cases projection drops an organization's
//! pages while it applies any of its case or contact events ([`invalidate_kept`]), inside
//! the projection's transaction. A page filtered by "breach within N minutes" depends on
//! the instant and is never kept. The rows kept over all organizations are bounded by
//! [`CAPACITY`], one organization's by [`ORGANIZATION_CAPACITY`].

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use chorus_api::cache::ProjectedCache;
use chorus_api::{ApiResult, Runtime};
use chorus_kernel::LogPosition;
use uuid::Uuid;

use super::contacts::contacts_by_ids;
use super::{queue, CaseRow, ContactRow, QueueFilter, QueueKey};

/// The most case rows kept over all pages (about a kilobyte each with their contacts).
const CAPACITY: usize = 100_000;

/// The most rows kept of one organization's pages.
const ORGANIZATION_CAPACITY: usize = CAPACITY / 4;

/// How long a kept page may be used at most.
const TTL: Duration = Duration::from_secs(10);

/// A page asked: its filter, where it starts and how many rows it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub filter: QueueFilter,
    pub after: Option<QueueKey>,
    pub limit: i64,
}

/// A queue page: its rows in queue order and the contacts they name.
#[derive(Debug)]
pub struct QueuePage {
    pub rows: Vec<CaseRow>,
    pub contacts: Vec<ContactRow>,
}

/// The pages kept in this process, grouped by organization (keys hold uuids, unique
/// across databases, so processes that run several servers, as tests do, share it).
static PAGES: LazyLock<ProjectedCache<Uuid, PageKey, Arc<QueuePage>>> = LazyLock::new(|| {
    ProjectedCache::weighed(TTL, CAPACITY, ORGANIZATION_CAPACITY, |page| {
        page.rows.len().max(1)
    })
});

/// Drops what this process keeps of `org`'s queue pages: the event at `position`, being
/// projected now, may change them.
pub fn invalidate_kept(org: Uuid, position: LogPosition) {
    PAGES.invalidate(org, position);
}

/// A page of `org`'s queue with its contacts: kept, or read (two queries) and kept.
pub async fn queue_page(runtime: &Runtime, org: Uuid, key: PageKey) -> ApiResult<Arc<QueuePage>> {
    let read = async {
        let rows = queue(&runtime.db, org, &key.filter, key.after, key.limit).await?;
        let mut ids: Vec<Uuid> = rows.iter().map(|row| row.contact_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let contacts = contacts_by_ids(&runtime.db, org, &ids).await?;
        Ok((Arc::new(QueuePage { rows, contacts }), None))
    };
    if key.filter.deadline_before.is_some() {
        return Ok(read.await?.0);
    }
    PAGES.answer(runtime, org, key, read).await
}

/// The contacts of the queue pages a request served, so that each case's `contact` is
/// answered without a query (one per request, in its data; a query operation only reads,
/// so nothing it holds goes stale within the request).
#[derive(Debug, Default)]
pub struct PageContacts(Mutex<HashMap<Uuid, ContactRow>>);

impl PageContacts {
    /// Remembers `page`'s contacts.
    pub fn remember(&self, page: &QueuePage) {
        if let Ok(mut contacts) = self.0.lock() {
            for contact in &page.contacts {
                contacts.insert(contact.id, contact.clone());
            }
        }
    }

    /// A contact a page of this request named.
    pub fn get(&self, id: Uuid) -> Option<ContactRow> {
        self.0.lock().ok()?.get(&id).cloned()
    }
}
