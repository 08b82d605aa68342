//! What every request re-checks about its caller, cached in-process: that a person is
//! still an active member of the token's organization, that a service-account token is
//! still registered, and whether a person is an organization admin.
//!
//! Consistency: a cached answer never outlives the projection of the event that changes
//! it, in the process that projects it: the teams projection calls
//! [`CallerCache::invalidate`] while it applies such an event (offboarding, token
//! revocation, a role assigned or revoked), inside the projection's transaction. The
//! rules that make this hold are [`chorus_api::cache`]'s; admin answers also expire when
//! a role starts or ends by time alone.

use std::sync::LazyLock;
use std::time::Duration;

use chorus_api::cache::ProjectedCache;
use chorus_api::{ApiResult, Runtime};
use chorus_kernel::{on_read, Db, LogPosition};
use chrono::{DateTime, Utc};
use std::future::Future;
use uuid::Uuid;

/// How long a kept answer may be used at most.
pub const TTL: Duration = Duration::from_secs(10);

/// How many answers are kept at most (one per active caller and check).
const CAPACITY: usize = 100_000;

/// What a cached answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallerKey {
    /// Person `.1` is an active (not offboarded) member of organization `.0`.
    ActivePerson(Uuid, Uuid),
    /// Token `.2` of service account `.1` in organization `.0` is registered, not revoked.
    RegisteredToken(Uuid, Uuid, Uuid),
    /// Person `.1` is an admin of organization `.0`.
    Admin(Uuid, Uuid),
}

/// The process-wide cache (keys are uuids, unique across databases, so processes that
/// run several servers, as tests do, share it safely). Each key is its own group: an
/// event invalidates exactly the answers it changes.
#[derive(Debug)]
pub struct CallerCache(ProjectedCache<CallerKey, (), bool>);

/// The cache every request of this process uses.
pub static CALLERS: LazyLock<CallerCache> =
    LazyLock::new(|| CallerCache(ProjectedCache::new(TTL, CAPACITY)));

impl CallerCache {
    /// Drops `key`'s answer: the event at `position`, being projected now, changes it.
    pub fn invalidate(&self, key: CallerKey, position: LogPosition) {
        self.0.invalidate(key, position);
    }

    /// `key`'s answer: kept, or from `read` (which answers with how long it holds by
    /// time alone, `None` for as long as no event changes it).
    pub async fn answer<F>(&self, runtime: &Runtime, key: CallerKey, read: F) -> ApiResult<bool>
    where
        F: Future<Output = ApiResult<(bool, Option<DateTime<Utc>>)>>,
    {
        self.0.answer(runtime, key, (), read).await
    }

    /// Whether `key` holds a usable answer (tests).
    pub fn holds(&self, key: CallerKey) -> bool {
        self.0.holds(key, ())
    }
}

/// Whether person `person` is an active member of `org` (by primary key; the
/// organization is checked on the row found).
pub async fn person_active(db: &Db, org: Uuid, person: Uuid) -> ApiResult<bool> {
    let row: Option<(Uuid, Option<DateTime<Utc>>)> = on_read!(db, pool => {
        sqlx::query_as("SELECT organization_id, offboarded_at FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(pool)
            .await?
    });
    Ok(matches!(row, Some((o, None)) if o == org))
}

/// Whether `person` is an admin of `org` now, and until when that holds by time alone
/// (a senior-management role starting or ending), for [`CallerCache::answer`].
pub async fn admin_now(
    db: &Db,
    org: Uuid,
    person: Uuid,
) -> ApiResult<(bool, Option<DateTime<Utc>>)> {
    let now = chorus_kernel::now();
    let founding: Option<(Uuid,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT o.id FROM organizations o JOIN people p ON p.id = o.founding_admin_id \
             AND p.offboarded_at IS NULL WHERE o.id = $1 AND o.founding_admin_id = $2",
        )
        .bind(org)
        .bind(person)
        .fetch_optional(pool)
        .await?
    });
    let roles: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT valid_from, valid_to FROM role_assignments WHERE person_id = $1 \
             AND organization_id = $2 AND scope_kind = 'ORGANIZATION' \
             AND function = 'SENIOR_MANAGEMENT' AND (valid_to IS NULL OR valid_to > $3)",
        )
        .bind(person)
        .bind(org)
        .bind(now)
        .fetch_all(pool)
        .await?
    });
    let held = roles
        .iter()
        .any(|(from, to)| *from <= now && to.is_none_or(|to| to > now));
    // The next instant a role starts or ends changes the answer without any event.
    let next = roles
        .iter()
        .flat_map(|(from, to)| [Some(*from), *to])
        .flatten()
        .filter(|t| *t > now)
        .min();
    Ok((founding.is_some() || held, next))
}
