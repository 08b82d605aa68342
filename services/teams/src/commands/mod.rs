//! The teams context's use cases, one file per command: authorize → replay → look up →
//! build the domain command → execute. GraphQL resolvers, the CLI's demo and the
//! integrations call these, so each rule is written once.
//!
//! Inputs arrive parsed (domain newtypes, uuids); a use case answers with the command's
//! outcome, from which each caller builds its own reply.

mod add_person;
mod assign_role;
mod clear_reporting_line;
mod create_team;
mod found_organization;
mod lookup;
mod register_channel;
mod rename_organization;
mod rename_team;
mod retire_channel;
mod revoke_role;
mod revoke_service_token;
mod set_reporting_line;
mod update_person;

use std::future::Future;

use chorus_api::{execute_for, execute_with_policy_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, ExecutePolicy, IdempotencyKey};
use chorus_shared::DomainCode;
use uuid::Uuid;

use crate::access::ensure_admin;
use crate::domain::{ReportingLines, ReportingLinesCommand};

pub use add_person::{add_person, AddPerson};
pub use assign_role::{assign_role, AssignRole, RoleAssigned, ScopeRef};
pub use clear_reporting_line::clear_reporting_line;
pub use create_team::{create_team, CreateTeam};
pub use found_organization::{found_organization, FoundOrganization, Founded};
pub use lookup::{channel, person, team};
pub use register_channel::{register_channel, RegisterChannel};
pub use rename_organization::rename_organization;
pub use rename_team::{archive_team, rename_team};
pub use retire_channel::retire_channel;
pub use revoke_role::revoke_role;
pub use revoke_service_token::revoke_service_token;
pub use set_reporting_line::{set_reporting_line, SetReportingLine};
pub use update_person::{offboard_person, update_person, UpdatePerson};

/// The steps every teams use case shares: only an admin may act ([`ensure_admin`]); a
/// retried request gets its first answer before anything is looked up again (the state
/// may have moved on since); otherwise `decide` looks up what it needs and names the
/// aggregate and the command to run on it.
pub(crate) async fn as_admin<A, Decided>(
    caller: Caller<'_>,
    key: Option<IdempotencyKey>,
    decide: impl FnOnce() -> Decided,
) -> ApiResult<CommandOutcome>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: DomainCode + Send,
    Decided: Future<Output = ApiResult<(Uuid, A::Command)>>,
{
    match admin_decides(caller, &key, decide).await? {
        Decision::Replayed(outcome) => Ok(outcome),
        Decision::Run(aggregate_id, command) => {
            execute_for::<A>(caller, aggregate_id, command, key).await
        }
    }
}

/// [`as_admin`] for the organization's reporting lines: one aggregate per organization
/// that every line change goes through, so it loads from a snapshot (its cost does not
/// grow with the history) and a change that lost the race to another person's change is
/// decided again on the fresh lines instead of failing (the acyclic check runs again on
/// that state, so two changes that would close a loop never both pass).
pub(crate) async fn as_admin_on_reporting_lines<Decided>(
    caller: Caller<'_>,
    key: Option<IdempotencyKey>,
    decide: impl FnOnce() -> Decided,
) -> ApiResult<CommandOutcome>
where
    Decided: Future<Output = ApiResult<(Uuid, ReportingLinesCommand)>>,
{
    match admin_decides(caller, &key, decide).await? {
        Decision::Replayed(outcome) => Ok(outcome),
        Decision::Run(aggregate_id, command) => {
            execute_with_policy_for::<ReportingLines>(
                caller,
                aggregate_id,
                command,
                key,
                REPORTING_LINES,
            )
            .await
        }
    }
}

/// Snapshots every 100 changes keep a load to one snapshot and at most 99 events. The
/// retries are bounded for safety only: in this process they queue behind each other, so
/// each one loses only to a change that another process (or a first attempt) committed
/// in between.
const REPORTING_LINES: ExecutePolicy = ExecutePolicy {
    snapshot_every: Some(100),
    retries: 32,
};

enum Decision<C> {
    Replayed(CommandOutcome),
    Run(Uuid, C),
}

async fn admin_decides<C, Decided>(
    caller: Caller<'_>,
    key: &Option<IdempotencyKey>,
    decide: impl FnOnce() -> Decided,
) -> ApiResult<Decision<C>>
where
    Decided: Future<Output = ApiResult<(Uuid, C)>>,
{
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, key).await? {
        return Ok(Decision::Replayed(outcome));
    }
    let (aggregate_id, command) = decide().await?;
    Ok(Decision::Run(aggregate_id, command))
}

/// A new aggregate or entity id: time-ordered, so keyset pages follow creation order.
pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The acting principal's id as recorded in `granted_by` / `revoked_by` / `by`.
pub(crate) fn actor_id(caller: &Caller<'_>) -> Uuid {
    caller.principal.actor.id.unwrap_or_default()
}
