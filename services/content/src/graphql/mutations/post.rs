//! The post mutations (`draftPost`, `editPost`, `submitPost`, `withdrawPost`,
//! `approvePost`, `rejectPost`, `schedulePost`, `markPublished`, `retractPost`), their
//! inputs and payload.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{decode_id, outcome_uuid, principal, runtime, seal, Caller};
use chorus_content_domain as content;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

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

/// The post part of [`super::ContentMutation`].
#[derive(Default)]
pub struct PostMutation;

#[Object]
impl PostMutation {
    /// Drafts a post for one or more channels; the lexicon adds flags. Authors only.
    async fn draft_post(
        &self,
        ctx: &Context<'_>,
        input: DraftPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "draftPost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::DraftPost {
                channel_ids: post_channels(&input.channel_ids)?,
                text: parse("text", &input.text)?,
                media: media(&input.media_urls)?,
                campaign: parse_opt("campaign", &input.campaign)?,
                scheduled_at: input.scheduled_at,
                author_flags: input.flags.iter().map(|f| (*f).into()).collect(),
            };
            let outcome = commands::draft_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Replaces a post's content; any approval is voided. The author only.
    async fn edit_post(
        &self,
        ctx: &Context<'_>,
        input: EditPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "editPost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::EditPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                text: parse("text", &input.text)?,
                media: media(&input.media_urls)?,
                campaign: parse_opt("campaign", &input.campaign)?,
                scheduled_at: input.scheduled_at,
                author_flags: input.flags.iter().map(|f| (*f).into()).collect(),
            };
            let outcome = commands::edit_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Submits a post for approval under the policies in force now. The author only.
    async fn submit_post(
        &self,
        ctx: &Context<'_>,
        input: PostActionInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "submitPost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::SubmitPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
            };
            let outcome = commands::submit_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Takes a post out of review, back to draft. The author only.
    async fn withdraw_post(
        &self,
        ctx: &Context<'_>,
        input: PostActionInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "withdrawPost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::WithdrawPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
            };
            let outcome = commands::withdraw_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Signs a step of a post in review, as the policy step allows.
    async fn approve_post(
        &self,
        ctx: &Context<'_>,
        input: ApprovePostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "approvePost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::ApprovePost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                step: parse_opt("step", &input.step)?,
                comment: parse_opt("comment", &input.comment)?,
            };
            let outcome = commands::approve_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Refuses a post in review, with a comment, as the policy step allows.
    async fn reject_post(
        &self,
        ctx: &Context<'_>,
        input: RejectPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "rejectPost", input.idempotency_key.as_ref(), &input)?;
            let comment: content::Comment = parse("comment", &input.comment)?;
            if comment.is_empty() {
                return Err(ApiError::bad_input("comment", "must not be empty"));
            }
            let parsed = commands::RejectPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                comment,
            };
            let outcome = commands::reject_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Sets or moves a post's publication time. The author only.
    async fn schedule_post(
        &self,
        ctx: &Context<'_>,
        input: SchedulePostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "schedulePost", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::SchedulePost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                scheduled_at: input.scheduled_at,
            };
            let outcome = commands::schedule_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Records that a post went out (approved, or flag-free under delegated authority).
    /// Social media role holders, or integrators with `content:publish`.
    async fn mark_published(
        &self,
        ctx: &Context<'_>,
        input: MarkPublishedInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "markPublished", input.idempotency_key.as_ref(), &input)?;
            let parsed = commands::MarkPublished {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                network_post_id: parse("networkPostId", &input.network_post_id)?,
                url: parse("url", &input.url)?,
            };
            let outcome = commands::mark_published(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Takes a published post down, with a reason. Publishers, legal-role holders and
    /// organization admins.
    async fn retract_post(
        &self,
        ctx: &Context<'_>,
        input: RetractPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "retractPost", input.idempotency_key.as_ref(), &input)?;
            let post_id = decode_id("Post", "postId", &input.post_id)?;
            let reason: content::Comment = parse("reason", &input.reason)?;
            if reason.is_empty() {
                return Err(ApiError::bad_input("reason", "must not be empty"));
            }
            let parsed = commands::RetractPost { post_id, reason };
            let outcome = commands::retract_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }
}

async fn post_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<PostPayload> {
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
