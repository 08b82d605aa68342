//! [`TeamsLoader`]: the per-request batch loader over the teams read models. Each key
//! type is one batched query, whatever the number of parents asking.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use chorus_api::{ApiError, ApiResult, Caller, Runtime};
use chorus_kernel::{fetch_all, push_active_at, push_in, Db};
use uuid::Uuid;

use super::{
    managers_at, members_at, roster_pages, ChannelRow, Page, PerParent, PersonRow, RoleRow,
    RosterMember, RosterRow, TeamRow, CHANNEL_COLUMNS, PERSON_SELECT, ROLE_COLUMNS, ROSTERS, TEAMS,
    TEAM_COLUMNS,
};

/// Per-request batch loader over the teams read models, confined to one organization.
pub struct TeamsLoader {
    pub db: Db,
    pub org: Uuid,
    /// The runtime, for the in-process caches (the team rosters); `None` reads the
    /// database only.
    pub cached: Option<Arc<Runtime>>,
}

impl TeamsLoader {
    /// A loader without a request's cache, for state this request may have just changed.
    pub fn fresh(caller: &Caller<'_>) -> Self {
        Self {
            db: caller.runtime.db.clone(),
            org: caller.organization_id(),
            cached: None,
        }
    }

    /// The one value `key` names, if any.
    pub async fn one<K>(&self, key: K) -> ApiResult<Option<<Self as Loader<K>>::Value>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Self: Loader<K, Error = ApiError>,
    {
        Ok(self.load(std::slice::from_ref(&key)).await?.remove(&key))
    }
}

/// Appends the lookup of `ids` by primary key alone to `select` (`SELECT … FROM t`):
/// what every by-id key runs, the organization checked on the rows found.
pub fn push_by_ids<'args, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'args, DB>,
    select: &str,
    ids: &[Uuid],
) where
    Uuid: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
{
    qb.push(select).push(" WHERE id");
    push_in!(qb, ids);
}

/// A key naming one record by id, loaded with every other asked in the same request.
macro_rules! by_id {
    ($(#[$meta:meta])* $key:ident => $row:ty, $select:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for TeamsLoader {
            type Value = $row;
            type Error = ApiError;
            async fn load(&self, keys: &[$key]) -> ApiResult<HashMap<$key, $row>> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                // By primary key alone, the organization checked on the rows found: a
                // plan the planner cannot trade for a scan of the organization's index
                // (statistics or none), and another organization's id finds nothing.
                let rows = fetch_all!(&self.db, $row, |qb| {
                    push_by_ids(&mut qb, &$select, &ids);
                });
                Ok(rows
                    .into_iter()
                    .filter(|r| r.organization_id == self.org)
                    .map(|r| ($key(r.id), r))
                    .collect())
            }
        }
    };
}

by_id!(/// A person.
    PersonById => PersonRow, PERSON_SELECT);
/// A team (kept in-process by the leading process: every read of a team asks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TeamById(pub Uuid);

impl Loader<TeamById> for TeamsLoader {
    type Value = TeamRow;
    type Error = ApiError;
    async fn load(&self, keys: &[TeamById]) -> ApiResult<HashMap<TeamById, TeamRow>> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match self
                .cached
                .as_ref()
                .and_then(|r| TEAMS.lookup(r, self.org, key.0))
            {
                Some(row) => {
                    out.insert(*key, row);
                }
                None => missing.push(key.0),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let ticket = match &self.cached {
            Some(runtime) => Some(TEAMS.begin(runtime, self.org).await),
            None => None,
        };
        let select = format!("SELECT {TEAM_COLUMNS} FROM teams");
        let rows = fetch_all!(&self.db, TeamRow, |qb| {
            push_by_ids(&mut qb, &select, &missing);
        });
        for row in rows.into_iter().filter(|r| r.organization_id == self.org) {
            if let Some(ticket) = ticket {
                TEAMS.keep(ticket, self.org, row.id, &row, None);
            }
            out.insert(TeamById(row.id), row);
        }
        Ok(out)
    }
}
by_id!(/// A channel.
    ChannelById => ChannelRow, format!("SELECT {CHANNEL_COLUMNS} FROM channels"));
by_id!(/// A role assignment.
    RoleById => RoleRow, format!("SELECT {ROLE_COLUMNS} FROM role_assignments"));

