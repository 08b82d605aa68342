//! `retireChannel`: a social account of the caller's organization is retired. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::RetireChannel;
use super::{lookup, AdminCommand};
use crate::domain::{Channel, ChannelCommand};

impl AdminCommand for RetireChannel {
    type Aggregate = Channel;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, ChannelCommand)> {
        let channel = lookup::channel(caller, self.channel_id).await?;
        let reason = self.reason;
        Ok((channel.id, ChannelCommand::RetireChannel { reason }))
    }
}
