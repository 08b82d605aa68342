//! The post mutations (`draftPost`, `editPost`, `submitPost`, `withdrawPost`,
//! `approvePost`, `rejectPost`, `schedulePost`, `markPublished`, `retractPost`), their
//! inputs and payload.

use std::future::Future;

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{decode_id, outcome_uuid, principal, runtime, seal, Caller};
use chorus_content_domain as content;
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::commands::{
    approve_post, draft_post, edit_post, mark_published, reject_post, retract_post, schedule_post,
    submit_post, withdraw_post, SchedulePost, SubmitPost, WithdrawPost,
};
use crate::graphql::enums::ContentFlag;
use crate::graphql::post::Post;
use crate::graphql::shared::{batch, parse, parse_opt, payload};
use crate::{commands, read};

payload!(/// Result of post mutations.
    PostPayload { post: Option<Post> });

#[derive(InputObject, Serialize)]
pub struct DraftPostInput {
    /// 1 to 10 channels of the organization.
    channel_ids: Vec<ID>,
    text: String,
    #[graphql(default)]
    media_urls: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    /// Flags the author sets; the lexicon adds others.
    #[graphql(default)]
    flags: Vec<ContentFlag>,
    idempotency_key: Option<String>,
}

/// Replaces the post's content; voids collected approvals.
#[derive(InputObject, Serialize)]
pub struct EditPostInput {
    post_id: ID,
    text: String,
    #[graphql(default)]
    media_urls: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    #[graphql(default)]
    flags: Vec<ContentFlag>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct PostActionInput {
    post_id: ID,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ApprovePostInput {
    post_id: ID,
    /// The step to sign; default: the first open step you may sign.
    step: Option<String>,
    comment: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RejectPostInput {
    post_id: ID,
    /// Why; required.
    comment: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct SchedulePostInput {
    post_id: ID,
    scheduled_at: DateTime<Utc>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct MarkPublishedInput {
    post_id: ID,
    /// The id the network gave the post.
    network_post_id: String,
    /// The post's public address.
    url: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetractPostInput {
    post_id: ID,
    reason: String,
    idempotency_key: Option<String>,
}

/// Decodes the channels of a new post: 1 to `MAX_CHANNELS` distinct channel ids (the
/// use case checks that they are the caller's organization's and live).
fn post_channels(ids: &[ID]) -> ApiResult<Vec<Uuid>> {
    if ids.is_empty() || ids.len() > content::post::MAX_CHANNELS {
        return Err(ApiError::bad_input(
            "channelIds",
            format!("must list 1 to {} channels", content::post::MAX_CHANNELS),
        ));
    }
    let mut channels: Vec<Uuid> = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let uuid = decode_id("Channel", &format!("channelIds[{index}]"), id)?;
        if channels.contains(&uuid) {
            return Err(ApiError::bad_input(
                "channelIds",
                "must not repeat a channel",
            ));
        }
        channels.push(uuid);
    }
    Ok(channels)
}

fn media(urls: &[String]) -> ApiResult<Vec<content::MediaUrl>> {
    urls.iter()
        .enumerate()
        .map(|(i, url)| parse(&format!("mediaUrls[{i}]"), url))
        .collect()
}

/// A draft's or an edit's request: the already parsed `$field` (the post's channels or
/// id), then the post's content parsed from input `$i`.
macro_rules! post_content_request {
    ($($request:ident)::+, $i:ident, $field:ident) => {
        Ok($($request)::+ {
            $field,
            text: parse("text", &$i.text)?,
            media: media(&$i.media_urls)?,
            campaign: parse_opt("campaign", &$i.campaign)?,
            scheduled_at: $i.scheduled_at,
            author_flags: $i.flags.iter().map(|f| (*f).into()).collect(),
        })
    };
}

/// The post part of [`super::ContentMutation`].
#[derive(Default)]
pub struct PostMutation;

/// What every post mutation answers.
type PostAnswer = async_graphql::Result<PostPayload>;

#[Object]
impl PostMutation {
    /// Drafts a post for one or more channels; the lexicon adds flags. Authors only.
    async fn draft_post(&self, ctx: &Context<'_>, input: DraftPostInput) -> PostAnswer {
        let parse = |i: &DraftPostInput| {
            let channel_ids = post_channels(&i.channel_ids)?;
            post_content_request!(commands::DraftPost, i, channel_ids)
        };
        post_mutation(ctx, "draftPost", &input, parse, draft_post).await
    }

    /// Replaces a post's content; any approval is voided. The author only.
    async fn edit_post(&self, ctx: &Context<'_>, input: EditPostInput) -> PostAnswer {
        let parse = |i: &EditPostInput| {
            let post_id = post_id(&i.post_id)?;
            post_content_request!(commands::EditPost, i, post_id)
        };
        post_mutation(ctx, "editPost", &input, parse, edit_post).await
    }

    /// Submits a post for approval under the policies in force now. The author only.
    async fn submit_post(&self, ctx: &Context<'_>, input: PostActionInput) -> PostAnswer {
        let parse = |i: &PostActionInput| post_id(&i.post_id).map(|post_id| SubmitPost { post_id });
        post_mutation(ctx, "submitPost", &input, parse, submit_post).await
    }

    /// Takes a post out of review, back to draft. The author only.
    async fn withdraw_post(&self, ctx: &Context<'_>, input: PostActionInput) -> PostAnswer {
        let parse =
            |i: &PostActionInput| post_id(&i.post_id).map(|post_id| WithdrawPost { post_id });
        post_mutation(ctx, "withdrawPost", &input, parse, withdraw_post).await
    }

    /// Signs a step of a post in review, as the policy step allows.
    async fn approve_post(&self, ctx: &Context<'_>, input: ApprovePostInput) -> PostAnswer {
        let parse = |i: &ApprovePostInput| {
            let post_id = post_id(&i.post_id)?;
            let step = parse_opt("step", &i.step)?;
            let comment = parse_opt("comment", &i.comment)?;
            Ok(commands::ApprovePost {
                post_id,
                step,
                comment,
            })
        };
        post_mutation(ctx, "approvePost", &input, parse, approve_post).await
    }

    /// Refuses a post in review, with a comment, as the policy step allows.
    async fn reject_post(&self, ctx: &Context<'_>, input: RejectPostInput) -> PostAnswer {
        let parse = |i: &RejectPostInput| {
            let comment = non_empty("comment", &i.comment)?;
            let post_id = post_id(&i.post_id)?;
            Ok(commands::RejectPost { post_id, comment })
        };
        post_mutation(ctx, "rejectPost", &input, parse, reject_post).await
    }

    /// Sets or moves a post's publication time. The author only.
    async fn schedule_post(&self, ctx: &Context<'_>, input: SchedulePostInput) -> PostAnswer {
        let parse = |i: &SchedulePostInput| {
            let scheduled_at = i.scheduled_at;
            post_id(&i.post_id).map(|post_id| SchedulePost {
                post_id,
                scheduled_at,
            })
        };
        post_mutation(ctx, "schedulePost", &input, parse, schedule_post).await
    }

    /// Records that a post went out (approved, or flag-free under delegated authority).
    /// Social media role holders, or integrators with `content:publish`.
    async fn mark_published(&self, ctx: &Context<'_>, input: MarkPublishedInput) -> PostAnswer {
        let parse = |i: &MarkPublishedInput| {
            Ok(commands::MarkPublished {
                post_id: post_id(&i.post_id)?,
                network_post_id: parse("networkPostId", &i.network_post_id)?,
                url: parse("url", &i.url)?,
            })
        };
        post_mutation(ctx, "markPublished", &input, parse, mark_published).await
    }

    /// Takes a published post down, with a reason. Publishers, legal-role holders and
    /// organization admins.
    async fn retract_post(&self, ctx: &Context<'_>, input: RetractPostInput) -> PostAnswer {
        let parse = |i: &RetractPostInput| {
            let post_id = post_id(&i.post_id)?;
            let reason = non_empty("reason", &i.reason)?;
            Ok(commands::RetractPost { post_id, reason })
        };
        post_mutation(ctx, "retractPost", &input, parse, retract_post).await
    }
}

/// A post mutation: the idempotency key is bound to the request, `parse` turns the input
/// into the use case's request, `use_case` runs it; the answer carries the post.
async fn post_mutation<'c, I: Keyed, R, Fut>(
    ctx: &'c Context<'_>,
    name: &'static str,
    input: &I,
    parse: impl FnOnce(&I) -> ApiResult<R>,
    use_case: impl FnOnce(Caller<'c>, R, Option<IdempotencyKey>) -> Fut,
) -> PostAnswer
where
    Fut: Future<Output = ApiResult<CommandOutcome>>,
{
    async {
        let key = input.idempotency_key();
        let (caller, key) = Caller::for_mutation(ctx, name, key, input)?;
        let request = parse(input)?;
        let outcome = use_case(caller, request, key).await?;
        post_payload(ctx, &outcome).await
    }
    .await
    .gql()
}

/// A post mutation's input, which carries the request's idempotency key.
trait Keyed: Serialize {
    fn idempotency_key(&self) -> Option<&String>;
}

macro_rules! keyed {
    ($($input:ty),*) => {
        $(impl Keyed for $input {
            fn idempotency_key(&self) -> Option<&String> {
                self.idempotency_key.as_ref()
            }
        })*
    };
}

keyed!(
    DraftPostInput,
    EditPostInput,
    PostActionInput,
    ApprovePostInput,
    RejectPostInput,
    SchedulePostInput,
    MarkPublishedInput,
    RetractPostInput
);

fn post_id(id: &ID) -> ApiResult<Uuid> {
    decode_id("Post", "postId", id)
}

/// A comment or reason that must say something.
fn non_empty(field: &str, text: &str) -> ApiResult<content::Comment> {
    let comment: content::Comment = parse(field, text)?;
    if comment.is_empty() {
        return Err(ApiError::bad_input(field, "must not be empty"));
    }
    Ok(comment)
}

async fn post_payload(ctx: &Context<'_>, outcome: &CommandOutcome) -> ApiResult<PostPayload> {
    let id = outcome_uuid(outcome)?;
    let org = principal(ctx)?.organization_id;
    let batch = batch(ctx)?;
    Ok(PostPayload {
        post: read::post(&runtime(ctx)?.db, org, id)
            .await?
            .map(|row| Post::new(row, &batch)),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}
