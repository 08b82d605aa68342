//! `draftPost`: an author with a qualifying role for every channel writes a post; the
//! lexicon's matches are recorded with it.

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{require_author, require_reader};
use crate::domain::{CampaignName, ContentFlag, MediaUrl, Post, PostCommand, PostText};
use crate::service;

/// A parsed `draftPost` request. `channel_ids` holds 1 to `MAX_CHANNELS` distinct ids.
#[derive(Debug, Clone)]
pub struct DraftPost {
    pub channel_ids: Vec<Uuid>,
    pub text: PostText,
    pub media: Vec<MediaUrl>,
    pub campaign: Option<CampaignName>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub author_flags: Vec<ContentFlag>,
}

pub async fn draft_post(
    caller: Caller<'_>,
    input: DraftPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    for (index, id) in input.channel_ids.iter().enumerate() {
        let channel = chorus_teams::api::channel(caller, *id).await?;
        if channel.retired_at.is_some() {
            return Err(ApiError::Domain {
                code: "CHANNEL_RETIRED",
                message: format!("channelIds[{index}]: the channel is retired"),
            });
        }
    }
    let (author_id, author_roles) = require_author(caller, &input.channel_ids).await?;
    let lexicon_matches = service::scan_lexicon(
        &caller.runtime.store,
        caller.organization_id(),
        input.text.as_str(),
    )
    .await?;
    let post_id = Uuid::now_v7();
    let command = PostCommand::DraftPost {
        post_id,
        organization_id: caller.organization_id(),
        author_id,
        author_roles,
        channel_ids: input.channel_ids,
        text: input.text,
        media: input.media,
        campaign: input.campaign,
        scheduled_at: input.scheduled_at,
        author_flags: input.author_flags,
        lexicon_matches,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, post_id, command, key).await
}
