//! What every request re-checks about its caller, cached in-process: that a person is
//! still an active member of the token's organization, that a service-account token is
//! still registered, and whether a person is an organization admin.
//!
//! Consistency: a cached answer never outlives the projection of the event that changes
//! it, in the process that projects it.
//!
//! - The teams projection calls [`CallerCache::invalidate`] while it applies such an
//!   event (offboarding, token revocation, a role assigned or revoked), inside the
//!   projection's transaction: the answer is dropped before the read models can show the
//!   change, and the key remembers the event's position.
//! - An answer read from the database is kept only if no invalidation came in while it
//!   was read, and only if the last invalidation's position had been published as
//!   projected (committed) before the read began: a read that might predate that commit
//!   is used once and not kept.
//! - Only a process whose projector leads uses the cache: it applies every event, so it
//!   sees every invalidation. A follower (another process leads) asks the database each
//!   time. Entries also expire after [`TTL`] (and admin answers when a role starts or
//!   ends by time alone), which bounds the cases no in-process event covers: leadership
//!   lost and regained between two lookups, or events applied by another process (a
//!   command-line tool catching up on its own writes) while this one leads.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use chorus_api::{ApiResult, Runtime};
use chorus_kernel::{on_read, Db, LogPosition};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How long a kept answer may be used at most.
pub const TTL: Duration = Duration::from_secs(10);

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

#[derive(Debug, Default)]
struct Entry {
    /// The answer and until when it may be used.
    answer: Option<(bool, Instant)>,
    /// The position of the last event that changed this key's answer.
    invalidated_at: Option<LogPosition>,
}

/// The process-wide cache (keys are uuids, unique across databases, so processes that
/// run several servers, as tests do, share it safely).
#[derive(Debug, Default)]
pub struct CallerCache {
    entries: Mutex<HashMap<CallerKey, Entry>>,
}

/// The cache every request of this process uses.
pub static CALLERS: LazyLock<CallerCache> = LazyLock::new(CallerCache::default);

impl CallerCache {
    /// Drops `key`'s answer: the event at `position`, being projected now, changes it.
    pub fn invalidate(&self, key: CallerKey, position: LogPosition) {
        if let Ok(mut entries) = self.entries.lock() {
            let entry = entries.entry(key).or_default();
            entry.answer = None;
            entry.invalidated_at = entry.invalidated_at.max(Some(position));
        }
    }

    /// `key`'s answer: kept, or from `read` (which answers with how long it holds by
    /// time alone, `None` for as long as no event changes it).
    pub async fn answer<F>(&self, runtime: &Runtime, key: CallerKey, read: F) -> ApiResult<bool>
    where
        F: Future<Output = ApiResult<(bool, Option<DateTime<Utc>>)>>,
    {
        let leads = runtime.projector.is_leader()
            && runtime
                .projecting
                .load(std::sync::atomic::Ordering::Acquire);
        if !leads {
            return Ok(read.await?.0);
        }
        let invalidated_at = {
            let Ok(entries) = self.entries.lock() else {
                return Ok(read.await?.0);
            };
            let entry = entries.get(&key);
            if let Some((answer, until)) = entry.and_then(|e| e.answer) {
                if Instant::now() < until {
                    return Ok(answer);
                }
            }
            entry.and_then(|e| e.invalidated_at)
        };
        // Was the last change committed (and published as projected) before this read?
        let committed = match invalidated_at {
            Some(position) => runtime
                .projector
                .wait_for(position, Duration::ZERO)
                .await
                .is_ok(),
            None => true,
        };
        let started = Instant::now();
        let (answer, holds_until) = read.await?;
        if committed {
            // A boundary already passed (while reading) leaves nothing to keep.
            let until = holds_until.map_or(TTL, |t| {
                (t - chorus_kernel::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(TTL)
            });
            if let Ok(mut entries) = self.entries.lock() {
                let entry = entries.entry(key).or_default();
                if entry.invalidated_at == invalidated_at {
                    entry.answer = Some((answer, started + until));
                }
            }
        }
        Ok(answer)
    }

    /// Whether `key` holds a usable answer (tests).
    pub fn holds(&self, key: CallerKey) -> bool {
        self.entries.lock().is_ok_and(|entries| {
            entries
                .get(&key)
                .and_then(|e| e.answer)
                .is_some_and(|(_, until)| Instant::now() < until)
        })
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
