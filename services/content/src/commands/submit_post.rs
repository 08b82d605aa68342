//! `submitPost`: the author sends a post for approval under the policies in force now.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{load_post, require_author, require_reader};
use crate::domain::{Post, PostCommand};
use crate::service;

/// A parsed `submitPost` request.
#[derive(Debug, Clone, Copy)]
pub struct SubmitPost {
    pub post_id: Uuid,
}

pub async fn submit_post(
    caller: Caller<'_>,
    input: SubmitPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let post = load_post(caller, input.post_id).await?;
    let (by, _) = require_author(caller, post.channel_ids()).await?;
    let policies = service::resolve_policies(
        &caller.runtime.db,
        &caller.runtime.store,
        caller.organization_id(),
        post.channel_ids(),
    )
    .await?;
    let command = PostCommand::SubmitPost {
        policies,
        by,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
