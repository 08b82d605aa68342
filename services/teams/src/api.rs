//! What other contexts may ask of the teams context. They reach its read models only
//! through these functions and types, never through its tables: the teams context may
//! change its tables without another context noticing.

use chorus_api::{decode_stored, decode_stored_opt, ApiResult};
use chorus_kernel::{fetch_all, on_tx, push_in, Db, DbTx, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{Responsibility, RoleFunction, RoleScope};

pub use crate::access::{ensure_admin, loader, require_admin};
pub use crate::commands::{channel, person, team};
pub use crate::read::{is_admin, ChannelById, PersonById, RoleById, TeamById, TeamsLoader};
/// The caller checks every request makes, cached in-process (see `read::callers`).
pub use crate::read::{person_active, registered, CallerKey, CALLERS, ROSTERS, TEAMS};

/// A role assignment in force at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveAssignment {
    pub id: Uuid,
    pub function: RoleFunction,
    pub responsibility: Option<Responsibility>,
    pub scope: RoleScope,
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    function: String,
    responsibility: Option<String>,
    scope_kind: String,
    scope_id: Uuid,
}

impl AssignmentRow {
    fn typed(self) -> ApiResult<ActiveAssignment> {
        const TABLE: &str = "role_assignments";
        Ok(ActiveAssignment {
            id: self.id,
            function: decode_stored(TABLE, "function", &self.function)?,
            responsibility: decode_stored_opt(
                TABLE,
                "responsibility",
                self.responsibility.as_deref(),
            )?,
            scope: RoleScope {
                kind: decode_stored(TABLE, "scope_kind", &self.scope_kind)?,
                id: self.scope_id,
            },
        })
    }
}

/// Every role assignment of `person` in force at `at`, oldest first.
pub async fn active_assignments(
    db: &Db,
    org: Uuid,
    person: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Vec<ActiveAssignment>> {
    let rows = fetch_all!(db, AssignmentRow, |qb| {
        qb.push(
            "SELECT id, function, responsibility, scope_kind, scope_id FROM role_assignments \
             WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND person_id = ").push_bind(person);
        chorus_kernel::push_active_at!(qb, "", at);
        qb.push(" ORDER BY valid_from, id");
    });
    rows.into_iter().map(AssignmentRow::typed).collect()
}

/// Where a channel sits in the team structure: its owning team and that team's ancestors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelOwners {
    /// Each channel of the caller's organization found, with the team that owns it.
    pub channel_teams: Vec<(Uuid, Uuid)>,
    /// Every owning team and every ancestor of one, with its parent.
    pub team_parents: Vec<(Uuid, Option<Uuid>)>,
}

impl ChannelOwners {
    /// The team that owns `channel`.
    pub fn team_of(&self, channel: Uuid) -> Option<Uuid> {
        self.channel_teams
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, t)| *t)
    }

    /// The parent of `team`.
    pub fn parent_of(&self, team: Uuid) -> Option<Uuid> {
        self.team_parents
            .iter()
            .find(|(t, _)| *t == team)
            .and_then(|(_, p)| *p)
    }

    /// Whether `team` owns one of the channels or is an ancestor of such a team.
    pub fn covers(&self, team: Uuid) -> bool {
        self.team_parents.iter().any(|(t, _)| *t == team)
    }
}

#[derive(sqlx::FromRow)]
struct Pair {
    id: Uuid,
    other: Option<Uuid>,
}

/// The owning teams of `channels` (of organization `org`) and their ancestors, in two
/// indexed queries (the ancestors by a recursive CTE over `teams.parent_id`).
pub async fn channel_owners(db: &Db, org: Uuid, channels: &[Uuid]) -> ApiResult<ChannelOwners> {
    let owned = fetch_all!(db, Pair, |qb| {
        qb.push("SELECT id, team_id AS other FROM channels WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND id");
        push_in!(qb, channels);
    });
    let teams = fetch_all!(db, Pair, |qb| {
        qb.push(
            "WITH RECURSIVE chain(id) AS (SELECT team_id FROM channels WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND id");
        push_in!(qb, channels);
        qb.push(
            " UNION SELECT t.parent_id FROM teams t JOIN chain c ON t.id = c.id \
             WHERE t.parent_id IS NOT NULL) \
             SELECT t.id, t.parent_id AS other FROM teams t JOIN chain c ON t.id = c.id",
        );
    });
    Ok(ChannelOwners {
        channel_teams: owned
            .into_iter()
            .filter_map(|p| p.other.map(|team| (p.id, team)))
            .collect(),
        team_parents: teams.into_iter().map(|p| (p.id, p.other)).collect(),
    })
}

