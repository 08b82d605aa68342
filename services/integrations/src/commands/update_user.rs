//! SCIM `PUT` and `PATCH /Users/{id}` (and `DELETE`, which offboards: Chorus keeps a
//! person's history): the person becomes the draft. Only what differs is written:
//! teams' `updatePerson` for the email, display name and external id, the HR attributes,
//! teams' `setReportingLine` / `clearReportingLine` for the manager, and teams'
//! `offboardPerson` when `active` turns false.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_teams::commands::{self, ClearReportingLine, SetReportingLine, UpdatePerson};

use super::provision_user::{ensure_manager, offboard, record_profile};
use super::UserDraft;
use crate::read::{same_profile, UserNow};

/// Makes the person `now` shows into `draft`.
pub async fn update_user(caller: Caller<'_>, now: &UserNow, draft: UserDraft) -> ApiResult<()> {
    let person = &now.person;
    let email = (draft.email.as_str() != person.email).then_some(draft.email);
    let display_name =
        (draft.display_name.as_str() != person.display_name).then_some(draft.display_name);
    let external_id = draft
        .external_id
        .filter(|id| Some(id.as_str()) != person.external_id.as_deref());
    let person_changes = email.is_some() || display_name.is_some() || external_id.is_some();
    let profile_changes = !same_profile(&draft.profile, now.profile.as_ref());
    let manager_changes = draft.manager != now.manager;
    if person.offboarded_at.is_some() {
        if draft.active || person_changes || profile_changes || manager_changes {
            return Err(ApiError::Domain {
                code: "PERSON_OFFBOARDED",
                message: "the person has been offboarded: an offboarded person cannot be \
                          changed or reactivated (provision a new user)"
                    .into(),
            });
        }
        return Ok(());
    }
    if let (true, Some(manager)) = (manager_changes, draft.manager) {
        ensure_manager(caller, Some(person.id), manager).await?;
    }
    if person_changes {
        let request = UpdatePerson {
            person_id: person.id,
            display_name,
            email,
            affiliation: None,
            external_id,
        };
        commands::run(caller, request, None).await?;
    }
    if profile_changes {
        record_profile(caller, person.id, draft.profile).await?;
    }
    if manager_changes {
        match draft.manager {
            Some(manager_id) => {
                let line = SetReportingLine {
                    person_id: person.id,
                    manager_id,
                };
                commands::set_reporting_line(caller, line, None).await?;
            }
            None => {
                let line = ClearReportingLine {
                    person_id: person.id,
                };
                commands::run(caller, line, None).await?;
            }
        }
    }
    if !draft.active {
        offboard(caller, person.id).await?;
    }
    Ok(())
}
