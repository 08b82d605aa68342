//! Writing a folded segment: one multi-row statement per table and chunk, in an order
//! that lets each statement read what the earlier ones wrote (people and reporting lines
//! before the roster rows that copy them).

use std::collections::{HashMap, HashSet};

use chorus_kernel::sql::MAX_BINDS;
use chorus_kernel::{on_tx, per_chunk, DbTx, LogPosition, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{RosterChange, Segment};
use crate::projection::roster::{held, revoke};
use crate::read::RosterRole;

/// The columns a new roster row takes from its member and their manager, as the
/// per-event path's insert copies them.
const ROSTER_COPY: &str =
    "INSERT INTO team_roster (team_id, person_id, organization_id, held_from, \
    held_until, roles, display_name, email, affiliation, external_id, created_at, offboarded_at, \
    manager_id, manager_display_name, manager_email, manager_affiliation, manager_external_id, \
    manager_created_at, manager_offboarded_at) \
    SELECT v.team_id, p.id, v.organization_id, v.held_from, v.held_until, v.roles, p.display_name, \
    p.email, p.affiliation, p.external_id, p.created_at, p.offboarded_at, m.id, m.display_name, \
    m.email, m.affiliation, m.external_id, m.created_at, m.offboarded_at \
    FROM v JOIN people p ON p.id = v.person_id \
    LEFT JOIN reporting_lines l ON l.person_id = p.id AND l.valid_to IS NULL \
    LEFT JOIN people m ON m.id = l.manager_id";

/// A roster row as the segment leaves it.
struct RosterRow {
    team: Uuid,
    person: Uuid,
    organization_id: Uuid,
    roles: String,
    held_from: DateTime<Utc>,
    held_until: Option<DateTime<Utc>>,
}

impl Segment {
    /// Writes every row the segment's events produced.
    pub(super) async fn write(self, tx: &mut DbTx) -> Result<(), StoreError> {
        self.write_creations(tx).await?;
        self.write_assignments(tx).await?;
        self.write_lines(tx).await?;
        self.write_roster(tx).await?;
        self.write_managers(tx).await
    }

    async fn write_creations(&self, tx: &mut DbTx) -> Result<(), StoreError> {
        per_chunk!(tx, self.organizations, 4, |q, chunk| {
            q.push("INSERT INTO organizations (id, name, founding_admin_id, created_at) ");
            q.push_values(chunk, |mut b, row| {
                b.push_bind(row.0)
                    .push_bind(&row.1)
                    .push_bind(row.2)
                    .push_bind(row.3);
            });
        });
        per_chunk!(tx, self.teams, 5, |q, chunk| {
            q.push("INSERT INTO teams (id, organization_id, name, parent_id, created_at) ");
            q.push_values(chunk, |mut b, row| {
                b.push_bind(row.0)
                    .push_bind(row.1)
                    .push_bind(&row.2)
                    .push_bind(row.3)
                    .push_bind(row.4);
            });
        });
        per_chunk!(tx, self.people, 7, |q, chunk| {
            q.push(
                "INSERT INTO people (id, organization_id, display_name, email, affiliation, \
                 external_id, created_at) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.id)
                    .push_bind(p.organization_id)
                    .push_bind(&p.display_name)
                    .push_bind(&p.email)
                    .push_bind(p.affiliation)
                    .push_bind(&p.external_id)
                    .push_bind(p.created_at);
            });
        });
        per_chunk!(tx, self.channels, 6, |q, chunk| {
            q.push(
                "INSERT INTO channels (id, organization_id, team_id, network, handle, registered_at) ",
            );
            q.push_values(chunk, |mut b, row| {
                b.push_bind(row.0)
                    .push_bind(row.1)
                    .push_bind(row.2)
                    .push_bind(row.3)
                    .push_bind(&row.4)
                    .push_bind(row.5);
            });
        });
        per_chunk!(tx, self.tokens, 8, |q, chunk| {
            q.push(
                "INSERT INTO service_tokens (id, organization_id, service_account_id, scopes, \
                 description, issued_by, issued_at, expires_at) ",
            );
            q.push_values(chunk, |mut b, t| {
                b.push_bind(t.id)
                    .push_bind(t.organization_id)
                    .push_bind(t.service_account_id)
                    .push_bind(&t.scopes)
                    .push_bind(&t.description)
                    .push_bind(t.issued_by)
                    .push_bind(t.issued_at)
                    .push_bind(t.expires_at);
            });
        });
        Ok(())
    }

    /// The segment's assignments (with the revocations of the segment already on them),
    /// then the revocations of stored ones.
    async fn write_assignments(&self, tx: &mut DbTx) -> Result<(), StoreError> {
        per_chunk!(tx, self.assignments, 13, |q, chunk| {
            q.push(
                "INSERT INTO role_assignments (id, organization_id, person_id, function, \
                 responsibility, scope_kind, scope_id, valid_from, valid_to, granted_by, reason, \
                 revoked_by, revoke_reason) ",
            );
            q.push_values(chunk, |mut b, a| {
                b.push_bind(a.id)
                    .push_bind(a.organization_id)
                    .push_bind(a.person_id)
                    .push_bind(a.function)
                    .push_bind(a.responsibility)
                    .push_bind(a.scope_kind)
                    .push_bind(a.scope_id)
                    .push_bind(a.valid_from)
                    .push_bind(a.valid_to)
                    .push_bind(a.granted_by)
                    .push_bind(&a.reason)
                    .push_bind(a.revoked_by)
                    .push_bind(&a.revoke_reason);
            });
        });
        let revocations: Vec<_> = self
            .revocation_order
            .iter()
            .filter_map(|id| self.stored_revocations.get(id))
            .collect();
        per_chunk!(tx, revocations, 4, |q, chunk| {
            q.push("WITH v (id, revoked_at, revoked_by, reason) AS (");
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.id)
                    .push_bind(r.at)
                    .push_bind(r.revoked_by)
                    .push_bind(&r.reason);
            });
            // A role revoked before it took effect never held: its interval is empty.
            q.push(
                ") UPDATE role_assignments SET valid_to = CASE WHEN v.revoked_at < \
                 role_assignments.valid_from THEN role_assignments.valid_from ELSE v.revoked_at END, \
                 revoked_by = v.revoked_by, revoke_reason = v.reason \
                 FROM v WHERE role_assignments.id = v.id",
            );
        });
        Ok(())
    }

    /// Closes the stored open lines the segment ended (at the first change, never before
    /// the line began), then inserts the lines it opened, closed where it closed them.
    async fn write_lines(&self, tx: &mut DbTx) -> Result<(), StoreError> {
        per_chunk!(tx, self.stored_line_closes, 2, |q, chunk| {
            q.push("WITH v (person_id, closed_at) AS (");
            q.push_values(chunk, |mut b, (person, at)| {
                b.push_bind(*person).push_bind(*at);
            });
            q.push(
                ") UPDATE reporting_lines SET valid_to = CASE WHEN v.closed_at < \
                 reporting_lines.valid_from THEN reporting_lines.valid_from ELSE v.closed_at END \
                 FROM v WHERE reporting_lines.person_id = v.person_id AND reporting_lines.valid_to IS NULL",
            );
        });
        per_chunk!(tx, self.lines, 6, |q, chunk| {
            q.push(
                "INSERT INTO reporting_lines (organization_id, person_id, manager_id, valid_from, \
                 valid_to, opened_at_position) ",
            );
            q.push_values(chunk, |mut b, l| {
                b.push_bind(l.organization_id)
                    .push_bind(l.person_id)
                    .push_bind(l.manager_id)
                    .push_bind(l.valid_from)
                    .push_bind(l.valid_to)
                    .push_bind(l.opened_at_position);
            });
        });
        Ok(())
    }

    /// Replays the segment's role changes on the roster rows they touch (loaded in one
    /// query), then deletes, inserts and rewrites rows as the per-event path would have
    /// left them.
    async fn write_roster(&self, tx: &mut DbTx) -> Result<(), StoreError> {
        if self.roster_order.is_empty() {
            return Ok(());
        }
        let stored = self.stored_roster(tx).await?;
        let (mut deleted, mut inserted, mut updated) = (Vec::new(), Vec::new(), Vec::new());
        for key in &self.roster_order {
            let Some(changes) = self.roster.get(key) else {
                continue;
            };
            let before = stored.get(key);
            let (after, recreated, organization_id) = replay(before.cloned(), changes);
            if before.is_some() && (after.is_none() || recreated) {
                deleted.push(*key);
            }
            let Some(mut roles) = after else {
                continue;
            };
            roles.sort_by_key(|r| r.id);
            if !recreated && before == Some(&roles) {
                continue;
            }
            let (held_from, held_until) = held(&roles);
            let row = RosterRow {
                team: key.0,
                person: key.1,
                organization_id,
                roles: serde_json::to_string(&roles)?,
                held_from,
                held_until,
            };
            if before.is_some() && !recreated {
                updated.push(row);
            } else {
                inserted.push(row);
            }
        }
        per_chunk!(tx, deleted, 2, |q, chunk| {
            q.push("WITH v (team_id, person_id) AS (");
            q.push_values(chunk, |mut b, (team, person)| {
                b.push_bind(*team).push_bind(*person);
            });
            q.push(
                ") DELETE FROM team_roster WHERE EXISTS (SELECT 1 FROM v \
                 WHERE v.team_id = team_roster.team_id AND v.person_id = team_roster.person_id)",
            );
        });
        let copied = per_chunk!(tx, inserted, 6, |q, chunk| {
            q.push(
                "WITH v (team_id, person_id, organization_id, held_from, held_until, roles) AS (",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.team)
                    .push_bind(r.person)
                    .push_bind(r.organization_id)
                    .push_bind(r.held_from)
                    .push_bind(r.held_until)
                    .push_bind(&r.roles);
            });
            q.push(") ");
            q.push(ROSTER_COPY);
        });
        if copied != inserted.len() as u64 {
            // The person's own stream added them before any role: a missing row is a
            // broken read model, not something to skip.
            return Err(StoreError::Metadata(
                "role assigned to a person the read model does not hold",
            ));
        }
        per_chunk!(tx, updated, 5, |q, chunk| {
            q.push("WITH v (team_id, person_id, roles, held_from, held_until) AS (");
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.team)
                    .push_bind(r.person)
                    .push_bind(&r.roles)
                    .push_bind(r.held_from)
                    .push_bind(r.held_until);
            });
            q.push(
                ") UPDATE team_roster SET roles = v.roles, held_from = v.held_from, \
                 held_until = v.held_until FROM v \
                 WHERE team_roster.team_id = v.team_id AND team_roster.person_id = v.person_id",
            );
        });
        Ok(())
    }

    /// The stored roles of the roster rows the segment touches.
    async fn stored_roster(
        &self,
        tx: &mut DbTx,
    ) -> Result<HashMap<(Uuid, Uuid), Vec<RosterRole>>, StoreError> {
        let mut people: Vec<Uuid> = self.roster_order.iter().map(|(_, p)| *p).collect();
        people.sort_unstable();
        people.dedup();
        let wanted: HashSet<&(Uuid, Uuid)> = self.roster_order.iter().collect();
        let mut stored = HashMap::new();
        for chunk in people.chunks(MAX_BINDS) {
            let rows: Vec<(Uuid, Uuid, String)> = on_tx!(tx, c => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT team_id, person_id, roles FROM team_roster WHERE person_id",
                );
                chorus_kernel::push_in!(q, chunk);
                q.build_query_as().fetch_all(&mut *c).await?
            });
            for (team, person, roles) in rows {
                if wanted.contains(&(team, person)) {
                    stored.insert((team, person), serde_json::from_str(&roles)?);
                }
            }
        }
        Ok(stored)
    }

    /// The new manager of every member whose line the segment changed, copied from
    /// `people` (none: the line was cleared), on all their roster rows.
    async fn write_managers(&self, tx: &mut DbTx) -> Result<(), StoreError> {
        let managers: Vec<(Uuid, Option<Uuid>)> = self
            .line_order
            .iter()
            .filter_map(|p| self.line_states.get(p).map(|s| (*p, s.manager)))
            .collect();
        per_chunk!(tx, managers, 2, |q, chunk| {
            q.push("WITH v (person_id, manager_id) AS (");
            q.push_values(chunk, |mut b, (person, manager)| {
                b.push_bind(*person).push_bind(*manager);
            });
            q.push(
                ") UPDATE team_roster SET (manager_id, manager_display_name, manager_email, \
                 manager_affiliation, manager_external_id, manager_created_at, manager_offboarded_at) = \
                 (SELECT m.id, m.display_name, m.email, m.affiliation, m.external_id, m.created_at, \
                 m.offboarded_at FROM people m WHERE m.id = v.manager_id) \
                 FROM v WHERE team_roster.person_id = v.person_id",
            );
        });
        Ok(())
    }
}

/// One roster row's role changes applied in log order to its stored roles (if any):
/// the roles it ends with (none: the row is gone), whether it was removed and made
/// again on the way (so it is copied afresh, as the per-event path's insert does), and
/// the organization of a row the segment makes.
fn replay(
    mut roles: Option<Vec<RosterRole>>,
    changes: &[(LogPosition, RosterChange)],
) -> (Option<Vec<RosterRole>>, bool, Uuid) {
    let stored = roles.is_some();
    let mut recreated = false;
    let mut organization = Uuid::nil();
    for (_, change) in changes {
        match change {
            RosterChange::Assigned {
                organization_id,
                role,
            } => match roles.as_mut() {
                Some(held) => {
                    held.retain(|r| r.id != role.id);
                    held.push(role.clone());
                }
                None => {
                    roles = Some(vec![role.clone()]);
                    organization = *organization_id;
                    recreated = stored;
                }
            },
            RosterChange::Revoked(revocation) => {
                if let Some(held) = roles.as_mut() {
                    revoke(held, revocation);
                    if held.is_empty() {
                        roles = None;
                    }
                }
            }
        }
    }
    (roles, recreated, organization)
}
