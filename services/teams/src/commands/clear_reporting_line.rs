//! `clearReportingLine`: a person of the caller's organization no longer reports to
//! anyone. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin_on_reporting_lines, lookup};
use crate::domain::ReportingLinesCommand;

pub async fn clear_reporting_line(
    caller: Caller<'_>,
    person_id: Uuid,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin_on_reporting_lines(caller, key, || async {
        let person = lookup::person(caller, person_id).await?;
        let command = ReportingLinesCommand::ClearReportingLine {
            person_id: person.id,
        };
        Ok((caller.organization_id(), command))
    })
    .await
}
