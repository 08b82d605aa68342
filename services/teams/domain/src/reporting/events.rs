use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`ReportingLines`](super::ReportingLines) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
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

chorus_shared::domain_event!(ReportingLinesEvent);
