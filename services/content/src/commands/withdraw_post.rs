//! `withdrawPost`: the author takes a post out of review, back to draft.

use chorus_api::Caller;
use uuid::Uuid;

use super::{as_author, Outcome, RetryKey};
use crate::domain::PostCommand;

/// A parsed `withdrawPost` request.
#[derive(Debug, Clone, Copy)]
pub struct WithdrawPost {
    pub post_id: Uuid,
}

pub async fn withdraw_post(caller: Caller<'_>, input: WithdrawPost, key: RetryKey) -> Outcome {
    as_author(caller, input.post_id, key, |_, by| async move {
        let now = chorus_kernel::now();
        Ok(PostCommand::WithdrawPost { by, now })
    })
    .await
}
