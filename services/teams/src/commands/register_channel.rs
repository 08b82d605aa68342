//! `registerChannel`: a social account (network + handle) owned by a live team; one
//! account is registered once per organization. Admins only.

use chorus_api::{encode_id, execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{lookup, new_id};
use crate::access::ensure_admin;
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
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let team = lookup::team(caller, input.team_id).await?;
    if team.archived_at.is_some() {
        return Err(ApiError::Domain {
            code: "TEAM_ARCHIVED",
            message: "teamId: the team is archived".into(),
        });
    }
    if let Some(existing) = crate::read::channel_by_account(
        &caller.runtime.db,
        caller.organization_id(),
        input.network.as_str(),
        input.handle.as_str(),
    )
    .await?
    {
        return Err(ApiError::Domain {
            code: "ALREADY_EXISTS",
            message: format!(
                "handle: {} on this network is already registered as channel {}",
                input.handle.as_str(),
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
    execute_for::<Channel>(caller, channel_id, command, key).await
}
