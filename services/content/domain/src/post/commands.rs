use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::lexicon::LexiconMatch;
use crate::policy::PolicySnapshot;
use crate::values::{
    CampaignName, Comment, ContentFlag, HeldRole, MediaUrl, NetworkPostId, PostText, PublishedUrl,
    ReviewOutcome, StepName,
};

/// Commands accepted by the [`Post`](super::Post) aggregate.
///
/// Everything the rules need from elsewhere arrives inside the command,
/// computed by the application layer: the current time `now`, new ids, the
/// roles an actor holds at that instant (only those whose scope covers the
/// post), the policy versions that apply and the lexicon's matches.
#[derive(Debug, Clone, PartialEq)]
pub enum PostCommand {
    /// Write a new post.
    DraftPost {
        /// Id of the new post (also the aggregate id).
        post_id: Uuid,
        /// Organization the post belongs to.
        organization_id: Uuid,
        /// Who writes it.
        author_id: Uuid,
        /// Roles the author holds now; recorded for policy conditions.
        author_roles: Vec<HeldRole>,
        /// Channels to publish on: 1 to 10, no repeats.
        channel_ids: Vec<Uuid>,
        /// The text.
        text: PostText,
        /// Attached media, at most 10.
        media: Vec<MediaUrl>,
        /// Campaign it belongs to, if any.
        campaign: Option<CampaignName>,
        /// When it should go out, if planned; must be after `now`.
        scheduled_at: Option<DateTime<Utc>>,
        /// Flags the author sets.
        author_flags: Vec<ContentFlag>,
        /// What the organization's lexicon found in `text`.
        lexicon_matches: Vec<LexiconMatch>,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Replace the post's content; voids any approval and returns the post
    /// to draft. Only the author edits.
    EditPost {
        /// The new text.
        text: PostText,
        /// The new media, at most 10.
        media: Vec<MediaUrl>,
        /// The new campaign.
        campaign: Option<CampaignName>,
        /// The new publication time; must be after `now`.
        scheduled_at: Option<DateTime<Utc>>,
        /// Flags the author sets.
        author_flags: Vec<ContentFlag>,
        /// What the lexicon found in the new text.
        lexicon_matches: Vec<LexiconMatch>,
        /// Who edits.
        editor_id: Uuid,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Ask for approval under the policies that apply now.
    SubmitPost {
        /// Current versions of the policies whose scope covers the post.
        policies: Vec<PolicySnapshot>,
        /// Who submits (the author).
        by: Uuid,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Take a post out of review, back to draft.
    WithdrawPost {
        /// Who withdraws (the author).
        by: Uuid,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Sign off one step.
    ApprovePost {
        /// Who signs.
        signer_id: Uuid,
        /// Roles the signer holds now, covering the post.
        signer_roles: Vec<HeldRole>,
        /// Step to sign; `None` picks the first incomplete applicable step
        /// the signer is entitled to and has not signed.
        step: Option<StepName>,
        /// Remark, if any.
        comment: Option<Comment>,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Refuse the post.
    RejectPost {
        /// Who rejects.
        signer_id: Uuid,
        /// Roles the signer holds now, covering the post.
        signer_roles: Vec<HeldRole>,
        /// Why; must not be empty.
        comment: Comment,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Set (or move) the publication time.
    SchedulePost {
        /// When the post should go out; must be after `now`.
        scheduled_at: DateTime<Utc>,
        /// Who schedules (the author).
        by: Uuid,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Record that the post went out on its network.
    MarkPublished {
        /// Who published.
        publisher_id: Uuid,
        /// Roles the publisher holds now, covering the post.
        publisher_roles: Vec<HeldRole>,
        /// Id the network gave the post.
        network_post_id: NetworkPostId,
        /// Public address of the post.
        url: PublishedUrl,
        /// Current versions of the policies covering the post, consulted
        /// for delegated authority after the ones recorded at submission
        /// (a draft has none recorded).
        delegation_policies: Vec<PolicySnapshot>,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Take a published post down.
    RetractPost {
        /// Why; must not be empty.
        reason: Comment,
        /// Who retracts.
        by: Uuid,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Mark a post whose publication time passed unapproved as expired.
    ExpirePost {
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Apply the outcome of a legal review of this post.
    ApplyLegalReview {
        /// The review.
        review_id: Uuid,
        /// Its outcome.
        outcome: ReviewOutcome,
        /// The application's current time.
        now: DateTime<Utc>,
    },
}
