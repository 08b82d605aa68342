//! Queries over the teams read models. Every query is confined to one organization and
//! served by an index; nested lists are loaded in batches (see [`TeamsLoader`]).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chorus_kernel::{fetch_all, on_read, push_in, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use chorus_api::error::{ApiError, ApiResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationRow {
    pub id: Uuid,
    pub name: String,
    pub founding_admin_id: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub affiliation: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub offboarded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub person_id: Uuid,
    pub function: String,
    pub responsibility: Option<String>,
    pub scope_kind: String,
    pub scope_id: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub granted_by: Option<Uuid>,
    pub reason: String,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

impl RoleRow {
    pub fn active_at(&self, at: DateTime<Utc>) -> bool {
        self.valid_from <= at && self.valid_to.is_none_or(|to| to > at)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChannelRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub team_id: Uuid,
    pub network: String,
    pub handle: String,
    pub registered_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub person_id: Uuid,
    pub manager_id: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

pub use chorus_kernel::sql::Page;

const ACTIVE_AT: &str = " AND valid_from <= ";

pub async fn organization(db: &Db, org: Uuid) -> ApiResult<Option<OrganizationRow>> {
    let rows = fetch_all!(db, OrganizationRow, |qb| {
        qb.push("SELECT id, name, founding_admin_id, created_at FROM organizations WHERE id = ");
        qb.push_bind(org);
    });
    Ok(rows.into_iter().next())
}

/// Filters of the `teams` connection.
#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    pub parent_id: Option<Uuid>,
    pub top_level_only: bool,
    pub include_archived: bool,
    pub name_contains: Option<String>,
}

pub async fn teams_page(
    db: &Db,
    org: Uuid,
    filter: &TeamFilter,
    page: Page,
) -> ApiResult<Vec<TeamRow>> {
    Ok(fetch_all!(db, TeamRow, |qb| {
        qb.push("SELECT id, organization_id, name, parent_id, created_at, archived_at FROM teams WHERE organization_id = ");
        qb.push_bind(org);
        if let Some(parent) = filter.parent_id {
            qb.push(" AND parent_id = ").push_bind(parent);
        }
        if filter.top_level_only {
            qb.push(" AND parent_id IS NULL");
        }
        if !filter.include_archived {
            qb.push(" AND archived_at IS NULL");
        }
        if let Some(needle) = &filter.name_contains {
            qb.push(" AND lower(name) LIKE ")
                .push_bind(like_pattern(needle))
                .push(" ESCAPE '\\'");
        }
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// Filters of the `people` connection.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub affiliation: Option<String>,
    pub include_offboarded: bool,
    pub name_contains: Option<String>,
    pub email: Option<String>,
    pub external_id: Option<String>,
}

pub async fn people_page(
    db: &Db,
    org: Uuid,
    filter: &PersonFilter,
    page: Page,
) -> ApiResult<Vec<PersonRow>> {
    Ok(fetch_all!(db, PersonRow, |qb| {
        qb.push(PERSON_SELECT);
        qb.push(" WHERE organization_id = ").push_bind(org);
        if let Some(affiliation) = &filter.affiliation {
            qb.push(" AND affiliation = ")
                .push_bind(affiliation.clone());
        }
        if !filter.include_offboarded {
            qb.push(" AND offboarded_at IS NULL");
        }
        if let Some(needle) = &filter.name_contains {
            qb.push(" AND lower(display_name) LIKE ")
                .push_bind(like_pattern(needle))
                .push(" ESCAPE '\\'");
        }
        if let Some(email) = &filter.email {
            qb.push(" AND email = ")
                .push_bind(email.trim().to_lowercase());
        }
        if let Some(external_id) = &filter.external_id {
            qb.push(" AND external_id = ")
                .push_bind(external_id.clone());
        }
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// Filters of the `channels` connection.
#[derive(Debug, Clone, Default)]
pub struct ChannelFilter {
    pub team_id: Option<Uuid>,
    pub network: Option<String>,
    pub include_retired: bool,
}

pub async fn channels_page(
    db: &Db,
    org: Uuid,
    filter: &ChannelFilter,
    page: Page,
) -> ApiResult<Vec<ChannelRow>> {
    Ok(fetch_all!(db, ChannelRow, |qb| {
        qb.push(CHANNEL_SELECT);
        qb.push(" WHERE organization_id = ").push_bind(org);
        if let Some(team) = filter.team_id {
            qb.push(" AND team_id = ").push_bind(team);
        }
        if let Some(network) = &filter.network {
            qb.push(" AND network = ").push_bind(network.clone());
        }
        if !filter.include_retired {
            qb.push(" AND retired_at IS NULL");
        }
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// A team's channels that existed at `at` (registered by then, not yet retired).
pub async fn channels_at(
    db: &Db,
    org: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<ChannelRow>> {
    Ok(fetch_all!(db, ChannelRow, |qb| {
        qb.push(CHANNEL_SELECT);
        qb.push(" WHERE team_id = ").push_bind(team);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND registered_at <= ").push_bind(at);
        qb.push(" AND (retired_at IS NULL OR retired_at > ")
            .push_bind(at)
            .push(")");
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// A team's sub-teams that existed at `at` (created by then, not yet archived).
pub async fn children_at(
    db: &Db,
    org: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<TeamRow>> {
    Ok(fetch_all!(db, TeamRow, |qb| {
        qb.push("SELECT id, organization_id, name, parent_id, created_at, archived_at FROM teams WHERE parent_id = ");
        qb.push_bind(team);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND created_at <= ").push_bind(at);
        qb.push(" AND (archived_at IS NULL OR archived_at > ")
            .push_bind(at)
            .push(")");
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// Active channel with this network and handle, if any (uniqueness check before register).
pub async fn channel_by_account(
    db: &Db,
    org: Uuid,
    network: &str,
    handle: &str,
) -> ApiResult<Option<ChannelRow>> {
    let rows = fetch_all!(db, ChannelRow, |qb| {
        qb.push(CHANNEL_SELECT);
        qb.push(" WHERE organization_id = ").push_bind(org);
        qb.push(" AND network = ").push_bind(network.to_owned());
        qb.push(" AND lower(handle) = ")
            .push_bind(handle.to_lowercase());
        qb.push(" AND retired_at IS NULL");
    });
    Ok(rows.into_iter().next())
}

/// Role assignments in a team's scope for `function`, held at `at`.
pub async fn role_holders(
    db: &Db,
    org: Uuid,
    team: Uuid,
    function: &str,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<RoleRow>> {
    Ok(fetch_all!(db, RoleRow, |qb| {
        qb.push(ROLE_SELECT);
        qb.push(" WHERE scope_id = ").push_bind(team);
        qb.push(" AND function = ").push_bind(function.to_owned());
        qb.push(ACTIVE_AT).push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND scope_kind = 'TEAM'");
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// Functions held by someone at `at`, in the organization (team `None`) or in a team: its
/// own scope, its sub-teams' (a division is covered by its teams) and their channels'.
pub async fn covered_functions(
    db: &Db,
    org: Uuid,
    team: Option<Uuid>,
    at: DateTime<Utc>,
) -> ApiResult<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct F {
        function: String,
    }
    let rows = fetch_all!(db, F, |qb| {
        if let Some(team) = team {
            qb.push("WITH RECURSIVE subtree(id) AS (SELECT id FROM teams WHERE id = ")
                .push_bind(team);
            qb.push(" AND organization_id = ").push_bind(org);
            qb.push(" UNION SELECT t.id FROM teams t JOIN subtree s ON t.parent_id = s.id WHERE t.archived_at IS NULL) ");
        }
        qb.push("SELECT DISTINCT function FROM role_assignments WHERE organization_id = ")
            .push_bind(org);
        qb.push(ACTIVE_AT).push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        if team.is_some() {
            qb.push(" AND ((scope_kind = 'TEAM' AND scope_id IN (SELECT id FROM subtree))");
            qb.push(" OR (scope_kind = 'CHANNEL' AND scope_id IN (SELECT c.id FROM channels c WHERE c.team_id IN (SELECT id FROM subtree) AND c.retired_at IS NULL)))");
        }
    });
    Ok(rows.into_iter().map(|r| r.function).collect())
}

/// Whether `person` administers `org`: its founding admin, or holder of senior
/// management at organization scope right now.
pub async fn is_admin(db: &Db, org: Uuid, person: Uuid) -> ApiResult<bool> {
    let now = chorus_kernel::now();
    // Literals are INT4 on PostgreSQL and INTEGER on SQLite: cast to one width.
    let found: Option<(i64,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM organizations o JOIN people p ON p.id = o.founding_admin_id \
             AND p.offboarded_at IS NULL WHERE o.id = $1 AND o.founding_admin_id = $2 \
             UNION ALL SELECT CAST(1 AS BIGINT) FROM role_assignments WHERE person_id = $2 AND organization_id = $1 \
             AND scope_kind = 'ORGANIZATION' AND function = 'SENIOR_MANAGEMENT' AND valid_from <= $3 \
             AND (valid_to IS NULL OR valid_to > $3) LIMIT 1",
        )
        .bind(org)
        .bind(person)
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    Ok(found.is_some())
}

/// A team's member ids (people holding a role in its scope at `at`), paged by person id.
pub async fn members_at(
    db: &Db,
    org: Uuid,
    teams: &[Uuid],
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<(Uuid, Uuid)>> {
    #[derive(sqlx::FromRow)]
    struct M {
        team_id: Uuid,
        person_id: Uuid,
    }
    let rows = fetch_all!(db, M, |qb| {
        qb.push("SELECT team_id, person_id FROM (SELECT team_id, person_id, ROW_NUMBER() OVER (PARTITION BY team_id ORDER BY person_id) AS rn FROM (");
        qb.push(
            "SELECT DISTINCT scope_id AS team_id, person_id FROM role_assignments WHERE scope_id",
        );
        push_in!(qb, teams);
        qb.push(" AND scope_kind = 'TEAM' AND organization_id = ")
            .push_bind(org);
        qb.push(ACTIVE_AT).push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        if let Some(after) = page.after {
            qb.push(" AND person_id > ").push_bind(after);
        }
        qb.push(") d) x WHERE rn <= ").push_bind(page.limit);
        qb.push(" ORDER BY team_id, person_id");
    });
    Ok(rows.into_iter().map(|m| (m.team_id, m.person_id)).collect())
}

/// Role assignments of `people` in team `team`'s scope held at `at`.
pub async fn team_roles_of(
    db: &Db,
    org: Uuid,
    team: Uuid,
    people: &[Uuid],
    at: DateTime<Utc>,
) -> ApiResult<Vec<RoleRow>> {
    Ok(fetch_all!(db, RoleRow, |qb| {
        qb.push(ROLE_SELECT);
        qb.push(" WHERE scope_id = ").push_bind(team);
        qb.push(" AND person_id");
        push_in!(qb, people);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(ACTIVE_AT).push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        qb.push(" ORDER BY id");
    }))
}

/// Reporting lines of `people` in force at `at`.
pub async fn managers_at(
    db: &Db,
    org: Uuid,
    people: &[Uuid],
    at: DateTime<Utc>,
) -> ApiResult<Vec<LineRow>> {
    Ok(fetch_all!(db, LineRow, |qb| {
        qb.push("SELECT person_id, manager_id, valid_from, valid_to FROM reporting_lines WHERE person_id");
        push_in!(qb, people);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(ACTIVE_AT).push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
    }))
}

/// A `LIKE` pattern matching `needle` literally anywhere (used with `ESCAPE '\'`, which
/// SQLite needs explicitly and PostgreSQL takes as its default).
fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

const PERSON_SELECT: &str =
    "SELECT id, organization_id, display_name, email, affiliation, external_id, created_at, offboarded_at FROM people";
const CHANNEL_SELECT: &str =
    "SELECT id, organization_id, team_id, network, handle, registered_at, retired_at FROM channels";
const ROLE_SELECT: &str =
    "SELECT id, organization_id, person_id, function, responsibility, scope_kind, scope_id, \
     valid_from, valid_to, granted_by, reason, revoked_by, revoke_reason FROM role_assignments";

/// Per-request batch loader over the teams read models, confined to one organization.
/// Each key type below is one batched query, whatever the number of parents.
pub struct TeamsLoader {
    pub db: Db,
    pub org: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonById(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TeamById(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelById(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleById(pub Uuid);
/// The manager a person reports to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ManagerOf(pub Uuid);
/// A page of a team's current members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembersOf(pub Uuid, pub Page);
/// A page of a team's channels (active only unless the flag is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelsOf(pub Uuid, pub bool, pub Page);
/// A page of a team's sub-teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildrenOf(pub Uuid, pub Page);
/// A page of a manager's current direct reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportsOf(pub Uuid, pub Page);
/// A page of a person's role assignments (active now, or all when the flag is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RolesOf(pub Uuid, pub bool, pub Page);
/// A person's current roles in one team's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TeamRolesOf {
    pub team: Uuid,
    pub person: Uuid,
}

fn group_by_page<K: Copy, G: Eq + std::hash::Hash + Copy>(
    keys: &[K],
    group: impl Fn(&K) -> (G, Uuid),
) -> HashMap<G, Vec<Uuid>> {
    let mut groups: HashMap<G, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (g, id) = group(key);
        groups.entry(g).or_default().push(id);
    }
    groups
}

impl Loader<PersonById> for TeamsLoader {
    type Value = PersonRow;
    type Error = ApiError;
    async fn load(&self, keys: &[PersonById]) -> ApiResult<HashMap<PersonById, PersonRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, PersonRow, |qb| {
            qb.push(PERSON_SELECT).push(" WHERE id");
            push_in!(qb, &ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
        });
        Ok(rows.into_iter().map(|r| (PersonById(r.id), r)).collect())
    }
}

impl Loader<TeamById> for TeamsLoader {
    type Value = TeamRow;
    type Error = ApiError;
    async fn load(&self, keys: &[TeamById]) -> ApiResult<HashMap<TeamById, TeamRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, TeamRow, |qb| {
            qb.push("SELECT id, organization_id, name, parent_id, created_at, archived_at FROM teams WHERE id");
            push_in!(qb, &ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
        });
        Ok(rows.into_iter().map(|r| (TeamById(r.id), r)).collect())
    }
}

impl Loader<ChannelById> for TeamsLoader {
    type Value = ChannelRow;
    type Error = ApiError;
    async fn load(&self, keys: &[ChannelById]) -> ApiResult<HashMap<ChannelById, ChannelRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, ChannelRow, |qb| {
            qb.push(CHANNEL_SELECT).push(" WHERE id");
            push_in!(qb, &ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
        });
        Ok(rows.into_iter().map(|r| (ChannelById(r.id), r)).collect())
    }
}

impl Loader<RoleById> for TeamsLoader {
    type Value = RoleRow;
    type Error = ApiError;
    async fn load(&self, keys: &[RoleById]) -> ApiResult<HashMap<RoleById, RoleRow>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, RoleRow, |qb| {
            qb.push(ROLE_SELECT).push(" WHERE id");
            push_in!(qb, &ids);
            qb.push(" AND organization_id = ").push_bind(self.org);
        });
        Ok(rows.into_iter().map(|r| (RoleById(r.id), r)).collect())
    }
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
        let mut out: HashMap<MembersOf, Vec<Uuid>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (page, teams) in group_by_page(keys, |k| (k.1, k.0)) {
            for (team, person) in members_at(&self.db, self.org, &teams, now, page).await? {
                out.entry(MembersOf(team, page)).or_default().push(person);
            }
        }
        Ok(out)
    }
}

impl Loader<ChannelsOf> for TeamsLoader {
    type Value = Vec<ChannelRow>;
    type Error = ApiError;
    async fn load(&self, keys: &[ChannelsOf]) -> ApiResult<HashMap<ChannelsOf, Vec<ChannelRow>>> {
        let mut out: HashMap<ChannelsOf, Vec<ChannelRow>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for ((include_retired, page), teams) in group_by_page(keys, |k| ((k.1, k.2), k.0)) {
            let rows = fetch_all!(&self.db, ChannelRow, |qb| {
                qb.push("SELECT * FROM (SELECT id, organization_id, team_id, network, handle, registered_at, retired_at, ");
                qb.push("ROW_NUMBER() OVER (PARTITION BY team_id ORDER BY id) AS rn FROM channels WHERE team_id");
                push_in!(qb, &teams);
                qb.push(" AND organization_id = ").push_bind(self.org);
                if !include_retired {
                    qb.push(" AND retired_at IS NULL");
                }
                if let Some(after) = page.after {
                    qb.push(" AND id > ").push_bind(after);
                }
                qb.push(") x WHERE rn <= ")
                    .push_bind(page.limit)
                    .push(" ORDER BY team_id, id");
            });
            for row in rows {
                out.entry(ChannelsOf(row.team_id, include_retired, page))
                    .or_default()
                    .push(row);
            }
        }
        Ok(out)
    }
}

impl Loader<ChildrenOf> for TeamsLoader {
    type Value = Vec<TeamRow>;
    type Error = ApiError;
    async fn load(&self, keys: &[ChildrenOf]) -> ApiResult<HashMap<ChildrenOf, Vec<TeamRow>>> {
        let mut out: HashMap<ChildrenOf, Vec<TeamRow>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (page, parents) in group_by_page(keys, |k| (k.1, k.0)) {
            let rows = fetch_all!(&self.db, TeamRow, |qb| {
                qb.push("SELECT * FROM (SELECT id, organization_id, name, parent_id, created_at, archived_at, ");
                qb.push("ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY id) AS rn FROM teams WHERE parent_id");
                push_in!(qb, &parents);
                qb.push(" AND organization_id = ").push_bind(self.org);
                qb.push(" AND archived_at IS NULL");
                if let Some(after) = page.after {
                    qb.push(" AND id > ").push_bind(after);
                }
                qb.push(") x WHERE rn <= ")
                    .push_bind(page.limit)
                    .push(" ORDER BY parent_id, id");
            });
            for row in rows {
                if let Some(parent) = row.parent_id {
                    out.entry(ChildrenOf(parent, page)).or_default().push(row);
                }
            }
        }
        Ok(out)
    }
}

impl Loader<ReportsOf> for TeamsLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;
    async fn load(&self, keys: &[ReportsOf]) -> ApiResult<HashMap<ReportsOf, Vec<Uuid>>> {
        #[derive(sqlx::FromRow)]
        struct ReportRow {
            manager_id: Uuid,
            person_id: Uuid,
        }
        let mut out: HashMap<ReportsOf, Vec<Uuid>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (page, managers) in group_by_page(keys, |k| (k.1, k.0)) {
            let rows = fetch_all!(&self.db, ReportRow, |qb| {
                qb.push("SELECT manager_id, person_id FROM (SELECT manager_id, person_id, ");
                qb.push("ROW_NUMBER() OVER (PARTITION BY manager_id ORDER BY person_id) AS rn FROM reporting_lines WHERE manager_id");
                push_in!(qb, &managers);
                qb.push(" AND organization_id = ").push_bind(self.org);
                qb.push(" AND valid_to IS NULL");
                if let Some(after) = page.after {
                    qb.push(" AND person_id > ").push_bind(after);
                }
                qb.push(") x WHERE rn <= ")
                    .push_bind(page.limit)
                    .push(" ORDER BY manager_id, person_id");
            });
            for row in rows {
                out.entry(ReportsOf(row.manager_id, page))
                    .or_default()
                    .push(row.person_id);
            }
        }
        Ok(out)
    }
}

impl Loader<RolesOf> for TeamsLoader {
    type Value = Vec<RoleRow>;
    type Error = ApiError;
    async fn load(&self, keys: &[RolesOf]) -> ApiResult<HashMap<RolesOf, Vec<RoleRow>>> {
        let now = chorus_kernel::now();
        let mut out: HashMap<RolesOf, Vec<RoleRow>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for ((include_inactive, page), people) in group_by_page(keys, |k| ((k.1, k.2), k.0)) {
            let rows = fetch_all!(&self.db, RoleRow, |qb| {
                qb.push("SELECT * FROM (");
                qb.push(ROLE_SELECT.replace(" FROM role_assignments", ", ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY id) AS rn FROM role_assignments"));
                qb.push(" WHERE person_id");
                push_in!(qb, &people);
                qb.push(" AND organization_id = ").push_bind(self.org);
                if !include_inactive {
                    qb.push(ACTIVE_AT).push_bind(now);
                    qb.push(" AND (valid_to IS NULL OR valid_to > ")
                        .push_bind(now)
                        .push(")");
                }
                if let Some(after) = page.after {
                    qb.push(" AND id > ").push_bind(after);
                }
                qb.push(") x WHERE rn <= ")
                    .push_bind(page.limit)
                    .push(" ORDER BY person_id, id");
            });
            for row in rows {
                out.entry(RolesOf(row.person_id, include_inactive, page))
                    .or_default()
                    .push(row);
            }
        }
        Ok(out)
    }
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
            qb.push(ROLE_SELECT);
            qb.push(" WHERE scope_id");
            push_in!(qb, &teams);
            qb.push(" AND person_id");
            push_in!(qb, &people);
            qb.push(" AND scope_kind = 'TEAM' AND organization_id = ")
                .push_bind(self.org);
            qb.push(ACTIVE_AT).push_bind(now);
            qb.push(" AND (valid_to IS NULL OR valid_to > ")
                .push_bind(now)
                .push(")");
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
