//! `withdrawPost`: the author takes a post out of review, back to draft.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{load_post, require_author, require_reader};
use crate::domain::{Post, PostCommand};

/// A parsed `withdrawPost` request.
#[derive(Debug, Clone, Copy)]
pub struct WithdrawPost {
    pub post_id: Uuid,
}

pub async fn withdraw_post(
    caller: Caller<'_>,
    input: WithdrawPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let post = load_post(caller, input.post_id).await?;
    let (by, _) = require_author(caller, post.channel_ids()).await?;
    let command = PostCommand::WithdrawPost {
        by,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
