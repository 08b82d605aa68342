use uuid::Uuid;

/// Commands accepted by the [`ReportingLines`](super::ReportingLines) aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportingLinesCommand {
    /// Make `person_id` report to `manager_id`, replacing any current manager.
    SetReportingLine {
        /// The person who reports.
        person_id: Uuid,
        /// The person they report to.
        manager_id: Uuid,
    },
    /// Remove the person's reporting line.
    ClearReportingLine {
        /// The person whose line is removed.
        person_id: Uuid,
    },
}
