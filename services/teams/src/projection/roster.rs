//! The team roster ([`crate::read::RosterRow`]): one row per current member of a team,
//! with the member's person, their roles in the team's scope and their manager, kept
//! ready for `Team.members`. Every event that changes what a roster row shows updates it
//! here, in the same transaction as the temporal tables it mirrors:
//!
//! - a team-scoped role assigned adds the member (copying person and current manager
//!   from `people` and `reporting_lines`, already projected) or adds the role;
//! - a role revoked removes it (its interval has ended) and the member with their last
//!   role; an offboarding revokes every role first, so the member goes too;
//! - a person updated or offboarded rewrites the rows that show them, as member and as
//!   manager; a reporting line set or cleared rewrites the member's manager.
//!
//! Teams archived, renamed or created change no roster row: membership is about roles
//! held, exactly as the temporal query (`members_at`) it replaces for "now".

use chorus_kernel::{on_tx, DbTx, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::read::RosterRole;

/// Adds `role` to `person`'s roster row in `team`, creating the row when the role makes
/// them a member.
pub(super) async fn role_assigned(
    tx: &mut DbTx,
    org: Uuid,
    team: Uuid,
    person: Uuid,
    role: RosterRole,
) -> Result<(), StoreError> {
    if let Some(mut roles) = roles_of(tx, team, person).await? {
        roles.retain(|r| r.id != role.id);
        roles.push(role);
        return write_roles(tx, team, person, roles).await;
    }
    let (held_from, held_until) = held(std::slice::from_ref(&role));
    let roles = serde_json::to_string(&[role])?;
    let inserted = on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO team_roster (team_id, person_id, organization_id, held_from, held_until, roles, \
             display_name, email, affiliation, external_id, created_at, offboarded_at, manager_id, \
             manager_display_name, manager_email, manager_affiliation, manager_external_id, \
             manager_created_at, manager_offboarded_at) \
             SELECT $1, p.id, $2, $3, $4, $5, p.display_name, p.email, p.affiliation, p.external_id, \
             p.created_at, p.offboarded_at, m.id, m.display_name, m.email, m.affiliation, m.external_id, \
             m.created_at, m.offboarded_at FROM people p \
             LEFT JOIN reporting_lines l ON l.person_id = p.id AND l.valid_to IS NULL \
             LEFT JOIN people m ON m.id = l.manager_id WHERE p.id = $6",
        )
        .bind(team).bind(org).bind(held_from).bind(held_until).bind(roles).bind(person)
        .execute(c).await?.rows_affected()
    });
    if inserted == 1 {
        Ok(())
    } else {
        // The person's own stream added them before any role: a missing row is a broken
        // read model, not something to skip.
        Err(StoreError::Metadata(
            "role assigned to a person the read model does not hold",
        ))
    }
}

/// Ends role `assignment` of `person` in `team` at `at` (as recorded at `recorded`).
pub(super) struct Revocation {
    pub assignment: Uuid,
    pub at: DateTime<Utc>,
    pub recorded: DateTime<Utc>,
    pub revoked_by: Uuid,
    pub reason: String,
}

/// Removes a revoked role (its interval has ended, or never began); a revocation dated
/// after it was recorded keeps the role until then, with its end, as the temporal table
/// does.
pub(super) async fn role_revoked(
    tx: &mut DbTx,
    team: Uuid,
    person: Uuid,
    revocation: Revocation,
) -> Result<(), StoreError> {
    let Some(mut roles) = roles_of(tx, team, person).await? else {
        return Ok(());
    };
    revoke(&mut roles, &revocation);
    if roles.is_empty() {
        on_tx!(tx, c => {
            sqlx::query("DELETE FROM team_roster WHERE team_id = $1 AND person_id = $2")
                .bind(team).bind(person).execute(c).await?;
        });
        Ok(())
    } else {
        write_roles(tx, team, person, roles).await
    }
}

/// Ends the revoked role in `roles` and keeps the roles a roster row still shows (the
/// batched path folds revocations with it too).
pub(super) fn revoke(roles: &mut Vec<RosterRole>, revocation: &Revocation) {
    for role in roles.iter_mut().filter(|r| r.id == revocation.assignment) {
        let end = revocation.at.max(role.valid_from);
        role.valid_to = Some(end);
        role.revoked_by = Some(revocation.revoked_by);
        role.revoke_reason = Some(revocation.reason.clone());
    }
    roles.retain(|r| {
        r.valid_to
            .is_none_or(|end| end > revocation.recorded && end > r.valid_from)
    });
}

