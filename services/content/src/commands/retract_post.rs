//! `retractPost`: a published post is taken down, with a reason, by a publisher of its
//! channels, a legal-role holder or an organization admin.

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{actor_id, load_post, require_policy_manager, require_publisher};
use crate::domain::{Comment, Post, PostCommand};

/// A parsed `retractPost` request; the reason is not empty.
#[derive(Debug, Clone)]
pub struct RetractPost {
    pub post_id: Uuid,
    pub reason: Comment,
}

pub async fn retract_post(
    caller: Caller<'_>,
    input: RetractPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    // Who may retract depends on the post's channels: checked before any replay.
    let post = load_post(caller, input.post_id).await?;
    let by = match require_publisher(caller, post.channel_ids()).await {
        Ok((by, _)) => by,
        Err(ApiError::Forbidden(_)) => {
            require_policy_manager(caller).await.map_err(|_| {
                ApiError::Forbidden(
                    "only publishers, legal-role holders and admins may retract posts",
                )
            })?;
            actor_id(&caller)
        }
        Err(other) => return Err(other),
    };
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let command = PostCommand::RetractPost {
        reason: input.reason,
        by,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
