use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`ReportingLines`](super::ReportingLines) aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReportingLinesEvent {
    /// A person now reports to a manager.
    ReportingLineSet {
        /// The person who reports.
        person_id: Uuid,
        /// The person they now report to.
        manager_id: Uuid,
        /// Who they reported to before, if anyone; kept so projections and
        /// auditors need not replay the stream.
        previous_manager_id: Option<Uuid>,
    },
    /// A person no longer reports to anyone.
    ReportingLineCleared {
        /// The person whose line was removed.
        person_id: Uuid,
        /// Who they reported to before.
        previous_manager_id: Uuid,
    },
}

impl DomainEvent for ReportingLinesEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ReportingLineSet { .. } => "ReportingLineSet",
            Self::ReportingLineCleared { .. } => "ReportingLineCleared",
        }
        .to_string()
    }

    fn event_version(&self) -> String {
        "1.0".to_string()
    }
}