/// A person's changed fields, on the rows showing them as member and as manager.
pub(super) async fn person_updated(
    tx: &mut DbTx,
    person: Uuid,
    display_name: Option<&str>,
    email: Option<&str>,
    affiliation: Option<&str>,
    external_id: Option<&str>,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE team_roster SET display_name = COALESCE($1, display_name), email = COALESCE($2, email), \
             affiliation = COALESCE($3, affiliation), external_id = COALESCE($4, external_id) WHERE person_id = $5",
        )
        .bind(display_name).bind(email).bind(affiliation).bind(external_id).bind(person)
        .execute(&mut *c).await?;
        sqlx::query(
            "UPDATE team_roster SET manager_display_name = COALESCE($1, manager_display_name), \
             manager_email = COALESCE($2, manager_email), manager_affiliation = COALESCE($3, manager_affiliation), \
             manager_external_id = COALESCE($4, manager_external_id) WHERE manager_id = $5",
        )
        .bind(display_name).bind(email).bind(affiliation).bind(external_id).bind(person)
        .execute(&mut *c).await?;
    });
    Ok(())
}

/// An offboarding, on the rows showing the person as member and as manager.
pub(super) async fn person_offboarded(
    tx: &mut DbTx,
    person: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query("UPDATE team_roster SET offboarded_at = $1 WHERE person_id = $2")
            .bind(at).bind(person).execute(&mut *c).await?;
        sqlx::query("UPDATE team_roster SET manager_offboarded_at = $1 WHERE manager_id = $2")
            .bind(at).bind(person).execute(&mut *c).await?;
    });
    Ok(())
}

/// The member's new manager (`None`: the line was cleared), copied from `people`.
pub(super) async fn manager_changed(
    tx: &mut DbTx,
    person: Uuid,
    manager: Option<Uuid>,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        match manager {
            Some(manager) => sqlx::query(
                "UPDATE team_roster SET (manager_id, manager_display_name, manager_email, manager_affiliation, \
                 manager_external_id, manager_created_at, manager_offboarded_at) = \
                 (SELECT id, display_name, email, affiliation, external_id, created_at, offboarded_at \
                 FROM people WHERE id = $1) WHERE person_id = $2",
            )
            .bind(manager).bind(person).execute(c).await?,
            None => sqlx::query(
                "UPDATE team_roster SET manager_id = NULL, manager_display_name = NULL, manager_email = NULL, \
                 manager_affiliation = NULL, manager_external_id = NULL, manager_created_at = NULL, \
                 manager_offboarded_at = NULL WHERE person_id = $1",
            )
            .bind(person).execute(c).await?,
        };
    });
    Ok(())
}

async fn roles_of(
    tx: &mut DbTx,
    team: Uuid,
    person: Uuid,
) -> Result<Option<Vec<RosterRole>>, StoreError> {
    let roles: Option<String> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT roles FROM team_roster WHERE team_id = $1 AND person_id = $2")
            .bind(team).bind(person).fetch_optional(c).await?
    });
    Ok(match roles {
        Some(roles) => Some(serde_json::from_str(&roles)?),
        None => None,
    })
}

async fn write_roles(
    tx: &mut DbTx,
    team: Uuid,
    person: Uuid,
    mut roles: Vec<RosterRole>,
) -> Result<(), StoreError> {
    roles.sort_by_key(|r| r.id);
    let (held_from, held_until) = held(&roles);
    let roles = serde_json::to_string(&roles)?;
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE team_roster SET roles = $1, held_from = $2, held_until = $3 WHERE team_id = $4 AND person_id = $5",
        )
        .bind(roles).bind(held_from).bind(held_until).bind(team).bind(person)
        .execute(c).await?;
    });
    Ok(())
}

/// When the member holds at least one of `roles`, at the widest: from the earliest start
/// to the latest end (open when one is). Reads check each role as well.
pub(super) fn held(roles: &[RosterRole]) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    let from = roles.iter().map(|r| r.valid_from).min().unwrap_or_default();
    let until = roles
        .iter()
        .map(|r| r.valid_to)
        .try_fold(None::<DateTime<Utc>>, |latest, end| {
            end.map(|end| Some(latest.map_or(end, |l| l.max(end))))
        })
        .flatten();
    (from, until)
}