/// Keys of the loader, each a copyable, hashable tuple of the ids and page it names.
macro_rules! keys {
    ($($(#[$meta:meta])* $key:ident($($field:ty),*);)*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub struct $key($(pub $field),*);
        )*
    };
}

keys! {
    /// The manager a person reports to now.
    ManagerOf(Uuid);
    /// A page of a team's current members.
    MembersOf(Uuid, Page);
    /// A page of a team's current members from the roster, with person, roles and manager.
    RosterOf(Uuid, Page);
    /// A page of a team's channels (active only unless the flag is set).
    ChannelsOf(Uuid, bool, Page);
    /// A page of a team's sub-teams.
    ChildrenOf(Uuid, Page);
    /// A page of a manager's current direct reports.
    ReportsOf(Uuid, Page);
    /// A page of a person's role assignments (active now, or all when the flag is set).
    RolesOf(Uuid, bool, Page);
}
/// A person's current roles in one team's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TeamRolesOf {
    pub team: Uuid,
    pub person: Uuid,
}

const CHANNELS_OF_TEAM: PerParent = PerParent {
    table: "channels",
    columns: CHANNEL_COLUMNS,
    parent: "team_id",
    order: "id",
};
const CHILDREN_OF_TEAM: PerParent = PerParent {
    table: "teams",
    columns: TEAM_COLUMNS,
    parent: "parent_id",
    order: "id",
};
const REPORTS_OF_MANAGER: PerParent = PerParent {
    table: "reporting_lines",
    columns: "manager_id, person_id",
    parent: "manager_id",
    order: "person_id",
};
const ROLES_OF_PERSON: PerParent = PerParent {
    table: "role_assignments",
    columns: ROLE_COLUMNS,
    parent: "person_id",
    order: "id",
};

/// The keys grouped by what one query can serve (`group` splits a key into its group and
/// its parent id), and an empty list for every key (a parent without rows has one).
fn by_query<K: Copy + Eq + Hash, G: Eq + Hash, V>(
    keys: &[K],
    group: impl Fn(&K) -> (G, Uuid),
) -> (HashMap<G, Vec<Uuid>>, HashMap<K, Vec<V>>) {
    let mut groups: HashMap<G, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (g, id) = group(key);
        groups.entry(g).or_default().push(id);
    }
    (groups, keys.iter().map(|k| (*k, Vec::new())).collect())
}

impl Loader<ManagerOf> for TeamsLoader {
    type Value = Uuid;
    type Error = ApiError;
    async fn load(&self, keys: &[ManagerOf]) -> ApiResult<HashMap<ManagerOf, Uuid>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = managers_at(&self.db, self.org, &ids, chorus_kernel::now()).await?;
        Ok(rows
            .into_iter()
            .map(|r| (ManagerOf(r.person_id), r.manager_id))
            .collect())
    }
}

impl Loader<MembersOf> for TeamsLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;
    async fn load(&self, keys: &[MembersOf]) -> ApiResult<HashMap<MembersOf, Vec<Uuid>>> {
        let now = chorus_kernel::now();
        let (groups, mut out) = by_query(keys, |k| (k.1, k.0));
        for (page, teams) in groups {
            for (team, person) in members_at(&self.db, self.org, &teams, now, page).await? {
                out.entry(MembersOf(team, page)).or_default().push(person);
            }
        }
        Ok(out)
    }
}

/// A page of a team's roster; `None` when a member's kept roles leave a gap at this
/// instant, so the page must come from the temporal tables (see [`RosterOf`]'s caller).
/// Served from the kept rosters where this process keeps them, else one query per page.
impl Loader<RosterOf> for TeamsLoader {
    type Value = Option<Vec<RosterMember>>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[RosterOf],
    ) -> ApiResult<HashMap<RosterOf, Option<Vec<RosterMember>>>> {
        let now = chorus_kernel::now();
        let kept = match &self.cached {
            Some(runtime) => {
                let mut teams: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                teams.sort_unstable();
                teams.dedup();
                ROSTERS.rosters(runtime, self.org, &teams).await?
            }
            None => HashMap::new(),
        };
        let mut out: HashMap<RosterOf, Option<Vec<RosterMember>>> = HashMap::new();
        let mut unkept = Vec::new();
        for key in keys {
            let Some(roster) = kept.get(&key.0) else {
                unkept.push(*key);
                continue;
            };
            let after = key.1.after;
            let rows = roster
                .rows
                .iter()
                .filter(|(row, _)| after.is_none_or(|a| row.person_id > a) && row.held_at(now))
                .take(usize::try_from(key.1.limit).unwrap_or(0));
            let members: ApiResult<Option<Vec<RosterMember>>> = rows
                .map(|(row, roles)| row.member_with(roles, now))
                .collect();
            out.insert(*key, members?);
        }
        let (groups, empty) = by_query::<_, _, RosterMember>(&unkept, |k| (k.1, k.0));
        out.extend(empty.into_keys().map(|k| (k, Some(Vec::new()))));
        for (page, teams) in groups {
            for row in roster_pages(&self.db, self.org, &teams, Some(now), page).await? {
                let key = RosterOf(row.team_id, page);
                let member = RosterRow::member_at(row, now)?;
                let entry = out.entry(key).or_insert_with(|| Some(Vec::new()));
                match (entry.as_mut(), member) {
                    (Some(members), Some(member)) => members.push(member),
                    _ => *entry = None,
                }
            }
        }
        Ok(out)
    }
}

