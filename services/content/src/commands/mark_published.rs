//! `markPublished`: a publisher (a social media role holder, or a service account with
//! `content:publish`) records that an approved post went out; publishing without the
//! approvals needs delegated authority, which the domain decides against the policies in
//! force now.

use chorus_api::Caller;
use uuid::Uuid;

use super::{load_post, replay_or_execute, require_publisher, Outcome, RetryKey};
use crate::domain::{NetworkPostId, Post, PostCommand, PublishedUrl};
use crate::service;

/// A parsed `markPublished` request.
#[derive(Debug, Clone)]
pub struct MarkPublished {
    pub post_id: Uuid,
    pub network_post_id: NetworkPostId,
    pub url: PublishedUrl,
}

pub async fn mark_published(caller: Caller<'_>, input: MarkPublished, key: RetryKey) -> Outcome {
    // Who may publish depends on the post's channels: checked before any replay.
    let post = load_post(caller, input.post_id).await?;
    let (publisher_id, publisher_roles) = require_publisher(caller, post.channel_ids()).await?;
    replay_or_execute::<Post, _>(caller, key, || async move {
        let runtime = caller.runtime;
        let org = caller.organization_id();
        let delegation_policies =
            service::resolve_policies(&runtime.db, &runtime.store, org, post.channel_ids()).await?;
        let command = PostCommand::MarkPublished {
            publisher_id,
            publisher_roles,
            network_post_id: input.network_post_id,
            url: input.url,
            delegation_policies,
            now: chorus_kernel::now(),
        };
        Ok((input.post_id, command))
    })
    .await
}
