//! The teams read models, written set-based per batch of events (as content's
//! `post_batch` is).
//!
//! A replay is mostly creations (people, roles, teams, channels) and reporting-line
//! changes; applied one event at a time they cost one to three single-row statements
//! each, and the rebuild waited on those round trips. So a batch is cut into segments:
//! the events of a segment are folded in memory (rows to insert, intervals opened and
//! closed, roster rows as their roles come and go) and written with one multi-row
//! statement per table ([`write`]). An event whose effect reads or rewrites rows the fold
//! does not hold (a rename, an archive, a person updated or offboarded, a channel
//! retired, a token revoked: a handful in a history) ends the segment: what is folded so
//! far is written, then that event is applied alone, by the per-event path
//! ([`super::TeamsProjection`]'s `apply`), and a new segment begins.
//!
//! Within a segment no row another event reads changes except in ways the write order
//! accounts for: people and lines are written before the roster rows that copy them, so
//! a roster row comes out as the per-event path leaves it at the segment's end. The rows
//! written are the same wherever a batch or a segment starts or ends.

use std::collections::HashMap;

use chorus_kernel::{DbTx, LogPosition, RecordedEvent, StoreError};
use chorus_teams_domain::{
    ChannelEvent, OrganizationEvent, PersonEvent, ReportingLinesEvent, ScopeKind,
    ServiceTokenEvent, TeamEvent,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::aggregate_uuid;
use super::roster::Revocation;
use crate::read::{invalidate_kept, CallerKey, RosterRole, CALLERS};

mod write;

/// A `role_assignments` row created in the segment (revoked too, when the segment
/// revokes it).
#[derive(Debug)]
struct Assignment {
    id: Uuid,
    organization_id: Uuid,
    person_id: Uuid,
    function: &'static str,
    responsibility: Option<&'static str>,
    scope_kind: &'static str,
    scope_id: Uuid,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    granted_by: Uuid,
    reason: String,
    revoked_by: Option<Uuid>,
    revoke_reason: Option<String>,
}

/// The revocation of an assignment the read model already holds.
#[derive(Debug)]
struct StoredRevocation {
    id: Uuid,
    at: DateTime<Utc>,
    revoked_by: Uuid,
    reason: String,
}

/// A reporting line opened in the segment (closed too, when a later change of the
/// segment closes it).
#[derive(Debug)]
struct Line {
    organization_id: Uuid,
    person_id: Uuid,
    manager_id: Uuid,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    opened_at_position: i64,
}

/// Where a person's reporting line stands within the segment.
#[derive(Debug, Default)]
struct LineState {
    /// The segment's first change closed the stored open line (if there is one).
    stored_closed: bool,
    /// Index in [`Segment::lines`] of the line the segment opened and has not closed.
    open: Option<usize>,
    /// The manager the person's roster rows show at the segment's end.
    manager: Option<Uuid>,
}

/// What a role event does to a roster row, in log order.
enum RosterChange {
    Assigned {
        organization_id: Uuid,
        role: RosterRole,
    },
    Revoked(Revocation),
}

/// A `teams` row: id, organization, name, parent, created.
type TeamRow = (Uuid, Uuid, String, Option<Uuid>, DateTime<Utc>);
/// A `channels` row: id, organization, team, network, handle, registered.
type ChannelRow = (Uuid, Uuid, Uuid, &'static str, String, DateTime<Utc>);

/// The events of one segment, folded and waiting to be written.
#[derive(Default)]
struct Segment {
    organizations: Vec<(Uuid, String, Uuid, DateTime<Utc>)>,
    teams: Vec<TeamRow>,
    people: Vec<Person>,
    channels: Vec<ChannelRow>,
    tokens: Vec<Token>,
    assignments: Vec<Assignment>,
    /// Index in `assignments` by id, for revocations in the same segment.
    assignment_index: HashMap<Uuid, usize>,
    /// Revocations of stored assignments, by id (a later one wins, as its update would).
    stored_revocations: HashMap<Uuid, StoredRevocation>,
    revocation_order: Vec<Uuid>,
    lines: Vec<Line>,
    /// Closings of stored open lines: person and the change's instant.
    stored_line_closes: Vec<(Uuid, DateTime<Utc>)>,
    line_states: HashMap<Uuid, LineState>,
    /// People whose line changed, in order of first change.
    line_order: Vec<Uuid>,
    /// Roster changes per (team, person), with the position of each change.
    roster: HashMap<(Uuid, Uuid), Vec<(LogPosition, RosterChange)>>,
    roster_order: Vec<(Uuid, Uuid)>,
    /// The first event folded: failures of the segment's statements name it.
    first: Option<usize>,
}

#[derive(Debug)]
struct Person {
    id: Uuid,
    organization_id: Uuid,
    display_name: String,
    email: String,
    affiliation: &'static str,
    external_id: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(Debug)]
struct Token {
    id: Uuid,
    organization_id: Uuid,
    service_account_id: Uuid,
    scopes: String,
    description: Option<String>,
    issued_by: Option<Uuid>,
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// Applies `events` (in log order) set-based, segment by segment.
pub(super) async fn apply(
    projection: &super::TeamsProjection,
    tx: &mut DbTx,
    events: &[RecordedEvent],
) -> Result<(), StoreError> {
    let mut segment = Segment::default();
    for (index, event) in events.iter().enumerate() {
        let folded = segment
            .fold(index, event)
            .map_err(|e| chorus_kernel::projection::projection_error("teams", event, e))?;
        if !folded {
            segment.flush(tx, events).await?;
            <super::TeamsProjection as chorus_kernel::Projection>::apply(projection, tx, event)
                .await
                .map_err(|e| chorus_kernel::projection::projection_error("teams", event, e))?;
        }
    }
    segment.flush(tx, events).await
}

impl Segment {
    /// Writes what is folded and starts afresh.
    async fn flush(&mut self, tx: &mut DbTx, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let Some(first) = self.first else {
            return Ok(());
        };
        let segment = std::mem::take(self);
        match segment.write(tx).await {
            Ok(()) => Ok(()),
            Err(error) => match events.get(first) {
                Some(event) => Err(chorus_kernel::projection::projection_error(
                    "teams", event, error,
                )),
                None => Err(error),
            },
        }
    }

    /// Folds `event` into the segment; `false` when it must be applied alone (after the
    /// segment is written).
    fn fold(&mut self, index: usize, event: &RecordedEvent) -> Result<bool, StoreError> {
        let at = event.metadata.occurred_at;
        let org = event.metadata.organization_id;
        // As the per-event path does for every event (an event applied alone does it
        // again, which changes nothing): what is kept of the organization's rosters and
        // teams goes while the batch that may change them is applied, inside its transaction.
        invalidate_kept(org, event.position);
        let folded = match event.aggregate_type.as_str() {
            "organization" => match event.decode::<OrganizationEvent>()? {
                OrganizationEvent::OrganizationCreated {
                    organization_id,
                    name,
                    founding_admin_id,
                } => {
                    self.organizations
                        .push((organization_id, name, founding_admin_id, at));
                    true
                }
                OrganizationEvent::OrganizationRenamed { .. } => false,
            },
            "team" => match event.decode::<TeamEvent>()? {
                TeamEvent::TeamCreated {
                    team_id,
                    organization_id,
                    name,
                    parent_id,
                } => {
                    self.teams
                        .push((team_id, organization_id, name, parent_id, at));
                    true
                }
                TeamEvent::TeamRenamed { .. } | TeamEvent::TeamArchived { .. } => false,
            },
            "person" => self.fold_person(event, at, org)?,
            "reporting_lines" => {
                let (person_id, manager_id) = match event.decode::<ReportingLinesEvent>()? {
                    ReportingLinesEvent::ReportingLineSet {
                        person_id,
                        manager_id,
                        ..
                    } => (person_id, Some(manager_id)),
                    ReportingLinesEvent::ReportingLineCleared { person_id, .. } => {
                        (person_id, None)
                    }
                };
                self.line_changed(org, person_id, manager_id, at, event.position);
                true
            }
            "channel" => match event.decode::<ChannelEvent>()? {
                ChannelEvent::ChannelRegistered {
                    channel_id,
                    organization_id,
                    team_id,
                    network,
                    handle,
                } => {
                    self.channels.push((
                        channel_id,
                        organization_id,
                        team_id,
                        network.as_str(),
                        handle,
                        at,
                    ));
                    true
                }
                ChannelEvent::ChannelRetired { .. } => false,
            },
            "service_token" => match event.decode::<ServiceTokenEvent>()? {
                ServiceTokenEvent::ServiceTokenIssued {
                    token_id,
                    organization_id,
                    service_account_id,
                    scopes,
                    description,
                    expires_at,
                    issued_by,
                    at: issued_at,
                } => {
                    let scopes = scopes
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.tokens.push(Token {
                        id: token_id,
                        organization_id,
                        service_account_id,
                        scopes,
                        description,
                        issued_by,
                        issued_at,
                        expires_at,
                    });
                    true
                }
                ServiceTokenEvent::ServiceTokenRevoked { .. } => false,
            },
            // Not a teams event: nothing to write, and nothing to end the segment for.
            _ => return Ok(true),
        };
        if folded && self.first.is_none() {
            self.first = Some(index);
        }
        Ok(folded)
    }

    fn fold_person(
        &mut self,
        event: &RecordedEvent,
        at: DateTime<Utc>,
        org: Uuid,
    ) -> Result<bool, StoreError> {
        // Checked as the per-event path does, though only updates use it.
        aggregate_uuid(event)?;
        match event.decode::<PersonEvent>()? {
            PersonEvent::PersonAdded {
                person_id,
                organization_id,
                display_name,
                email,
                affiliation,
                external_id,
            } => {
                self.people.push(Person {
                    id: person_id,
                    organization_id,
                    display_name,
                    email,
                    affiliation: affiliation.as_str(),
                    external_id,
                    created_at: at,
                });
                Ok(true)
            }
            PersonEvent::PersonUpdated { .. } | PersonEvent::PersonOffboarded { .. } => Ok(false),
            PersonEvent::RoleAssigned {
                assignment_id,
                person_id,
                function,
                responsibility,
                scope,
                effective_from,
                reason,
                granted_by,
            } => {
                // Dropped while the batch that holds the change is applied, inside its
                // transaction, as the per-event path does.
                CALLERS.invalidate(CallerKey::Admin(org, person_id), event.position);
                if scope.kind == ScopeKind::Team {
                    let role = RosterRole {
                        id: assignment_id,
                        function: function.as_str().to_owned(),
                        responsibility: responsibility.map(|r| r.as_str().to_owned()),
                        valid_from: effective_from,
                        valid_to: None,
                        granted_by: Some(granted_by),
                        reason: reason.clone(),
                        revoked_by: None,
                        revoke_reason: None,
                    };
                    let change = RosterChange::Assigned {
                        organization_id: org,
                        role,
                    };
                    self.roster_changed(scope.id, person_id, event.position, change);
                }
                self.assignment_index
                    .insert(assignment_id, self.assignments.len());
                self.assignments.push(Assignment {
                    id: assignment_id,
                    organization_id: org,
                    person_id,
                    function: function.as_str(),
                    responsibility: responsibility.map(|r| r.as_str()),
                    scope_kind: scope.kind.as_str(),
                    scope_id: scope.id,
                    valid_from: effective_from,
                    valid_to: None,
                    granted_by,
                    reason,
                    revoked_by: None,
                    revoke_reason: None,
                });
                Ok(true)
            }
            PersonEvent::RoleRevoked {
                assignment_id,
                reason,
                revoked_by,
                at: revoked_at,
                person_id,
                scope,
                ..
            } => {
                CALLERS.invalidate(CallerKey::Admin(org, person_id), event.position);
                if scope.kind == ScopeKind::Team {
                    let change = RosterChange::Revoked(Revocation {
                        assignment: assignment_id,
                        at: revoked_at,
                        recorded: at,
                        revoked_by,
                        reason: reason.clone(),
                    });
                    self.roster_changed(scope.id, person_id, event.position, change);
                }
                self.revoked(assignment_id, revoked_at, revoked_by, reason);
                Ok(true)
            }
        }
    }

    /// A revocation: on the segment's own row, or remembered for the stored one. A role
    /// revoked before it took effect never held: its interval is empty.
    fn revoked(&mut self, id: Uuid, at: DateTime<Utc>, revoked_by: Uuid, reason: String) {
        if let Some(row) = self
            .assignment_index
            .get(&id)
            .and_then(|i| self.assignments.get_mut(*i))
        {
            row.valid_to = Some(at.max(row.valid_from));
            row.revoked_by = Some(revoked_by);
            row.revoke_reason = Some(reason);
            return;
        }
        if !self.stored_revocations.contains_key(&id) {
            self.revocation_order.push(id);
        }
        self.stored_revocations.insert(
            id,
            StoredRevocation {
                id,
                at,
                revoked_by,
                reason,
            },
        );
    }

    /// A reporting line set (`manager` given) or cleared at `at`: the person's open line
    /// ends, at `at` or, when the clocks disagree, where it began (an interval never ends
    /// before it starts); a set line opens, keyed by the event's position.
    fn line_changed(
        &mut self,
        org: Uuid,
        person: Uuid,
        manager: Option<Uuid>,
        at: DateTime<Utc>,
        position: LogPosition,
    ) {
        if !self.line_states.contains_key(&person) {
            self.line_order.push(person);
        }
        let state = self.line_states.entry(person).or_default();
        if let Some(line) = state.open.take().and_then(|i| self.lines.get_mut(i)) {
            line.valid_to = Some(at.max(line.valid_from));
        } else if !state.stored_closed {
            self.stored_line_closes.push((person, at));
        }
        state.stored_closed = true;
        state.manager = manager;
        if let Some(manager_id) = manager {
            state.open = Some(self.lines.len());
            self.lines.push(Line {
                organization_id: org,
                person_id: person,
                manager_id,
                valid_from: at,
                valid_to: None,
                opened_at_position: position.global_position,
            });
        }
    }

    fn roster_changed(
        &mut self,
        team: Uuid,
        person: Uuid,
        position: LogPosition,
        change: RosterChange,
    ) {
        if !self.roster.contains_key(&(team, person)) {
            self.roster_order.push((team, person));
        }
        self.roster
            .entry((team, person))
            .or_default()
            .push((position, change));
    }
}
