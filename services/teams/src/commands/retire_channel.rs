//! `retireChannel`: a social account of the caller's organization is retired. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin, lookup};
use crate::domain::{Channel, ChannelCommand, Reason};

pub async fn retire_channel(
    caller: Caller<'_>,
    channel_id: Uuid,
    reason: Option<Reason>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Channel, _>(caller, key, || async {
        let channel = lookup::channel(caller, channel_id).await?;
        Ok((channel.id, ChannelCommand::RetireChannel { reason }))
    })
    .await
}
