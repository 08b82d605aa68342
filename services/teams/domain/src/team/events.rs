use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`Team`](super::Team) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum TeamEvent {
    /// The team was created.
    TeamCreated {
        /// Id of the team.
        team_id: Uuid,
        /// Organization the team belongs to.
        organization_id: Uuid,
        /// Initial name.
        name: String,
        /// Parent team, if nested.
        parent_id: Option<Uuid>,
    },
    /// The team was renamed.
    TeamRenamed {
        /// New name.
        name: String,
    },
    /// The team was archived.
    TeamArchived {
        /// Why, if given.
        reason: Option<String>,
    },
}

chorus_shared::domain_event!(TeamEvent);
