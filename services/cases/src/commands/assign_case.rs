//! Who holds a case: `assignCase` (to oneself or, by a worker or an admin, to a
//! colleague holding the case's function), `unassignCase` (back to the queue) and
//! `transferCase` (to another team's or function's queue).

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_cases_domain::case::{Case, CaseCommand, ReturnReason};
use chorus_cases_domain::values::Reason;
use chorus_teams::values::RoleFunction;
use uuid::Uuid;

use super::{actor_id, as_worker, is_admin, load_case, roles_on, Outcome, RetryKey};

/// A parsed `assignCase` request.
#[derive(Debug, Clone)]
pub struct AssignCase {
    pub case_id: Uuid,
    /// The person to hold it; `None`: the caller.
    pub assignee: Option<Uuid>,
}

/// A parsed `transferCase` request.
#[derive(Debug, Clone)]
pub struct TransferCase {
    pub case_id: Uuid,
    /// The team whose queue takes it; `None`: the organization's own queue.
    pub team_id: Option<Uuid>,
    pub function: RoleFunction,
    pub reason: Reason,
}

/// Refuses a caller who neither works `case` nor is an admin.
async fn ensure_manager_or_worker(caller: Caller<'_>, case: &Case) -> ApiResult<()> {
    if is_admin(caller).await? {
        return Ok(());
    }
    as_worker(caller, case).await.map(|_| ())
}

pub async fn assign_case(caller: Caller<'_>, input: AssignCase, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    let assignee = match input.assignee {
        Some(person) => {
            ensure_manager_or_worker(caller, &case).await?;
            chorus_teams::api::person(caller, person).await?;
            person
        }
        None => as_worker(caller, &case).await?.0,
    };
    let command = CaseCommand::AssignCase {
        assignee,
        assignee_roles: roles_on(caller, &case, assignee).await?,
        by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}

pub async fn unassign_case(caller: Caller<'_>, case_id: Uuid, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, case_id).await?;
    let holder = case.assignee().is_some() && case.assignee() == caller.principal.person_id();
    if !holder {
        ensure_manager_or_worker(caller, &case).await?;
    }
    let command = CaseCommand::ReturnToQueue {
        reason: ReturnReason::Unassigned,
        by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, case_id, command, key).await
}

pub async fn transfer_case(caller: Caller<'_>, input: TransferCase, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    ensure_manager_or_worker(caller, &case).await?;
    if let Some(team) = input.team_id {
        let team = chorus_teams::api::team(caller, team).await?;
        if team.archived_at.is_some() {
            return Err(ApiError::Domain {
                code: "TEAM_ARCHIVED",
                message: "teamId: the team is archived".into(),
            });
        }
    }
    let command = CaseCommand::TransferCase {
        team_id: input.team_id,
        function: input.function,
        reason: input.reason,
        by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}
