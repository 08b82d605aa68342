//! `markPublished`: a publisher (a social media role holder, or a service account with
//! `content:publish`) records that an approved post went out; publishing without the
//! approvals needs delegated authority, which the domain decides against the policies in
//! force now.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{load_post, require_publisher};
use crate::domain::{NetworkPostId, Post, PostCommand, PublishedUrl};
use crate::service;

/// A parsed `markPublished` request.
#[derive(Debug, Clone)]
pub struct MarkPublished {
    pub post_id: Uuid,
    pub network_post_id: NetworkPostId,
    pub url: PublishedUrl,
}

pub async fn mark_published(
    caller: Caller<'_>,
    input: MarkPublished,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    // Who may publish depends on the post's channels: checked before any replay.
    let post = load_post(caller, input.post_id).await?;
    let (publisher_id, publisher_roles) = require_publisher(caller, post.channel_ids()).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let delegation_policies = service::resolve_policies(
        &caller.runtime.db,
        &caller.runtime.store,
        caller.organization_id(),
        post.channel_ids(),
    )
    .await?;
    let command = PostCommand::MarkPublished {
        publisher_id,
        publisher_roles,
        network_post_id: input.network_post_id,
        url: input.url,
        delegation_policies,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
