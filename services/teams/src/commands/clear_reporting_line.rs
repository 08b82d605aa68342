//! `clearReportingLine`: a person of the caller's organization no longer reports to
//! anyone. Admins only.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::lookup;
use crate::access::ensure_admin;
use crate::domain::{ReportingLines, ReportingLinesCommand};

pub async fn clear_reporting_line(
    caller: Caller<'_>,
    person_id: Uuid,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let person = lookup::person(caller, person_id).await?;
    let command = ReportingLinesCommand::ClearReportingLine {
        person_id: person.id,
    };
    execute_for::<ReportingLines>(caller, caller.organization_id(), command, key).await
}
