//! SCIM `POST /Users`: an HR system provisions a person. The person is added through
//! teams' `addPerson` (which refuses an email another active person has), then their HR
//! attributes are recorded, their manager set and, if the HR system sent `active: false`,
//! they are offboarded.

use chorus_api::{execute_for, outcome_uuid, ApiError, ApiResult, Caller};
use chorus_teams::commands::{self, AddPerson, OffboardPerson, SetReportingLine};
use chorus_teams::Affiliation;
use uuid::Uuid;

use super::{actor_id, reason, UserDraft};
use crate::domain::{ScimUser, ScimUserCommand, UserProfile};

/// Provisions `draft` as a new person of the caller's organization; answers their id.
pub async fn provision_user(caller: Caller<'_>, draft: UserDraft) -> ApiResult<Uuid> {
    if let Some(manager) = draft.manager {
        ensure_manager(caller, None, manager).await?;
    }
    let outcome = commands::run(
        caller,
        AddPerson {
            display_name: draft.display_name,
            email: draft.email,
            affiliation: Affiliation::Internal,
            external_id: draft.external_id,
        },
        None,
    )
    .await?;
    let person_id = outcome_uuid(&outcome)?;
    if draft.profile != UserProfile::default() {
        record_profile(caller, person_id, draft.profile).await?;
    }
    if let Some(manager_id) = draft.manager {
        let line = SetReportingLine {
            person_id,
            manager_id,
        };
        commands::set_reporting_line(caller, line, None).await?;
    }
    if !draft.active {
        offboard(caller, person_id).await?;
    }
    Ok(person_id)
}

/// Records the person's HR attributes (nothing when they are unchanged).
pub(super) async fn record_profile(
    caller: Caller<'_>,
    person_id: Uuid,
    profile: UserProfile,
) -> ApiResult<()> {
    let command = ScimUserCommand::RecordProfile {
        person_id,
        organization_id: caller.organization_id(),
        profile,
        by: actor_id(&caller),
    };
    execute_for::<ScimUser>(caller, person_id, command, None).await?;
    Ok(())
}

/// Offboards the person: the HR system deactivated (or deleted) them.
pub async fn offboard(caller: Caller<'_>, person_id: Uuid) -> ApiResult<()> {
    let request = OffboardPerson {
        person_id,
        reason: Some(reason("deactivated by the HR system (SCIM)".into())?),
    };
    commands::run(caller, request, None).await?;
    Ok(())
}

/// Refuses a manager who is not an active person of the organization, or the person
/// themselves, before anything is written.
pub(super) async fn ensure_manager(
    caller: Caller<'_>,
    person: Option<Uuid>,
    manager: Uuid,
) -> ApiResult<()> {
    if Some(manager) == person {
        return Err(ApiError::bad_input(
            "manager",
            "a person cannot be their own manager",
        ));
    }
    let found = chorus_teams::api::person(caller, manager)
        .await
        .map_err(|_| ApiError::bad_input("manager", "names no person of the organization"))?;
    if found.offboarded_at.is_some() {
        return Err(ApiError::bad_input(
            "manager",
            "the manager has been offboarded",
        ));
    }
    Ok(())
}