/// `team` (of organization `org`) and every ancestor of it, nearest first; empty when the
/// team is not the organization's. One indexed recursive query over `teams.parent_id`.
pub async fn team_ancestors(db: &Db, org: Uuid, team: Uuid) -> ApiResult<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Step {
        id: Uuid,
        depth: i64,
    }
    let mut steps = fetch_all!(db, Step, |qb| {
        qb.push(
            "WITH RECURSIVE chain(id, depth) AS (SELECT id, CAST(0 AS BIGINT) FROM teams WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND id = ").push_bind(team);
        qb.push(
            " UNION SELECT t.parent_id, c.depth + 1 FROM teams t JOIN chain c ON t.id = c.id \
             WHERE t.parent_id IS NOT NULL AND c.depth < 64) \
             SELECT id, depth FROM chain",
        );
    });
    steps.sort_by_key(|step| step.depth);
    Ok(steps.into_iter().map(|step| step.id).collect())
}

/// The people holding `function` at the scope of `team` itself at `at` (at most 500, by
/// person id): the members a team's queue hands cases to.
pub async fn team_holders(
    db: &Db,
    org: Uuid,
    team: Uuid,
    function: RoleFunction,
    at: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Holder {
        person_id: Uuid,
    }
    let rows = fetch_all!(db, Holder, |qb| {
        qb.push("SELECT DISTINCT person_id FROM role_assignments WHERE scope_id = ");
        qb.push_bind(team);
        qb.push(" AND function = ").push_bind(function.as_str());
        chorus_kernel::push_active_at!(qb, "", at);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND scope_kind = 'TEAM' ORDER BY person_id LIMIT 500");
    });
    Ok(rows.into_iter().map(|row| row.person_id).collect())
}

/// The owning team of each of `channels`, read inside `tx` (a projection's batch, which
/// sees the teams read model as of the same batch).
pub async fn channel_teams_in(
    tx: &mut DbTx,
    channels: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    Ok(on_tx!(tx, c => {
        let mut qb = sqlx::QueryBuilder::new("SELECT id, team_id FROM channels WHERE id");
        push_in!(qb, channels);
        qb.build_query_as().fetch_all(&mut *c).await?
    }))
}

// ---------------------------------------------------------------------------------------
// SQL fragments for other contexts' read-model queries
// ---------------------------------------------------------------------------------------
//
// A read-model query of another context that filters by roles or the team structure stays
// one indexed statement (no N+1, no id lists of a whole organization) by splicing in one
// of these fragments: the SQL naming the teams tables is written here, and the caller
// relies only on the columns each fragment documents.

/// Pushes a derived table (to be aliased by the caller) of `person`'s role assignments in
/// force at `at` in organization `org`, with the columns `id`, `function`,
/// `responsibility`, `scope_kind` and `scope_id` (stored forms).
pub fn push_active_roles<'q, DB>(
    qb: &mut sqlx::QueryBuilder<'q, DB>,
    org: Uuid,
    person: Uuid,
    at: DateTime<Utc>,
) where
    DB: sqlx::Database,
    Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    qb.push(
        "(SELECT id, function, responsibility, scope_kind, scope_id FROM role_assignments \
         WHERE person_id = ",
    );
    qb.push_bind(person);
    qb.push(" AND organization_id = ").push_bind(org);
    chorus_kernel::push_active_at!(qb, "", at);
    qb.push(")");
}

/// Pushes the recursive step of a team-ancestor chain: for a recursive CTE `cte(key,
/// team_id)` whose base rows name teams, each row's team's parent joins the chain under
/// the same `key` (a column name of `cte`).
pub fn push_team_parent_step<DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'_, DB>,
    cte: &str,
    key: &str,
) {
    qb.push(format!(
        " UNION SELECT c.{key}, t.parent_id FROM teams t JOIN {cte} c ON t.id = c.team_id \
         WHERE t.parent_id IS NOT NULL"
    ));
}

/// The SQL expression "the team owning the channel `channel`" (NULL for no channel):
/// `channel` is a SQL expression of the caller's query (a column, usually), not bound. A
/// primary-key look-up of `channels`.
pub fn channel_team_sql(channel: &str) -> String {
    format!("(SELECT ch.team_id FROM channels ch WHERE ch.id = {channel})")
}

