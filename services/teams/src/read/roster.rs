//! The team roster read model (kept by `projection/roster.rs`): per team, each current
//! member with their person, their roles in the team's scope and their manager, so a
//! page of `Team.members` is one range scan of the primary key `(team_id, person_id)`.
//! The temporal tables stay the record for time travel; this is "now" only.

use chorus_api::{ApiError, ApiResult};
use chorus_kernel::{fetch_all, push_in_force_at, Db};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Page, PerParent, PersonRow, RoleRow};

/// A role as the roster keeps it (JSON in `team_roster.roles`): the columns of a
/// `role_assignments` row that its scope and person do not already give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRole {
    pub id: Uuid,
    pub function: String,
    pub responsibility: Option<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub granted_by: Option<Uuid>,
    pub reason: String,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterRow {
    pub team_id: Uuid,
    pub person_id: Uuid,
    pub organization_id: Uuid,
    pub held_from: DateTime<Utc>,
    pub held_until: Option<DateTime<Utc>>,
    pub roles: String,
    pub display_name: String,
    pub email: String,
    pub affiliation: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub offboarded_at: Option<DateTime<Utc>>,
    pub manager_id: Option<Uuid>,
    pub manager_display_name: Option<String>,
    pub manager_email: Option<String>,
    pub manager_affiliation: Option<String>,
    pub manager_external_id: Option<String>,
    pub manager_created_at: Option<DateTime<Utc>>,
    pub manager_offboarded_at: Option<DateTime<Utc>>,
}

const ROSTER_COLUMNS: &str = "team_id, person_id, organization_id, held_from, held_until, \
     roles, display_name, email, \
     affiliation, external_id, created_at, offboarded_at, manager_id, manager_display_name, \
     manager_email, manager_affiliation, manager_external_id, manager_created_at, \
     manager_offboarded_at";

const ROSTER_OF_TEAM: PerParent = PerParent {
    table: "team_roster",
    columns: ROSTER_COLUMNS,
    parent: "team_id",
    order: "person_id",
};

/// A member of a team now, ready to serve: person, roles held now, manager.
#[derive(Debug, Clone)]
pub struct RosterMember {
    pub person: PersonRow,
    pub roles: Vec<RoleRow>,
    pub manager: Option<PersonRow>,
}

impl RosterRow {
    /// The roles the row keeps (JSON in `team_roster.roles`).
    pub fn kept_roles(&self) -> ApiResult<Vec<RosterRole>> {
        serde_json::from_str(&self.roles).map_err(|e| ApiError::internal(&e))
    }

    /// Whether the member holds at least one of the kept roles somewhere in the row's
    /// widest span at `now` (what the roster's `held_from`/`held_until` filter keeps).
    pub fn held_at(&self, now: DateTime<Utc>) -> bool {
        self.held_from <= now && self.held_until.is_none_or(|until| until > now)
    }

    /// The member as of `now`; `None` when none of the kept roles is held at `now` (a
    /// gap between future-dated roles, which `held_from`/`held_until` cannot express).
    pub fn member_at(self, now: DateTime<Utc>) -> ApiResult<Option<RosterMember>> {
        let kept = self.kept_roles()?;
        self.member_with(&kept, now)
    }

    /// [`Self::member_at`] with the kept roles already decoded.
    pub fn member_with(
        &self,
        kept: &[RosterRole],
        now: DateTime<Utc>,
    ) -> ApiResult<Option<RosterMember>> {
        let roles: Vec<RoleRow> = kept
            .iter()
            .map(|r| RoleRow {
                id: r.id,
                organization_id: self.organization_id,
                person_id: self.person_id,
                function: r.function.clone(),
                responsibility: r.responsibility.clone(),
                scope_kind: "TEAM".to_owned(),
                scope_id: self.team_id,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                granted_by: r.granted_by,
                reason: r.reason.clone(),
                revoked_by: r.revoked_by,
                revoke_reason: r.revoke_reason.clone(),
            })
            .filter(|r| r.active_at(now))
            .collect();
        if roles.is_empty() {
            return Ok(None);
        }
        let manager = match (
            self.manager_id,
            &self.manager_display_name,
            &self.manager_email,
            &self.manager_affiliation,
            self.manager_created_at,
        ) {
            (Some(id), Some(display_name), Some(email), Some(affiliation), Some(created_at)) => {
                Some(PersonRow {
                    id,
                    organization_id: self.organization_id,
                    display_name: display_name.clone(),
                    email: email.clone(),
                    affiliation: affiliation.clone(),
                    external_id: self.manager_external_id.clone(),
                    created_at,
                    offboarded_at: self.manager_offboarded_at,
                })
            }
            (None, ..) => None,
            _ => {
                return Err(ApiError::internal(
                    &"team_roster: manager columns incomplete",
                ))
            }
        };
        Ok(Some(RosterMember {
            person: PersonRow {
                id: self.person_id,
                organization_id: self.organization_id,
                display_name: self.display_name.clone(),
                email: self.email.clone(),
                affiliation: self.affiliation.clone(),
                external_id: self.external_id.clone(),
                created_at: self.created_at,
                offboarded_at: self.offboarded_at,
            },
            roles,
            manager,
        }))
    }
}

/// One page of each of `teams`' rosters, ordered by person id: with `now`, rows whose
/// widest holding span includes it (the caller checks each role,
/// [`RosterRow::member_at`]); without, every row (what the roster cache keeps).
pub async fn roster_pages(
    db: &Db,
    org: Uuid,
    teams: &[Uuid],
    now: Option<DateTime<Utc>>,
    page: Page,
) -> ApiResult<Vec<RosterRow>> {
    if let [team] = teams {
        // One team (the common case): a plain range scan of the key that stops at the
        // page's end, rather than a window over the whole team.
        return Ok(fetch_all!(db, RosterRow, |qb| {
            push_roster_page(&mut qb, *team, org, now, page);
        }));
    }
    Ok(fetch_per_parent!(
        db,
        RosterRow,
        ROSTER_OF_TEAM,
        teams,
        org,
        page,
        |qb| {
            if let Some(now) = now {
                push_in_force_at!(qb, "held_from", "held_until", now);
            }
        }
    ))
}

/// Appends one team's roster page (held at `now`, if given): the key's range from
/// `page.after`, in key order.
pub fn push_roster_page<'args, DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<'args, DB>,
    team: Uuid,
    org: Uuid,
    now: Option<DateTime<Utc>>,
    page: Page,
) where
    Uuid: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'args, DB> + sqlx::Type<DB>,
{
    qb.push(format!(
        "SELECT {ROSTER_COLUMNS} FROM team_roster WHERE team_id = "
    ));
    qb.push_bind(team);
    qb.push(" AND organization_id = ").push_bind(org);
    if let Some(now) = now {
        push_in_force_at!(qb, "held_from", "held_until", now);
    }
    if let Some(after) = page.after {
        qb.push(" AND person_id > ").push_bind(after);
    }
    qb.push(" ORDER BY team_id, person_id LIMIT ")
        .push_bind(page.limit);
}
