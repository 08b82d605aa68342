//! `editPost`: the author replaces a post's content; the lexicon's matches are recorded
//! again and any approval is voided (the domain decides).

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{load_post, require_author, require_reader};
use crate::domain::{CampaignName, ContentFlag, MediaUrl, Post, PostCommand, PostText};
use crate::service;

/// A parsed `editPost` request: the post's new content.
#[derive(Debug, Clone)]
pub struct EditPost {
    pub post_id: Uuid,
    pub text: PostText,
    pub media: Vec<MediaUrl>,
    pub campaign: Option<CampaignName>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub author_flags: Vec<ContentFlag>,
}

pub async fn edit_post(
    caller: Caller<'_>,
    input: EditPost,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_reader(&caller)?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let post = load_post(caller, input.post_id).await?;
    let (editor_id, _) = require_author(caller, post.channel_ids()).await?;
    let lexicon_matches = service::scan_lexicon(
        &caller.runtime.store,
        caller.organization_id(),
        input.text.as_str(),
    )
    .await?;
    let command = PostCommand::EditPost {
        text: input.text,
        media: input.media,
        campaign: input.campaign,
        scheduled_at: input.scheduled_at,
        author_flags: input.author_flags,
        lexicon_matches,
        editor_id,
        now: chorus_kernel::now(),
    };
    execute_for::<Post>(caller, input.post_id, command, key).await
}
