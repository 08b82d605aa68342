use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::SocialNetwork;

/// Facts recorded by the [`Channel`](super::Channel) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
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

chorus_shared::domain_event!(ChannelEvent);
