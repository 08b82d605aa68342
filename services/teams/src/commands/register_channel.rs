//! `registerChannel`: a social account (network + handle) owned by a live team; one
//! account is registered once per organization. Admins only.

use chorus_api::{encode_id, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin, lookup, new_id};
use crate::domain::{Channel, ChannelCommand, Handle, SocialNetwork};

/// A parsed `registerChannel` request.
#[derive(Debug, Clone)]
pub struct RegisterChannel {
    pub team_id: Uuid,
    pub network: SocialNetwork,
    pub handle: Handle,
}

pub async fn register_channel(
    caller: Caller<'_>,
    input: RegisterChannel,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Channel, _>(caller, key, || async {
        let team = lookup::live_team(caller, input.team_id, "teamId: the team").await?;
        let (network, handle) = (input.network.as_str(), input.handle.as_str());
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
            network: input.network,
            handle: input.handle,
        };
        Ok((channel_id, command))
    })
    .await
}
