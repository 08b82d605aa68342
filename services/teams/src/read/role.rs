//! The role-assignments read model: the temporal history of who held which function
//! where, and what it answers (holders, coverage, members).

use chorus_api::{decode_stored, ApiResult};
use chorus_kernel::{fetch_all, push_active_at, push_in, Db};
use chorus_teams_domain::RoleFunction;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Page;

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

pub(crate) const ROLE_COLUMNS: &str =
    "id, organization_id, person_id, function, responsibility, scope_kind, scope_id, \
     valid_from, valid_to, granted_by, reason, revoked_by, revoke_reason";

/// Role assignments in a team's scope for `function`, held at `at`.
pub async fn role_holders(
    db: &Db,
    org: Uuid,
    team: Uuid,
    function: RoleFunction,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<RoleRow>> {
    Ok(fetch_all!(db, RoleRow, |qb| {
        qb.push(format!("SELECT {ROLE_COLUMNS} FROM role_assignments"));
        qb.push(" WHERE scope_id = ").push_bind(team);
        qb.push(" AND function = ").push_bind(function.as_str());
        push_active_at!(qb, "", at);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND scope_kind = 'TEAM'");
        push_page!(qb, page);
    }))
}

/// Functions held by someone at `at`, in the organization (team `None`) or in a team: its
/// own scope, its sub-teams' (a division is covered by its teams) and their channels'.
pub async fn covered_functions(
    db: &Db,
    org: Uuid,
    team: Option<Uuid>,
    at: DateTime<Utc>,
) -> ApiResult<Vec<RoleFunction>> {
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
        push_active_at!(qb, "", at);
        if team.is_some() {
            qb.push(" AND ((scope_kind = 'TEAM' AND scope_id IN (SELECT id FROM subtree))");
            qb.push(" OR (scope_kind = 'CHANNEL' AND scope_id IN (SELECT c.id FROM channels c WHERE c.team_id IN (SELECT id FROM subtree) AND c.retired_at IS NULL)))");
        }
    });
    rows.iter()
        .map(|r| decode_stored("role_assignments", "function", &r.function))
        .collect()
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
        push_active_at!(qb, "", at);
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
        qb.push(format!("SELECT {ROLE_COLUMNS} FROM role_assignments"));
        qb.push(" WHERE scope_id = ").push_bind(team);
        qb.push(" AND person_id");
        push_in!(qb, people);
        qb.push(" AND organization_id = ").push_bind(org);
        push_active_at!(qb, "", at);
        qb.push(" ORDER BY id");
    }))
}
