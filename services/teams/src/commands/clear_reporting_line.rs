//! `clearReportingLine`: a person of the caller's organization no longer reports to
//! anyone. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::ExecutePolicy;
use uuid::Uuid;

use super::requests::ClearReportingLine;
use super::{lookup, set_reporting_line::REPORTING_LINES, AdminCommand};
use crate::domain::{ReportingLines, ReportingLinesCommand};

impl AdminCommand for ClearReportingLine {
    type Aggregate = ReportingLines;
    const PROVISIONING: bool = true;
    const POLICY: Option<ExecutePolicy> = Some(REPORTING_LINES);

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, ReportingLinesCommand)> {
        let person = lookup::person(caller, self.person_id).await?;
        let command = ReportingLinesCommand::ClearReportingLine {
            person_id: person.id,
        };
        Ok((caller.organization_id(), command))
    }
}
