//! `submitPost`: the author sends a post for approval under the policies in force now.

use chorus_api::Caller;
use uuid::Uuid;

use super::{as_author, Outcome, RetryKey};
use crate::domain::PostCommand;
use crate::service;

/// A parsed `submitPost` request.
#[derive(Debug, Clone, Copy)]
pub struct SubmitPost {
    pub post_id: Uuid,
}

pub async fn submit_post(caller: Caller<'_>, input: SubmitPost, key: RetryKey) -> Outcome {
    as_author(caller, input.post_id, key, |post, by| async move {
        let runtime = caller.runtime;
        let org = caller.organization_id();
        let policies =
            service::resolve_policies(&runtime.db, &runtime.store, org, post.channel_ids()).await?;
        let now = chorus_kernel::now();
        Ok(PostCommand::SubmitPost { policies, by, now })
    })
    .await
}
