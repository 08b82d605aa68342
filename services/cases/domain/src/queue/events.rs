use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::QueueSettings;

/// Facts recorded by the [`CaseQueue`](super::CaseQueue) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum CaseQueueEvent {
    /// The team's queue got new settings (version 1, 2, …).
    QueueConfigured {
        /// The team.
        team_id: Uuid,
        /// Its organization.
        organization_id: Uuid,
        /// The settings' version.
        version: u64,
        /// The settings.
        settings: QueueSettings,
        /// Who.
        by: Uuid,
    },
}

chorus_shared::domain_event!(CaseQueueEvent);
