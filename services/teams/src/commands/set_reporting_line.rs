//! `setReportingLine`: a person reports to a manager from now on (a cycle is refused by
//! the organization's reporting lines). Admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin_on_reporting_lines, lookup};
use crate::domain::ReportingLinesCommand;

/// A parsed `setReportingLine` request.
#[derive(Debug, Clone, Copy)]
pub struct SetReportingLine {
    pub person_id: Uuid,
    pub manager_id: Uuid,
}

pub async fn set_reporting_line(
    caller: Caller<'_>,
    input: SetReportingLine,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin_on_reporting_lines(caller, key, || async {
        let person = lookup::person(caller, input.person_id).await?;
        let manager = lookup::person(caller, input.manager_id).await?;
        for (field, p) in [("personId", &person), ("managerId", &manager)] {
            if p.offboarded_at.is_some() {
                return Err(ApiError::Domain {
                    code: "PERSON_OFFBOARDED",
                    message: format!("{field}: the person has been offboarded"),
                });
            }
        }
        let command = ReportingLinesCommand::SetReportingLine {
            person_id: person.id,
            manager_id: manager.id,
        };
        Ok((caller.organization_id(), command))
    })
    .await
}
