//! `schedulePost`: the author sets or moves a post's publication time.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{load_post, require_author, require_reader};
use crate::domain::{Post, PostCommand};

/// A parsed `schedulePost` request.
#[derive(Debug, Clone, Copy)]
pub struct SchedulePost {
    pub post_id: Uuid,
    pub scheduled_at: DateTime<Utc>,
}

pub async fn schedule_post(
    caller: Caller<'_>,
    input: SchedulePost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let post = load_post(caller, input.post_id).await?;
    let (by, _) = require_author(caller, post.channel_ids()).await?;
    let command = PostCommand::SchedulePost {
        scheduled_at: input.scheduled_at,
        by,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
