//! `retractPost`: a published post is taken down, with a reason, by a publisher of its
//! channels, a legal-role holder or an organization admin.

use chorus_api::{ApiError, Caller};
use uuid::Uuid;

use super::{
    actor_id, load_post, replay_or_execute, require_policy_manager, require_publisher, Outcome,
    RetryKey,
};
use crate::domain::{Comment, Post, PostCommand};

/// A parsed `retractPost` request; the reason is not empty.
#[derive(Debug, Clone)]
pub struct RetractPost {
    pub post_id: Uuid,
    pub reason: Comment,
}

pub async fn retract_post(caller: Caller<'_>, input: RetractPost, key: RetryKey) -> Outcome {
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
    replay_or_execute::<Post, _>(caller, key, || async move {
        let reason = input.reason;
        let now = chorus_kernel::now();
        Ok((input.post_id, PostCommand::RetractPost { reason, by, now }))
    })
    .await
}
