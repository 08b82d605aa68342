//! Moving a case along: `waitOnContact`, `escalateCase`, `resolveCase` and `mergeCase`.
//! Workers of the case (and, to merge, admins).

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_cases_domain::values::{CaseStatus, Reason, ResolutionCode};
use chorus_kernel::CommandOutcome;
use chorus_teams::values::RoleFunction;
use uuid::Uuid;

use super::{actor_id, as_worker, is_admin, load_case, Outcome, RetryKey};

/// A parsed change to one case.
#[derive(Debug, Clone)]
pub enum CaseChange {
    /// The case waits on the contact.
    WaitOnContact,
    /// Escalate to a function, with a reason.
    Escalate { to: RoleFunction, reason: Reason },
    /// Close with a resolution code.
    Resolve { code: ResolutionCode },
}

/// Runs `change` on the case for one of its workers.
async fn change(
    caller: Caller<'_>,
    case_id: Uuid,
    change: CaseChange,
    key: RetryKey,
) -> ApiResult<CommandOutcome> {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, case_id).await?;
    as_worker(caller, &case).await?;
    let by = actor_id(&caller);
    let at = chorus_kernel::now();
    let command = match change {
        CaseChange::WaitOnContact => CaseCommand::WaitOnContact { by, at },
        CaseChange::Escalate { to, reason } => CaseCommand::EscalateCase { to, reason, by, at },
        CaseChange::Resolve { code } => CaseCommand::ResolveCase { code, by, at },
    };
    execute_for::<Case>(caller, case_id, command, key).await
}

pub async fn wait_on_contact(caller: Caller<'_>, case_id: Uuid, key: RetryKey) -> Outcome {
    change(caller, case_id, CaseChange::WaitOnContact, key).await
}

pub async fn escalate_case(
    caller: Caller<'_>,
    case_id: Uuid,
    to: RoleFunction,
    reason: Reason,
    key: RetryKey,
) -> Outcome {
    change(caller, case_id, CaseChange::Escalate { to, reason }, key).await
}

pub async fn resolve_case(
    caller: Caller<'_>,
    case_id: Uuid,
    code: ResolutionCode,
    key: RetryKey,
) -> Outcome {
    change(caller, case_id, CaseChange::Resolve { code }, key).await
}

/// Merges the duplicate `case_id` into `target`: the duplicate closes pointing at the
/// target, then the target records the duplicate. With an idempotency key, a retry
/// completes the second step if the first attempt stopped between the two.
pub async fn merge_case(caller: Caller<'_>, case_id: Uuid, target: Uuid, key: RetryKey) -> Outcome {
    let replayed = replayed_for(caller, &key).await?;
    let duplicate = load_case(caller, case_id).await?;
    let target_case = load_case(caller, target).await?;
    if let Some(status @ (CaseStatus::Resolved | CaseStatus::Merged)) = target_case.status() {
        return Err(ApiError::Domain {
            code: "INVALID_STATUS",
            message: format!("targetCaseId: the target case is {status}"),
        });
    }
    if !is_admin(caller).await? {
        as_worker(caller, &duplicate).await?;
        as_worker(caller, &target_case).await?;
    }
    let by = actor_id(&caller);
    let outcome = match replayed {
        Some(outcome) => outcome,
        None => {
            let command = CaseCommand::MergeInto {
                target,
                by,
                at: chorus_kernel::now(),
            };
            execute_for::<Case>(caller, case_id, command, key).await?
        }
    };
    // The target records the duplicate (a no-op when it already has).
    let command = CaseCommand::AbsorbDuplicate {
        duplicate: case_id,
        by,
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, target, command, None).await?;
    Ok(outcome)
}
