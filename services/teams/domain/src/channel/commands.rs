use uuid::Uuid;

use crate::values::{Handle, Reason, SocialNetwork};

/// Commands accepted by the [`Channel`](super::Channel) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelCommand {
    /// Register a social account as a channel of a team.
    RegisterChannel {
        /// Id of the new channel (also the aggregate id).
        channel_id: Uuid,
        /// Organization the channel belongs to.
        organization_id: Uuid,
        /// Team that runs the channel.
        team_id: Uuid,
        /// Network the account lives on.
        network: SocialNetwork,
        /// Account handle, without a leading '@'.
        handle: Handle,
    },
    /// Retire the channel; retired channels accept no further changes.
    RetireChannel {
        /// Why the channel is retired, if given.
        reason: Option<Reason>,
    },
}
