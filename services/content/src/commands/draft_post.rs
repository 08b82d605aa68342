//! `draftPost`: an author with a qualifying role for every channel writes a post; the
//! lexicon's matches are recorded with it.

use chorus_api::{ApiError, ApiResult, Caller};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{replay_or_execute, require_author, require_reader, Outcome, RetryKey};
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

pub async fn draft_post(caller: Caller<'_>, input: DraftPost, key: RetryKey) -> Outcome {
    require_reader(&caller)?;
    replay_or_execute::<Post, _>(caller, key, || drafted(caller, input)).await
}

/// The new post's id and its `DraftPost` command, once its channels are live and the
/// caller may author on all of them.
async fn drafted(caller: Caller<'_>, input: DraftPost) -> ApiResult<(Uuid, PostCommand)> {
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
    Ok((post_id, command))
}
