//! [`ProjectedCache`]: answers read from the read models, kept in-process until the
//! projection of an event changes them. The caller checks (`chorus_teams::read::callers`)
//! and the team rosters (`chorus_teams::read::roster_cache`) use it.
//!
//! Answers are filed under a group (what one event can change: a caller key, an
//! organization) and a key within it. Consistency: a kept answer never outlives the
//! projection of the event that changes it, in the process that projects it.
//!
//! - The projection calls [`ProjectedCache::invalidate`] while it applies such an event,
//!   inside its transaction: the group's answers are dropped before the read models can
//!   show the change, and the group remembers the event's position.
//! - An answer read from the database is kept only if no invalidation of its group came in
//!   while it was read, and only if the group's last invalidation had been published as
//!   projected (committed) before the read began: a read that might predate that commit is
//!   used once and not kept.
//! - Only a process whose projector leads keeps answers: it applies every event, so it
//!   sees every invalidation. A follower asks the database each time. Answers also expire
//!   after the cache's time to live (or earlier, when the reader says the answer changes
//!   by time alone), which bounds what no in-process event covers: leadership lost and
//!   regained between two lookups, or events applied by another process.
//! - The number of kept answers is bounded: when it is reached, expired answers are
//!   dropped, and if none are, the new answer is served but not kept.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chorus_kernel::LogPosition;
use chrono::{DateTime, Utc};

use crate::{ApiResult, Runtime};

/// A process-wide cache of answers, grouped by what invalidates them.
#[derive(Debug)]
pub struct ProjectedCache<G, K, V> {
    ttl: Duration,
    /// The most weight kept at once, and in one group.
    capacity: usize,
    group_capacity: usize,
    /// An answer's weight (1 unless the cache was made with a weigher).
    weigh: fn(&V) -> usize,
    inner: Mutex<Inner<G, K, V>>,
}

#[derive(Debug)]
struct Inner<G, K, V> {
    groups: HashMap<G, Group<K, V>>,
    /// The weight of the answers kept over all groups.
    kept: usize,
}

#[derive(Debug)]
struct Group<K, V> {
    /// Each answer, until when it may be used, and its weight.
    answers: HashMap<K, (V, Instant, usize)>,
    /// The position of the last event that changed this group's answers.
    invalidated_at: Option<LogPosition>,
    /// The weight of the answers kept in this group.
    kept: usize,
}

impl<K, V> Default for Group<K, V> {
    fn default() -> Self {
        Self {
            answers: HashMap::new(),
            invalidated_at: None,
            kept: 0,
        }
    }
}

/// What [`ProjectedCache::begin`] learnt before a read: whether its answer may be kept.
#[derive(Debug, Clone, Copy)]
pub struct ReadTicket {
    keep: bool,
    invalidated_at: Option<LogPosition>,
    started: Instant,
}

impl ReadTicket {
    /// Whether what is read after this ticket may be kept.
    pub fn keeps(&self) -> bool {
        self.keep
    }
}

fn leads(runtime: &Runtime) -> bool {
    runtime.projector.is_leader() && runtime.projecting.load(Ordering::Acquire)
}

