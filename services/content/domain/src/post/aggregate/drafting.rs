//! Drafting: a post is written for its channels and edited; an edit voids the sign-offs
//! collected so far.

use chorus_shared::refuse_if;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Decision, Post, MAX_CHANNELS, MAX_MEDIA};
use crate::lexicon::LexiconMatch;
use crate::post::{PostError, PostEvent, VoidReason};
use crate::values::{
    CampaignName, ContentFlag, FlagSource, HeldRole, MediaUrl, PostFlag, PostStatus, PostText,
    ValueError,
};

/// What the author wrote: the fields a draft and an edit share.
pub(super) struct Written {
    pub(super) text: PostText,
    pub(super) media: Vec<MediaUrl>,
    pub(super) campaign: Option<CampaignName>,
    pub(super) scheduled_at: Option<DateTime<Utc>>,
    pub(super) author_flags: Vec<ContentFlag>,
    pub(super) lexicon_matches: Vec<LexiconMatch>,
}

/// [`Written`] checked, in the form the events record.
struct Checked {
    text: String,
    media: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    flags: Vec<PostFlag>,
}

impl Written {
    fn check(self, now: DateTime<Utc>) -> Result<Checked, PostError> {
        let media = check_media(&self.media)?;
        check_schedule(self.scheduled_at, now)?;
        Ok(Checked {
            text: self.text.into_inner(),
            media,
            campaign: self.campaign.map(String::from),
            scheduled_at: self.scheduled_at,
            flags: merge_flags(&self.author_flags, &self.lexicon_matches),
        })
    }
}

impl Post {
    #[allow(clippy::too_many_arguments)] // the fields of `DraftPost`, one for one
    pub(super) fn draft(
        &self,
        post_id: Uuid,
        organization_id: Uuid,
        author_id: Uuid,
        author_roles: Vec<HeldRole>,
        channel_ids: Vec<Uuid>,
        written: Written,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        refuse_if(self.exists(), PostError::AlreadyExists)?;
        if channel_ids.is_empty() || channel_ids.len() > MAX_CHANNELS {
            return Err(ValueError::new(
                "channelIds",
                format!("must list 1 to {MAX_CHANNELS} channels"),
            )
            .into());
        }
        if channel_ids
            .iter()
            .enumerate()
            .any(|(index, id)| channel_ids[..index].contains(id))
        {
            return Err(ValueError::new("channelIds", "must not repeat a channel").into());
        }
        let written = written.check(now)?;
        Ok(Decision::Events(vec![PostEvent::PostDrafted {
            post_id,
            organization_id,
            author_id,
            author_roles,
            channel_ids,
            text: written.text,
            media: written.media,
            campaign: written.campaign,
            scheduled_at: written.scheduled_at,
            flags: written.flags,
            at: now,
        }]))
    }

    pub(super) fn edit(
        &self,
        editor_id: Uuid,
        written: Written,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_author(editor_id)?;
        self.ensure_status(&[
            PostStatus::Draft,
            PostStatus::InReview,
            PostStatus::Approved,
            PostStatus::Scheduled,
            PostStatus::Rejected,
        ])?;
        let written = written.check(now)?;
        let mut events: Vec<PostEvent> =
            self.voiding(VoidReason::Edited, now).into_iter().collect();
        events.push(PostEvent::PostEdited {
            editor_id,
            text: written.text,
            media: written.media,
            campaign: written.campaign,
            scheduled_at: written.scheduled_at,
            flags: written.flags,
            at: now,
        });
        Ok(Decision::Events(events))
    }
}

/// Author flags first (deduplicated, in order), then the first lexicon
/// match of every flag the author did not set.
fn merge_flags(author_flags: &[ContentFlag], lexicon_matches: &[LexiconMatch]) -> Vec<PostFlag> {
    let mut flags: Vec<PostFlag> = Vec::new();
    for flag in author_flags {
        if !flags.iter().any(|existing| existing.flag == *flag) {
            flags.push(PostFlag {
                flag: *flag,
                source: FlagSource::Author,
            });
        }
    }
    for found in lexicon_matches {
        if !flags.iter().any(|existing| existing.flag == found.flag) {
            flags.push(PostFlag {
                flag: found.flag,
                source: FlagSource::Lexicon {
                    lexicon_version: found.lexicon_version,
                    term: found.term.clone(),
                },
            });
        }
    }
    flags
}

fn check_media(media: &[MediaUrl]) -> Result<Vec<String>, PostError> {
    if media.len() > MAX_MEDIA {
        return Err(
            ValueError::new("mediaUrls", format!("must list at most {MAX_MEDIA} items")).into(),
        );
    }
    Ok(media.iter().map(|url| url.as_str().to_owned()).collect())
}

pub(super) fn check_schedule(
    scheduled_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    refuse_if(
        scheduled_at.is_some_and(|at| at <= now),
        PostError::ScheduleInPast,
    )?;
    Ok(())
}
