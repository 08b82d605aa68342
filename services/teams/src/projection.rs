//! The teams read models, built from the log: organizations, teams, people, the temporal
//! role history, temporal reporting lines, the team roster (`roster`), channels and
//! service-account tokens.
//!
//! A batch is applied set-based (`batch`); `apply`, one event at a time, is the path for
//! the few events the fold leaves alone and for the projector's event-by-event retry.

mod batch;
mod roster;

use async_trait::async_trait;
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};
use chorus_teams_domain::{
    ChannelEvent, OrganizationEvent, PersonEvent, ReportingLinesEvent, ScopeKind,
    ServiceTokenEvent, TeamEvent,
};
use uuid::Uuid;

use crate::read::{invalidate_kept, CallerKey, CALLERS};

/// Sets `$column` of the `$table` row with id `$id` to `$value`, in the event's transaction.
macro_rules! set_column {
    ($tx:expr, $table:literal, $column:literal, $value:expr, $id:expr) => {
        on_tx!($tx, c => {
            sqlx::query(concat!("UPDATE ", $table, " SET ", $column, " = $1 WHERE id = $2"))
                .bind($value)
                .bind($id)
                .execute(c)
                .await?;
        })
    };
}

/// Projects every teams-context event into the read-model tables.
#[derive(Debug, Default)]
pub struct TeamsProjection;

impl TeamsProjection {
    /// The tables the teams read models live in: the context owns them, and a rebuild
    /// replaces them.
    pub const TABLES: &'static [&'static str] = &[
        "organizations",
        "teams",
        "people",
        "role_assignments",
        "reporting_lines",
        "team_roster",
        "channels",
        "service_tokens",
    ];
}

fn aggregate_uuid(event: &RecordedEvent) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&event.aggregate_id)
        .map_err(|_| StoreError::Metadata("aggregate id is not a uuid"))
}