impl<G, K, V> ProjectedCache<G, K, V>
where
    G: Eq + Hash + Copy,
    K: Eq + Hash + Copy,
    V: Clone,
{
    /// A cache whose answers live at most `ttl`, with at most `capacity` kept at once.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self::weighed(ttl, capacity, capacity, |_| 1)
    }

    /// A cache whose answers live at most `ttl`, with at most `capacity` of weight (as
    /// `weigh` weighs each answer) kept at once, `group_capacity` of it in one group.
    pub fn weighed(
        ttl: Duration,
        capacity: usize,
        group_capacity: usize,
        weigh: fn(&V) -> usize,
    ) -> Self {
        Self {
            ttl,
            capacity,
            group_capacity,
            weigh,
            inner: Mutex::new(Inner {
                groups: HashMap::new(),
                kept: 0,
            }),
        }
    }

    /// Drops `group`'s answers: the event at `position`, being projected now, changes them.
    pub fn invalidate(&self, group: G, position: LogPosition) {
        if let Ok(mut inner) = self.inner.lock() {
            let entry = inner.groups.entry(group).or_default();
            entry.answers.clear();
            let dropped = std::mem::take(&mut entry.kept);
            entry.invalidated_at = entry.invalidated_at.max(Some(position));
            inner.kept -= dropped;
        }
    }

    /// The kept answer for `key` in `group`, if this process may use one and it is fresh.
    pub fn lookup(&self, runtime: &Runtime, group: G, key: K) -> Option<V> {
        if !leads(runtime) {
            return None;
        }
        let inner = self.inner.lock().ok()?;
        let (answer, until, _) = inner.groups.get(&group)?.answers.get(&key)?;
        (Instant::now() < *until).then(|| answer.clone())
    }

    /// To call before reading `group`'s answers from the database: whether what is read
    /// may be kept (see the module's rules).
    pub async fn begin(&self, runtime: &Runtime, group: G) -> ReadTicket {
        let started = Instant::now();
        let unkept = ReadTicket {
            keep: false,
            invalidated_at: None,
            started,
        };
        if !leads(runtime) {
            return unkept;
        }
        let invalidated_at = match self.inner.lock() {
            Ok(inner) => inner.groups.get(&group).and_then(|g| g.invalidated_at),
            Err(_) => return unkept,
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
        ReadTicket {
            keep: committed,
            invalidated_at,
            started: Instant::now(),
        }
    }

    /// Keeps `answer`, read after `ticket`, unless the rules forbid it; `holds_until` is
    /// when it changes by time alone (`None`: only an event changes it).
    pub fn keep(
        &self,
        ticket: ReadTicket,
        group: G,
        key: K,
        answer: &V,
        holds_until: Option<DateTime<Utc>>,
    ) {
        if !ticket.keep {
            return;
        }
        // A boundary already passed (while reading) leaves nothing to keep.
        let lives = holds_until.map_or(self.ttl, |t| {
            (t - chorus_kernel::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(self.ttl)
        });
        let weight = (self.weigh)(answer);
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.kept + weight > self.capacity {
            inner.drop_expired();
            if inner.kept + weight > self.capacity {
                return;
            }
        }
        let group_capacity = self.group_capacity;
        let entry = inner.groups.entry(group).or_default();
        if entry.invalidated_at != ticket.invalidated_at {
            return;
        }
        let before = entry.kept;
        if entry.kept + weight > group_capacity {
            entry.drop_expired();
        }
        if entry.kept + weight <= group_capacity {
            let replaced = entry
                .answers
                .insert(key, (answer.clone(), ticket.started + lives, weight));
            entry.kept = entry.kept + weight - replaced.map_or(0, |(_, _, w)| w);
        }
        let after = entry.kept;
        inner.kept = inner.kept + after - before;
    }

    /// The answer for `key` in `group`: kept, or from `read` (which answers with until when
    /// it holds by time alone, `None` for as long as no event changes it).
    pub async fn answer<F>(&self, runtime: &Runtime, group: G, key: K, read: F) -> ApiResult<V>
    where
        F: Future<Output = ApiResult<(V, Option<DateTime<Utc>>)>>,
    {
        if let Some(answer) = self.lookup(runtime, group, key) {
            return Ok(answer);
        }
        let ticket = self.begin(runtime, group).await;
        let (answer, holds_until) = read.await?;
        self.keep(ticket, group, key, &answer, holds_until);
        Ok(answer)
    }

    /// Whether `key` in `group` holds a usable answer (tests).
    pub fn holds(&self, group: G, key: K) -> bool {
        self.inner.lock().is_ok_and(|inner| {
            inner
                .groups
                .get(&group)
                .and_then(|g| g.answers.get(&key))
                .is_some_and(|(_, until, _)| Instant::now() < *until)
        })
    }
}

impl<G, K, V> Inner<G, K, V> {
    fn drop_expired(&mut self) {
        for group in self.groups.values_mut() {
            group.drop_expired();
        }
        self.kept = self.groups.values().map(|g| g.kept).sum();
    }
}

impl<K, V> Group<K, V> {
    fn drop_expired(&mut self) {
        let now = Instant::now();
        self.answers.retain(|_, (_, until, _)| now < *until);
        self.kept = self.answers.values().map(|(_, _, w)| w).sum();
    }
}
