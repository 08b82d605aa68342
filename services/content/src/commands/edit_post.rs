//! `editPost`: the author replaces a post's content; the lexicon's matches are recorded
//! again and any approval is voided (the domain decides).

use chorus_api::Caller;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{as_author, Outcome, RetryKey};
use crate::domain::{CampaignName, ContentFlag, MediaUrl, PostCommand, PostText};
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

pub async fn edit_post(caller: Caller<'_>, input: EditPost, key: RetryKey) -> Outcome {
    as_author(caller, input.post_id, key, |_, editor_id| async move {
        let org = caller.organization_id();
        let text = input.text.as_str();
        let lexicon_matches = service::scan_lexicon(&caller.runtime.store, org, text).await?;
        Ok(PostCommand::EditPost {
            text: input.text,
            media: input.media,
            campaign: input.campaign,
            scheduled_at: input.scheduled_at,
            author_flags: input.author_flags,
            lexicon_matches,
            editor_id,
            now: chorus_kernel::now(),
        })
    })
    .await
}