#[async_trait]
impl chorus_kernel::Projection for TeamsProjection {
    fn name(&self) -> &'static str {
        "teams"
    }

    fn tables(&self) -> &'static [&'static str] {
        Self::TABLES
    }

    async fn apply_batch(&self, tx: &mut DbTx, events: &[RecordedEvent]) -> Result<(), StoreError> {
        batch::apply(self, tx, events).await
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        let at = event.metadata.occurred_at;
        let org = event.metadata.organization_id;
        // Any change of the organization's structure may show in a roster or a team (a
        // name, a role, a manager): what is kept of them goes before the read models change.
        invalidate_kept(org, event.position);
        match event.aggregate_type.as_str() {
            "organization" => match event.decode::<OrganizationEvent>()? {
                OrganizationEvent::OrganizationCreated {
                    organization_id,
                    name,
                    founding_admin_id,
                } => on_tx!(tx, c => {
                    sqlx::query("INSERT INTO organizations (id, name, founding_admin_id, created_at) VALUES ($1, $2, $3, $4)")
                        .bind(organization_id).bind(name).bind(founding_admin_id).bind(at)
                        .execute(c).await?;
                }),
                OrganizationEvent::OrganizationRenamed { name } => {
                    set_column!(tx, "organizations", "name", name, aggregate_uuid(event)?)
                }
            },
            "team" => {
                let id = aggregate_uuid(event)?;
                match event.decode::<TeamEvent>()? {
                    TeamEvent::TeamCreated {
                        team_id,
                        organization_id,
                        name,
                        parent_id,
                    } => on_tx!(tx, c => {
                        sqlx::query("INSERT INTO teams (id, organization_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)")
                            .bind(team_id).bind(organization_id).bind(name).bind(parent_id).bind(at)
                            .execute(c).await?;
                    }),
                    TeamEvent::TeamRenamed { name } => set_column!(tx, "teams", "name", name, id),
                    TeamEvent::TeamArchived { .. } => {
                        set_column!(tx, "teams", "archived_at", at, id)
                    }
                }
            }
            "person" => {
                let id = aggregate_uuid(event)?;
                match event.decode::<PersonEvent>()? {
                    PersonEvent::PersonAdded {
                        person_id,
                        organization_id,
                        display_name,
                        email,
                        affiliation,
                        external_id,
                    } => on_tx!(tx, c => {
                        sqlx::query("INSERT INTO people (id, organization_id, display_name, email, affiliation, external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                            .bind(person_id).bind(organization_id).bind(display_name).bind(email)
                            .bind(affiliation.as_str()).bind(external_id).bind(at)
                            .execute(c).await?;
                    }),
                    PersonEvent::PersonUpdated {
                        display_name,
                        email,
                        affiliation,
                        external_id,
                    } => {
                        let affiliation = affiliation.map(|a| a.as_str());
                        on_tx!(tx, c => {
                            sqlx::query(
                                "UPDATE people SET display_name = COALESCE($1, display_name), email = COALESCE($2, email), \
                                 affiliation = COALESCE($3, affiliation), external_id = COALESCE($4, external_id) WHERE id = $5",
                            )
                            .bind(&display_name).bind(&email).bind(affiliation)
                            .bind(&external_id).bind(id)
                            .execute(c).await?;
                        });
                        roster::person_updated(
                            tx,
                            id,
                            display_name.as_deref(),
                            email.as_deref(),
                            affiliation,
                            external_id.as_deref(),
                        )
                        .await?;
                    }
                    PersonEvent::PersonOffboarded {
                        at: offboarded_at, ..
                    } => {
                        set_column!(tx, "people", "offboarded_at", offboarded_at, id);
                        roster::person_offboarded(tx, id, offboarded_at).await?;
                        CALLERS.invalidate(CallerKey::ActivePerson(org, id), event.position);
                        CALLERS.invalidate(CallerKey::Admin(org, id), event.position);
                    }
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
                        on_tx!(tx, c => {
                            sqlx::query(
                                "INSERT INTO role_assignments (id, organization_id, person_id, function, responsibility, \
                                 scope_kind, scope_id, valid_from, granted_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                            )
                            .bind(assignment_id).bind(org).bind(person_id).bind(function.as_str())
                            .bind(responsibility.map(|r| r.as_str())).bind(scope.kind.as_str()).bind(scope.id)
                            .bind(effective_from).bind(granted_by).bind(&reason)
                            .execute(c).await?;
                        });
                        CALLERS.invalidate(CallerKey::Admin(org, person_id), event.position);
                        if scope.kind == ScopeKind::Team {
                            let role = crate::read::RosterRole {
                                id: assignment_id,
                                function: function.as_str().to_owned(),
                                responsibility: responsibility.map(|r| r.as_str().to_owned()),
                                valid_from: effective_from,
                                valid_to: None,
                                granted_by: Some(granted_by),
                                reason,
                                revoked_by: None,
                                revoke_reason: None,
                            };
                            roster::role_assigned(tx, org, scope.id, person_id, role).await?;
                        }
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
                        on_tx!(tx, c => {
                            // A role revoked before it took effect never held: its interval is empty.
                            sqlx::query(
                                "UPDATE role_assignments SET valid_to = CASE WHEN $1 < valid_from THEN valid_from ELSE $1 END, \
                                 revoked_by = $2, revoke_reason = $3 WHERE id = $4",
                            )
                            .bind(revoked_at).bind(revoked_by).bind(&reason).bind(assignment_id)
                            .execute(c).await?;
                        });
                        CALLERS.invalidate(CallerKey::Admin(org, person_id), event.position);
                        if scope.kind == ScopeKind::Team {
                            let revocation = roster::Revocation {
                                assignment: assignment_id,
                                at: revoked_at,
                                recorded: at,
                                revoked_by,
                                reason,
                            };
                            roster::role_revoked(tx, scope.id, person_id, revocation).await?;
                        }
                    }
                }
            }
            "reporting_lines" => match event.decode::<ReportingLinesEvent>()? {
                ReportingLinesEvent::ReportingLineSet {
                    person_id,
                    manager_id,
                    ..
                } => {
                    on_tx!(tx, c => {
                    // Clocks of different replicas may disagree: an interval never ends
                    // before it starts, and rows are keyed by log position, not time.
                    sqlx::query("UPDATE reporting_lines SET valid_to = CASE WHEN $1 < valid_from THEN valid_from ELSE $1 END WHERE person_id = $2 AND valid_to IS NULL")
                        .bind(at).bind(person_id).execute(&mut *c).await?;
                    sqlx::query("INSERT INTO reporting_lines (organization_id, person_id, manager_id, valid_from, opened_at_position) VALUES ($1, $2, $3, $4, $5)")
                        .bind(org).bind(person_id).bind(manager_id).bind(at).bind(event.position.global_position)
                        .execute(&mut *c).await?;
                    });
                    roster::manager_changed(tx, person_id, Some(manager_id)).await?;
                }
                ReportingLinesEvent::ReportingLineCleared { person_id, .. } => {
                    on_tx!(tx, c => {
                        sqlx::query("UPDATE reporting_lines SET valid_to = CASE WHEN $1 < valid_from THEN valid_from ELSE $1 END WHERE person_id = $2 AND valid_to IS NULL")
                            .bind(at).bind(person_id).execute(c).await?;
                    });
                    roster::manager_changed(tx, person_id, None).await?;
                }
            },
            "channel" => {
                let id = aggregate_uuid(event)?;
                match event.decode::<ChannelEvent>()? {
                    ChannelEvent::ChannelRegistered {
                        channel_id,
                        organization_id,
                        team_id,
                        network,
                        handle,
                    } => on_tx!(tx, c => {
                        sqlx::query("INSERT INTO channels (id, organization_id, team_id, network, handle, registered_at) VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(channel_id).bind(organization_id).bind(team_id).bind(network.as_str()).bind(handle).bind(at)
                            .execute(c).await?;
                    }),
                    ChannelEvent::ChannelRetired { .. } => {
                        set_column!(tx, "channels", "retired_at", at, id)
                    }
                }
            }
            "service_token" => {
                let id = aggregate_uuid(event)?;
                match event.decode::<ServiceTokenEvent>()? {
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
                        on_tx!(tx, c => {
                            sqlx::query(
                                "INSERT INTO service_tokens (id, organization_id, service_account_id, scopes, \
                                 description, issued_by, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            )
                            .bind(token_id).bind(organization_id).bind(service_account_id).bind(scopes)
                            .bind(description).bind(issued_by).bind(issued_at).bind(expires_at)
                            .execute(c).await?;
                        })
                    }
                    ServiceTokenEvent::ServiceTokenRevoked {
                        reason,
                        revoked_by,
                        at: revoked_at,
                    } => {
                        let account: Option<Uuid> = on_tx!(tx, c => {
                            sqlx::query_scalar("UPDATE service_tokens SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE id = $4 RETURNING service_account_id")
                                .bind(revoked_at).bind(revoked_by).bind(reason).bind(id)
                                .fetch_optional(c).await?
                        });
                        if let Some(account) = account {
                            CALLERS.invalidate(
                                CallerKey::RegisteredToken(org, account, id),
                                event.position,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}