/// The loader of a key naming a page of one parent's list, one query per group of keys
/// (`group` splits a key into its group and its parent id, as in [`by_query`]): `filters`
/// narrows that group's rows (after the `let`s, once per load), and `entry` files a row
/// under its key, with the value the key lists.
macro_rules! per_parent {
    (
        $key:ident: $row:ty => $value:ty, $list:expr,
        $(let $var:ident = $init:expr;)?
        group |$k:ident| $group:expr,
        filters |$qb:ident, $g:pat, $page:ident| $filters:block,
        entry |$r:ident| $entry:expr
    ) => {
        impl Loader<$key> for TeamsLoader {
            type Value = Vec<$value>;
            type Error = ApiError;
            async fn load(&self, keys: &[$key]) -> ApiResult<HashMap<$key, Vec<$value>>> {
                $(let $var = $init;)?
                let (groups, mut out) = by_query(keys, |$k| $group);
                for ($g, parents) in groups {
                    let rows =
                        fetch_per_parent!(&self.db, $row, $list, &parents, self.org, $page, |$qb| $filters);
                    for $r in rows {
                        if let Some((key, value)) = $entry {
                            out.entry(key).or_default().push(value);
                        }
                    }
                }
                Ok(out)
            }
        }
    };
}

per_parent! {
    ChannelsOf: ChannelRow => ChannelRow, CHANNELS_OF_TEAM,
    group |k| ((k.1, k.2), k.0),
    filters |qb, (include_retired, page), page| {
        if !include_retired {
            qb.push(" AND retired_at IS NULL");
        }
    },
    entry |row| Some((ChannelsOf(row.team_id, include_retired, page), row))
}

per_parent! {
    ChildrenOf: TeamRow => TeamRow, CHILDREN_OF_TEAM,
    group |k| (k.1, k.0),
    filters |qb, page, page| {
        qb.push(" AND archived_at IS NULL");
    },
    entry |row| row.parent_id.map(|parent| (ChildrenOf(parent, page), row))
}

/// A current reporting line, as [`ReportsOf`] reads it.
#[derive(sqlx::FromRow)]
struct ReportRow {
    manager_id: Uuid,
    person_id: Uuid,
}

per_parent! {
    ReportsOf: ReportRow => Uuid, REPORTS_OF_MANAGER,
    group |k| (k.1, k.0),
    filters |qb, page, page| {
        qb.push(" AND valid_to IS NULL");
    },
    entry |row| Some((ReportsOf(row.manager_id, page), row.person_id))
}

per_parent! {
    RolesOf: RoleRow => RoleRow, ROLES_OF_PERSON,
    let now = chorus_kernel::now();
    group |k| ((k.1, k.2), k.0),
    filters |qb, (include_inactive, page), page| {
        if !include_inactive {
            push_active_at!(qb, "", now);
        }
    },
    entry |row| Some((RolesOf(row.person_id, include_inactive, page), row))
}

impl Loader<TeamRolesOf> for TeamsLoader {
    type Value = Vec<RoleRow>;
    type Error = ApiError;
    async fn load(&self, keys: &[TeamRolesOf]) -> ApiResult<HashMap<TeamRolesOf, Vec<RoleRow>>> {
        let now = chorus_kernel::now();
        let mut out: HashMap<TeamRolesOf, Vec<RoleRow>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        let mut teams: Vec<Uuid> = keys.iter().map(|k| k.team).collect();
        let mut people: Vec<Uuid> = keys.iter().map(|k| k.person).collect();
        teams.sort_unstable();
        teams.dedup();
        people.sort_unstable();
        people.dedup();
        // One query for every (team, person) pair asked: the cross product is filtered below.
        let rows = fetch_all!(&self.db, RoleRow, |qb| {
            qb.push(format!("SELECT {ROLE_COLUMNS} FROM role_assignments"));
            qb.push(" WHERE scope_id");
            push_in!(qb, &teams);
            qb.push(" AND person_id");
            push_in!(qb, &people);
            qb.push(" AND scope_kind = 'TEAM' AND organization_id = ")
                .push_bind(self.org);
            push_active_at!(qb, "", now);
            qb.push(" ORDER BY id");
        });
        for row in rows {
            let key = TeamRolesOf {
                team: row.scope_id,
                person: row.person_id,
            };
            if let Some(roles) = out.get_mut(&key) {
                roles.push(row);
            }
        }
        Ok(out)
    }
}
