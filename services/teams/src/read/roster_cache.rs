//! The team rosters the hot read serves, kept in-process: `team { members { person roles
//! manager } }` is what portals ask most, and between two changes of an organization's
//! team structure its answer is the same, so the leading process keeps each team's whole
//! roster (every row, roles decoded) and its team row ([`TEAMS`]), and serves the read
//! from memory.
//!
//! Consistency is [`chorus_api::cache`]'s: the teams projection drops an organization's
//! rosters and teams while it applies any of its events ([`invalidate_kept`]), inside the
//! projection's transaction. What "now" selects (the rows and roles held at this instant)
//! is decided at each read, so a kept roster stays right as time passes.
//!
//! A team with more than [`TEAM_CAP`] rows is not kept (it is read a page at a time), and
//! the rows kept over all teams are bounded by [`CAPACITY`], so no organization's rosters
//! can crowd out the memory of the process.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use chorus_api::cache::ProjectedCache;
use chorus_api::{ApiResult, Runtime};
use chorus_kernel::{Db, LogPosition};
use uuid::Uuid;

use super::{roster_pages, Page, RosterRole, RosterRow, TeamRow};

/// The most rows of one team kept; a larger team is read a page at a time.
pub const TEAM_CAP: usize = 1_000;

/// The most rows kept over all teams (a few hundred bytes each).
const CAPACITY: usize = 200_000;

/// The most rows kept of one organization's teams, so that one organization's rosters
/// cannot take the room of every other's.
const ORGANIZATION_CAPACITY: usize = CAPACITY / 4;

/// How long a kept roster may be used at most.
const TTL: Duration = Duration::from_secs(10);

/// One team's roster as kept: every row, in person-id order, with its roles decoded.
#[derive(Debug)]
pub struct KeptRoster {
    pub rows: Vec<(RosterRow, Vec<RosterRole>)>,
}

/// A team's kept roster, or `None` when the team is too large to keep.
pub type Kept = Option<Arc<KeptRoster>>;

/// The rosters kept in this process, grouped by organization.
#[derive(Debug)]
pub struct RosterCache(ProjectedCache<Uuid, Uuid, Kept>);

/// The cache every request of this process uses (keys are uuids, unique across
/// databases, so processes that run several servers, as tests do, share it safely).
pub static ROSTERS: LazyLock<RosterCache> = LazyLock::new(|| {
    RosterCache(ProjectedCache::weighed(
        TTL,
        CAPACITY,
        ORGANIZATION_CAPACITY,
        |kept: &Kept| kept.as_ref().map_or(1, |k| k.rows.len().max(1)),
    ))
});

/// The team rows kept in this process, grouped by organization (the organization is
/// checked on each row before it is kept).
pub static TEAMS: LazyLock<ProjectedCache<Uuid, Uuid, TeamRow>> =
    LazyLock::new(|| ProjectedCache::new(TTL, CAPACITY));

/// Drops what this process keeps of `org`'s teams: the event at `position`, being
/// projected now, may change it.
pub fn invalidate_kept(org: Uuid, position: LogPosition) {
    ROSTERS.invalidate(org, position);
    TEAMS.invalidate(org, position);
}

impl RosterCache {
    /// Drops every kept roster of `org`: the event at `position`, being projected now,
    /// may change them.
    pub fn invalidate(&self, org: Uuid, position: LogPosition) {
        self.0.invalidate(org, position);
    }

    /// The kept (or now read and kept) rosters of `teams` in `org`: one query for all the
    /// teams not kept yet. A team absent from the answer is not to be served from here:
    /// this process does not lead, or the team is too large.
    pub async fn rosters(
        &self,
        runtime: &Runtime,
        org: Uuid,
        teams: &[Uuid],
    ) -> ApiResult<HashMap<Uuid, Arc<KeptRoster>>> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        for team in teams {
            match self.0.lookup(runtime, org, *team) {
                Some(Some(kept)) => {
                    out.insert(*team, kept);
                }
                Some(None) => {}
                None => missing.push(*team),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let ticket = self.0.begin(runtime, org).await;
        if !ticket.keeps() {
            return Ok(out);
        }
        for (team, kept) in read_whole(&runtime.db, org, &missing).await? {
            // An empty roster (a new team, or an id of another organization) is not kept:
            // nobody's lookups of unknown ids can fill the cache.
            if kept.as_ref().is_none_or(|k| !k.rows.is_empty()) {
                self.0.keep(ticket, org, team, &kept, None);
            }
            if let Some(kept) = kept {
                out.insert(team, kept);
            }
        }
        Ok(out)
    }

    /// Whether `team`'s roster is kept (tests).
    pub fn holds(&self, org: Uuid, team: Uuid) -> bool {
        self.0.holds(org, team)
    }
}

/// Every row of each of `teams`' rosters, up to one more than [`TEAM_CAP`] each, whatever
/// the instant: which rows and roles are held is decided when a page is served.
async fn read_whole(db: &Db, org: Uuid, teams: &[Uuid]) -> ApiResult<Vec<(Uuid, Kept)>> {
    let whole = Page {
        after: None,
        limit: i64::try_from(TEAM_CAP + 1).unwrap_or(i64::MAX),
    };
    let rows = roster_pages(db, org, teams, None, whole).await?;
    let mut by_team: HashMap<Uuid, Vec<(RosterRow, Vec<RosterRole>)>> =
        teams.iter().map(|t| (*t, Vec::new())).collect();
    for row in rows {
        let roles = row.kept_roles()?;
        by_team.entry(row.team_id).or_default().push((row, roles));
    }
    Ok(by_team
        .into_iter()
        .map(|(team, rows)| {
            let kept = (rows.len() <= TEAM_CAP).then(|| Arc::new(KeptRoster { rows }));
            (team, kept)
        })
        .collect())
}
