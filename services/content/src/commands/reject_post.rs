//! `rejectPost`: a signer refuses a post in review, with a comment, as the policy step
//! allows.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{load_post, person_id, require_reader};
use crate::domain::{Comment, Post, PostCommand};
use crate::service;

/// A parsed `rejectPost` request; the comment is not empty.
#[derive(Debug, Clone)]
pub struct RejectPost {
    pub post_id: Uuid,
    pub comment: Comment,
}

pub async fn reject_post(
    caller: Caller<'_>,
    input: RejectPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let signer_id = person_id(&caller, "only people may reject posts")?;
    let post = load_post(caller, input.post_id).await?;
    let now = chorus_kernel::now();
    let signer_roles = service::qualifying_roles(
        &caller.runtime.db,
        caller.organization_id(),
        signer_id,
        post.channel_ids(),
        now,
    )
    .await?;
    let command = PostCommand::RejectPost {
        signer_id,
        signer_roles,
        comment: input.comment,
        now,
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
