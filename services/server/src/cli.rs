//! Command-line operations that work on the store directly (no server needed).

use std::sync::Arc;

use chorus_kernel::{Actor, CommandContext, CommandError, CommandOutcome};
use chorus_teams as domain;
use serde::Serialize;
use uuid::Uuid;

use crate::state::AppState;

/// Why a CLI operation failed; printed to the operator.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Start(#[from] crate::state::StartError),
    #[error("invalid {field}: {rule}")]
    Input { field: &'static str, rule: String },
    #[error("{0}")]
    Refused(String),
    #[error("store: {0}")]
    Store(#[from] chorus_kernel::StoreError),
    #[error("{0}")]
    Api(#[from] crate::error::ApiError),
}

impl From<domain::ValueError> for CliError {
    fn from(e: domain::ValueError) -> Self {
        CliError::Input {
            field: e.field,
            rule: e.rule,
        }
    }
}

/// What `init` and `token` print with `--json`.
#[derive(Debug, Serialize)]
pub struct Issued {
    pub organization_id: Uuid,
    pub person_id: Option<Uuid>,
    pub service_account_id: Option<Uuid>,
    /// The registration of a service-account token (`chorus tokens revoke ID`).
    pub token_id: Option<Uuid>,
    pub token: String,
}

/// Runs one command through the store as `actor` in `org` and brings the read models up
/// to date, so the next CLI step (or a token's first request) sees the result.
pub async fn run<A>(
    state: &AppState,
    org: Uuid,
    actor: Actor,
    id: Uuid,
    command: A::Command,
) -> Result<CommandOutcome, CliError>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: Send,
{
    let context = CommandContext::new(org, actor, "cli");
    let outcome = state
        .store
        .execute::<A>(&context, &id.to_string(), command, &())
        .await
        .map_err(|e| match e {
            CommandError::Domain(e) => CliError::Refused(e.to_string()),
            CommandError::Store(e) => CliError::Store(e),
            other => CliError::Refused(other.to_string()),
        })?;
    state
        .projector
        .catch_up_to(outcome.position, std::time::Duration::from_secs(30))
        .await?;
    Ok(outcome)
}

/// Creates an organization with its founding admin and issues the admin a token.
pub async fn init(
    state: &Arc<AppState>,
    org_name: &str,
    admin_email: &str,
    admin_name: Option<&str>,
) -> Result<Issued, CliError> {
    let name = domain::OrganizationName::try_from(org_name)?;
    let email = domain::Email::try_from(admin_email)?;
    let display = admin_name.map(str::to_owned).unwrap_or_else(|| {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or("Admin")
            .to_owned()
    });
    let input = chorus_teams::commands::FoundOrganization {
        name,
        admin_name: domain::DisplayName::try_from(display.as_str())?,
        admin_email: email,
    };
    let founded = chorus_teams::commands::found_organization(&state.runtime, "cli", input).await?;
    person_token(state, founded.organization_id, founded.admin_id)
}

/// A person's token, as `init` and `token --person` print it.
fn person_token(
    state: &AppState,
    organization_id: Uuid,
    person_id: Uuid,
) -> Result<Issued, CliError> {
    let token = state
        .auth
        .issue(organization_id, Actor::person(person_id), &[])?;
    Ok(Issued {
        organization_id,
        person_id: Some(person_id),
        service_account_id: None,
        token_id: None,
        token,
    })
}

/// Issues a token for an existing, active person.
pub async fn token_for_person(state: &Arc<AppState>, person_id: Uuid) -> Result<Issued, CliError> {
    let row: Option<(Uuid, Option<chrono::DateTime<chrono::Utc>>)> = chorus_kernel::on_read!(&state.db, pool => {
        sqlx::query_as("SELECT organization_id, offboarded_at FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(pool)
            .await
            .map_err(chorus_kernel::StoreError::from)?
    });
    let (organization_id, offboarded) =
        row.ok_or_else(|| CliError::Refused(format!("no person with id {person_id}")))?;
    if offboarded.is_some() {
        return Err(CliError::Refused("that person has been offboarded".into()));
    }
    person_token(state, organization_id, person_id)
}

/// Issues a service-account token (integrations) with the given scopes, registered so
/// that it can be listed and revoked on its own: for a new service account, or for
/// `service_account` (a second token while the first is rotated out).
pub async fn token_for_service(
    state: &Arc<AppState>,
    organization_id: Uuid,
    scopes: &[String],
    service_account: Option<Uuid>,
    description: Option<&str>,
) -> Result<Issued, CliError> {
    if crate::teams::read::organization(&state.db, organization_id)
        .await?
        .is_none()
    {
        return Err(CliError::Refused(format!(
            "no organization with id {organization_id}"
        )));
    }
    let parsed = scopes
        .iter()
        .map(|s| s.parse::<domain::ServiceScope>())
        .collect::<Result<Vec<_>, _>>()?;
    let description = description.map(domain::Reason::try_from).transpose()?;
    let token_id = Uuid::now_v7();
    let service_account_id = service_account.unwrap_or_else(Uuid::now_v7);
    let now = chorus_kernel::now();
    let expires_at = now + state.auth.token_ttl();
    let issue = domain::ServiceTokenCommand::IssueServiceToken {
        token_id,
        organization_id,
        service_account_id,
        scopes: parsed.clone(),
        description,
        expires_at,
        issued_by: None,
        now,
    };
    run_on_token(state, organization_id, token_id, issue).await?;
    let scopes: Vec<String> = parsed.iter().map(|s| s.as_str().to_owned()).collect();
    let token = state.auth.issue_registered(
        organization_id,
        service_account_id,
        &scopes,
        token_id,
        expires_at,
    )?;
    Ok(Issued {
        organization_id,
        person_id: None,
        service_account_id: Some(service_account_id),
        token_id: Some(token_id),
        token,
    })
}

/// The registered service-account tokens of an organization (at most 1,000).
pub async fn service_tokens(
    state: &AppState,
    organization_id: Uuid,
    include_revoked: bool,
) -> Result<Vec<crate::teams::service_tokens::ServiceTokenRow>, CliError> {
    let page = crate::teams::read::Page {
        after: None,
        limit: 1000,
    };
    Ok(
        crate::teams::service_tokens::tokens_page(
            &state.db,
            organization_id,
            include_revoked,
            page,
        )
        .await?,
    )
}

/// Revokes one registered service-account token, as an operator.
pub async fn revoke_service_token(
    state: &AppState,
    token_id: Uuid,
    reason: Option<&str>,
) -> Result<(), CliError> {
    let organization_id: Option<Uuid> = chorus_kernel::on_read!(&state.db, pool => {
        sqlx::query_scalar("SELECT organization_id FROM service_tokens WHERE id = $1")
            .bind(token_id)
            .fetch_optional(pool)
            .await
            .map_err(chorus_kernel::StoreError::from)?
    });
    let organization_id = organization_id
        .ok_or_else(|| CliError::Refused(format!("no service token with id {token_id}")))?;
    let reason = reason.map(domain::Reason::try_from).transpose()?;
    let revoke = domain::ServiceTokenCommand::RevokeServiceToken {
        reason,
        revoked_by: None,
        now: chorus_kernel::now(),
    };
    run_on_token(state, organization_id, token_id, revoke).await?;
    Ok(())
}

/// Runs `command` on service token `token_id` of `organization_id`, as the system (the
/// operator's door).
async fn run_on_token(
    state: &AppState,
    organization_id: Uuid,
    token_id: Uuid,
    command: domain::ServiceTokenCommand,
) -> Result<CommandOutcome, CliError> {
    run::<domain::ServiceToken>(state, organization_id, Actor::system(), token_id, command).await
}

/// One projection as `chorus projections status` reports it.
#[derive(Debug, Serialize)]
pub struct ProjectionStatus {
    pub name: &'static str,
    /// The last log position the read model includes.
    pub position: i64,
    /// Events this read model does not include, waiting for an operator.
    pub failed: i64,
    pub held: i64,
    /// Events an operator chose to leave out.
    pub skipped: i64,
    /// The quarantined events, oldest first (at most 100).
    pub quarantined: Vec<QuarantinedView>,
}

/// A quarantined event as operators see it.
#[derive(Debug, Serialize)]
pub struct QuarantinedView {
    pub position: i64,
    pub organization_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub error: String,
    pub quarantined_at: chrono::DateTime<chrono::Utc>,
}

/// Checkpoints and quarantine of every projection.
pub async fn projections_status(state: &AppState) -> Result<Vec<ProjectionStatus>, CliError> {
    let projector = &state.projector;
    let checkpoints = projector.checkpoints().await?;
    let counts = projector.quarantine_counts().await?;
    let mut statuses = Vec::new();
    for ((name, counts), checkpoint) in counts.into_iter().zip(checkpoints) {
        let quarantined = projector
            .quarantined(Some(name), 100)
            .await?
            .into_iter()
            .map(|q| QuarantinedView {
                position: q.global_position,
                organization_id: q.organization_id,
                aggregate_type: q.aggregate_type,
                aggregate_id: q.aggregate_id,
                event_type: q.event_type,
                status: q.status,
                attempts: q.attempts,
                error: q.error,
                quarantined_at: q.quarantined_at,
            })
            .collect();
        statuses.push(ProjectionStatus {
            name,
            position: checkpoint.global_position,
            failed: counts.failed,
            held: counts.held,
            skipped: counts.skipped,
            quarantined,
        });
    }
    Ok(statuses)
}

/// The status as text, one projection per paragraph.
pub fn render_status(statuses: &[ProjectionStatus]) -> String {
    let mut out = String::new();
    for status in statuses {
        out.push_str(&format!(
            "{}: position {}, quarantined: {} failed, {} held, {} skipped\n",
            status.name, status.position, status.failed, status.held, status.skipped
        ));
        for q in &status.quarantined {
            out.push_str(&format!(
                "  {} {} at position {} (organization {}, {} {}), {} attempt(s): {}\n",
                q.status,
                q.event_type,
                q.position,
                q.organization_id,
                q.aggregate_type,
                q.aggregate_id,
                q.attempts,
                q.error
            ));
        }
    }
    out
}
