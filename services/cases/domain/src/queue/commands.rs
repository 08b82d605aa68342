use uuid::Uuid;

use super::QueueSettings;

/// Commands accepted by the [`CaseQueue`](super::CaseQueue) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseQueueCommand {
    /// Set how the team's queue hands its cases out (the first time, or again).
    ConfigureQueue {
        /// The team (also the aggregate id).
        team_id: Uuid,
        /// Its organization.
        organization_id: Uuid,
        /// The new settings.
        settings: QueueSettings,
        /// Who.
        by: Uuid,
    },
}
