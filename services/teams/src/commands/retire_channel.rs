//! `retireChannel`: a social account of the caller's organization is retired. Admins only.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::lookup;
use crate::access::ensure_admin;
use crate::domain::{Channel, ChannelCommand, Reason};

pub async fn retire_channel(
    caller: Caller<'_>,
    channel_id: Uuid,
    reason: Option<Reason>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let channel = lookup::channel(caller, channel_id).await?;
    let command = ChannelCommand::RetireChannel { reason };
    execute_for::<Channel>(caller, channel.id, command, key).await
}
