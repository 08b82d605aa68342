//! `approvePost`: a signer signs a step of a post in review, as the policies the post
//! was submitted under allow (the domain decides which step and whether it completes).

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{load_post, person_id, require_reader};
use crate::domain::{Comment, Post, PostCommand, StepName};
use crate::service;

/// A parsed `approvePost` request; without `step`, the first open step the signer may sign.
#[derive(Debug, Clone)]
pub struct ApprovePost {
    pub post_id: Uuid,
    pub step: Option<StepName>,
    pub comment: Option<Comment>,
}

pub async fn approve_post(
    caller: Caller<'_>,
    input: ApprovePost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let signer_id = person_id(&caller, "only people may approve posts")?;
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
    let command = PostCommand::ApprovePost {
        signer_id,
        signer_roles,
        step: input.step,
        comment: input.comment,
        now,
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
