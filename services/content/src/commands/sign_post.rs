//! `approvePost` and `rejectPost`: a signer signs a step of a post in review, or refuses
//! the post with a comment, as the policies the post was submitted under allow (the
//! domain decides which step, whether it completes, and who is entitled).

use chorus_api::Caller;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{load_post, person_id, replay_or_execute, require_reader, Outcome, RetryKey};
use crate::domain::{Comment, HeldRole, Post, PostCommand, StepName};
use crate::service;

/// A parsed `approvePost` request; without `step`, the first open step the signer may sign.
#[derive(Debug, Clone)]
pub struct ApprovePost {
    pub post_id: Uuid,
    pub step: Option<StepName>,
    pub comment: Option<Comment>,
}

/// A parsed `rejectPost` request; the comment is not empty.
#[derive(Debug, Clone)]
pub struct RejectPost {
    pub post_id: Uuid,
    pub comment: Comment,
}

pub async fn approve_post(caller: Caller<'_>, input: ApprovePost, key: RetryKey) -> Outcome {
    let sign = |signer_id, signer_roles, now| PostCommand::ApprovePost {
        signer_id,
        signer_roles,
        step: input.step,
        comment: input.comment,
        now,
    };
    signed(
        caller,
        input.post_id,
        "only people may approve posts",
        sign,
        key,
    )
    .await
}

pub async fn reject_post(caller: Caller<'_>, input: RejectPost, key: RetryKey) -> Outcome {
    let refuse = |signer_id, signer_roles, now| PostCommand::RejectPost {
        signer_id,
        signer_roles,
        comment: input.comment,
        now,
    };
    signed(
        caller,
        input.post_id,
        "only people may reject posts",
        refuse,
        key,
    )
    .await
}

/// Replay, then the signer (a person, `refusal` otherwise) with the roles that qualify
/// them for the post's channels now, then the command `decide` builds from them.
async fn signed(
    caller: Caller<'_>,
    post_id: Uuid,
    refusal: &'static str,
    decide: impl FnOnce(Uuid, Vec<HeldRole>, DateTime<Utc>) -> PostCommand,
    key: RetryKey,
) -> Outcome {
    require_reader(&caller)?;
    replay_or_execute::<Post, _>(caller, key, || async move {
        let signer_id = person_id(caller.principal, refusal)?;
        let post = load_post(caller, post_id).await?;
        let now = chorus_kernel::now();
        let signer_roles = service::qualifying_roles(
            &caller.runtime.db,
            caller.organization_id(),
            signer_id,
            post.channel_ids(),
            now,
        )
        .await?;
        Ok((post_id, decide(signer_id, signer_roles, now)))
    })
    .await
}
