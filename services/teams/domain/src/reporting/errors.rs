use uuid::Uuid;

/// Why the [`ReportingLines`](super::ReportingLines) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportingLinesError {
    /// A person was asked to report to themselves.
    #[error("A person cannot report to themselves.")]
    SelfReporting,
    /// The new line would close a loop in the hierarchy.
    #[error("This reporting line would create a reporting cycle.")]
    Cycle {
        /// The existing path from the proposed manager up to the person,
        /// which the new line would turn into a loop.
        chain: Vec<Uuid>,
    },
    /// The person already reports to that manager.
    #[error("The person already reports to this manager.")]
    Unchanged,
    /// The person has no reporting line to clear.
    #[error("The person has no reporting line.")]
    NoReportingLine,
}

impl ReportingLinesError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SelfReporting => "SELF_REPORTING",
            Self::Cycle { .. } => "REPORTING_CYCLE",
            Self::Unchanged => "NO_CHANGE",
            Self::NoReportingLine => "NO_REPORTING_LINE",
        }
    }
}
