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
    let display_name = domain::DisplayName::try_from(display.as_str())?;
    let organization_id = Uuid::now_v7();
    let person_id = Uuid::now_v7();
    run::<domain::Organization>(
        state,
        organization_id,
        Actor::system(),
        organization_id,
        domain::OrganizationCommand::CreateOrganization {
            organization_id,
            name,
            founding_admin_id: person_id,
        },
    )
    .await?;
    run::<domain::Person>(
        state,
        organization_id,
        Actor::system(),
        person_id,
        domain::PersonCommand::AddPerson {
            person_id,
            organization_id,
            display_name,
            email,
            affiliation: domain::Affiliation::Internal,
            external_id: None,
        },
    )
    .await?;
    let token = state
        .auth
        .issue(organization_id, Actor::person(person_id), &[])?;
    Ok(Issued {
        organization_id,
        person_id: Some(person_id),
        service_account_id: None,
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
    let token = state
        .auth
        .issue(organization_id, Actor::person(person_id), &[])?;
    Ok(Issued {
        organization_id,
        person_id: Some(person_id),
        service_account_id: None,
        token,
    })
}

/// Issues a service-account token (integrations) with the given scopes.
pub async fn token_for_service(
    state: &Arc<AppState>,
    organization_id: Uuid,
    scopes: &[String],
) -> Result<Issued, CliError> {
    if crate::teams::read::organization(&state.db, organization_id)
        .await?
        .is_none()
    {
        return Err(CliError::Refused(format!(
            "no organization with id {organization_id}"
        )));
    }
    const KNOWN: &[&str] = &["teams:read", "teams:write"];
    if let Some(unknown) = scopes.iter().find(|s| !KNOWN.contains(&s.as_str())) {
        return Err(CliError::Input {
            field: "scope",
            rule: format!("unknown scope {unknown} (known: {})", KNOWN.join(", ")),
        });
    }
    let id = Uuid::now_v7();
    let token = state
        .auth
        .issue(organization_id, Actor::service_account(id), scopes)?;
    Ok(Issued {
        organization_id,
        person_id: None,
        service_account_id: Some(id),
        token,
    })
}
