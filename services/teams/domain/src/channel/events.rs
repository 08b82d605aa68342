use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::SocialNetwork;

/// Facts recorded by the [`Channel`](super::Channel) aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChannelEvent {
    /// The channel was registered.
    ChannelRegistered {
        /// Id of the channel.
        channel_id: Uuid,
        /// Organization the channel belongs to.
        organization_id: Uuid,
        /// Team that runs the channel.
        team_id: Uuid,
        /// Network the account lives on.
        network: SocialNetwork,
        /// Account handle, without a leading '@'.
        handle: String,
    },
    /// The channel was retired.
    ChannelRetired {
        /// Why, if given.
        reason: Option<String>,
    },
}

impl DomainEvent for ChannelEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ChannelRegistered { .. } => "ChannelRegistered",
            Self::ChannelRetired { .. } => "ChannelRetired",
        }
        .to_string()
    }

    fn event_version(&self) -> String {
        "1.0".to_string()
    }
}
