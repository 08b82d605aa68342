//! `registerChannel`: a social account (network + handle) owned by a live team; one
//! account is registered once per organization. Admins only.

use chorus_api::{encode_id, ApiError, ApiResult, Caller};
use uuid::Uuid;

use super::requests::RegisterChannel;
use super::{lookup, new_id, AdminCommand};
use crate::domain::{Channel, ChannelCommand};

impl AdminCommand for RegisterChannel {
    type Aggregate = Channel;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, ChannelCommand)> {
        let team = lookup::live_team(caller, self.team_id, "teamId: the team").await?;
        let (network, handle) = (self.network.as_str(), self.handle.as_str());
        let db = &caller.runtime.db;
        if let Some(existing) =
            crate::read::channel_by_account(db, caller.organization_id(), network, handle).await?
        {
            return Err(ApiError::Domain {
                code: "ALREADY_EXISTS",
                message: format!(
                    "handle: {handle} on this network is already registered as channel {}",
                    encode_id("Channel", existing.id).as_str()
                ),
            });
        }
        let channel_id = new_id();
        let command = ChannelCommand::RegisterChannel {
            channel_id,
            organization_id: caller.organization_id(),
            team_id: team.id,
            network: self.network,
            handle: self.handle,
        };
        Ok((channel_id, command))
    }
}