/// The SQL condition "the assignment `assignment` was held by `person` in `org` with
/// `function`, in force at `at`": each argument is a SQL expression of the caller's
/// query (a column, usually), none is bound.
pub fn assignment_held_sql(
    assignment: &str,
    person: &str,
    org: &str,
    function: &str,
    at: &str,
) -> String {
    format!(
        "EXISTS (SELECT 1 FROM role_assignments r WHERE r.id = {assignment} \
         AND r.person_id = {person} AND r.organization_id = {org} AND r.function = {function} \
         AND r.valid_from <= {at} AND (r.valid_to IS NULL OR r.valid_to > {at}))"
    )
}

pub use crate::commands::SCIM_CHANNEL;
pub use crate::read::{active_person_with_email, PersonRow};

/// Which people a directory look-up asks for (every one of the organization when all are
/// `None`, offboarded people included): exact matches, as SCIM's `eq` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    /// The email (compared lowercase).
    pub email: Option<String>,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
}

/// One page of the organization's people by `filter`, in creation order (ids are
/// time-ordered), `offset` rows in, with the number of people matching: SCIM's
/// `startIndex`/`count` paging. Served by `people_by_organization`, `people_by_email`,
/// `people_by_external_id` or `people_by_display_name`.
pub async fn people_directory(
    db: &Db,
    org: Uuid,
    filter: &DirectoryFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(i64, Vec<PersonRow>)> {
    #[derive(sqlx::FromRow)]
    struct Count {
        n: i64,
    }
    // The same conditions on both statements (a macro: each backend has its own builder).
    macro_rules! push_filter {
        ($qb:ident) => {{
            $qb.push(" WHERE organization_id = ").push_bind(org);
            if let Some(email) = &filter.email {
                $qb.push(" AND email = ")
                    .push_bind(email.trim().to_lowercase());
            }
            if let Some(external_id) = &filter.external_id {
                $qb.push(" AND external_id = ")
                    .push_bind(external_id.clone());
            }
            if let Some(display_name) = &filter.display_name {
                $qb.push(" AND display_name = ")
                    .push_bind(display_name.clone());
            }
        }};
    }
    let count = fetch_all!(db, Count, |qb| {
        qb.push("SELECT COUNT(*) AS n FROM people");
        push_filter!(qb);
    });
    let rows = fetch_all!(db, PersonRow, |qb| {
        qb.push(crate::read::PERSON_SELECT);
        push_filter!(qb);
        qb.push(" ORDER BY id LIMIT ").push_bind(limit);
        qb.push(" OFFSET ").push_bind(offset);
    });
    Ok((count.first().map_or(0, |c| c.n), rows))
}

/// The manager each of `people` (of `org`) reports to now, as `(person, manager)`.
pub async fn managers_now(db: &Db, org: Uuid, people: &[Uuid]) -> ApiResult<Vec<(Uuid, Uuid)>> {
    let lines = crate::read::managers_at(db, org, people, chorus_kernel::now()).await?;
    Ok(lines
        .into_iter()
        .map(|line| (line.person_id, line.manager_id))
        .collect())
}

/// The largest holder list [`role_members`] answers.
pub const ROLE_MEMBERS_LIMIT: i64 = 1000;

/// Who holds exactly this role now (the function, the responsibility or none, at
/// `scope`), as `(person, assignment)` by person id, at most [`ROLE_MEMBERS_LIMIT`]:
/// the members of a SCIM group. One range scan of `role_assignments_by_scope`.
pub async fn role_members(
    db: &Db,
    org: Uuid,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
    scope: RoleScope,
) -> ApiResult<Vec<(Uuid, Uuid)>> {
    #[derive(sqlx::FromRow)]
    struct Holder {
        person_id: Uuid,
        id: Uuid,
    }
    let rows = fetch_all!(db, Holder, |qb| {
        qb.push("SELECT person_id, id FROM role_assignments WHERE scope_id = ");
        qb.push_bind(scope.id);
        qb.push(" AND function = ").push_bind(function.as_str());
        chorus_kernel::push_active_at!(qb, "", chorus_kernel::now());
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" AND scope_kind = ").push_bind(scope.kind.as_str());
        match responsibility {
            Some(responsibility) => {
                qb.push(" AND responsibility = ")
                    .push_bind(responsibility.as_str());
            }
            None => {
                qb.push(" AND responsibility IS NULL");
            }
        }
        qb.push(" ORDER BY person_id, id LIMIT ")
            .push_bind(ROLE_MEMBERS_LIMIT);
    });
    Ok(rows
        .into_iter()
        .map(|row| (row.person_id, row.id))
        .collect())
}
