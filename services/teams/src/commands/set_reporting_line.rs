//! `setReportingLine`: a person reports to a manager from now on (a cycle is refused by
//! the organization's reporting lines). Admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, ExecutePolicy, IdempotencyKey};
use uuid::Uuid;

use super::requests::SetReportingLine;
use super::{lookup, run, AdminCommand};
use crate::domain::{ReportingLines, ReportingLinesCommand};

/// How a change of the organization's reporting lines runs: one aggregate per
/// organization that every line change goes through, so it loads from a snapshot (its
/// cost does not grow with the history) and a change that lost the race to another
/// person's change is decided again on the fresh lines instead of failing (the acyclic
/// check runs again on that state, so two changes that would close a loop never both
/// pass).
///
/// Snapshots every 100 changes keep a load to one snapshot and at most 99 events. The
/// retries are bounded for safety only: in this process they queue behind each other, so
/// each one loses only to a change that another process (or a first attempt) committed
/// in between.
pub(super) const REPORTING_LINES: ExecutePolicy = ExecutePolicy {
    snapshot_every: Some(100),
    retries: 32,
};

impl AdminCommand for SetReportingLine {
    type Aggregate = ReportingLines;
    const PROVISIONING: bool = true;
    const POLICY: Option<ExecutePolicy> = Some(REPORTING_LINES);

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, ReportingLinesCommand)> {
        let person = lookup::person(caller, self.person_id).await?;
        let manager = lookup::person(caller, self.manager_id).await?;
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
    }
}

/// Runs a `setReportingLine` request ([`run`] of [`SetReportingLine`]).
pub async fn set_reporting_line(
    caller: Caller<'_>,
    input: SetReportingLine,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    run(caller, input, key).await
}
