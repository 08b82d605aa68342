use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::values::{HeldRole, ReviewKind, ReviewOutcome, ReviewSubjectKind, ReviewText};

/// Commands accepted by the [`LegalReview`](super::LegalReview) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum LegalReviewCommand {
    /// Record a legal review.
    LogLegalReview {
        /// Id of the new review (also the aggregate id).
        review_id: Uuid,
        /// Organization the review belongs to.
        organization_id: Uuid,
        /// What kind of thing was reviewed.
        subject_kind: ReviewSubjectKind,
        /// Id of the subject in Chorus; required for a post.
        subject_id: Option<Uuid>,
        /// Reference to a subject outside Chorus (UGC link, campaign or
        /// contract number): 1 to 500 characters. A non-post review needs
        /// an id or a reference.
        subject_reference: Option<String>,
        /// Which legal question was answered.
        kind: ReviewKind,
        /// The verdict.
        outcome: ReviewOutcome,
        /// Conditions of a clearance; required with
        /// [`ReviewOutcome::ClearedWithConditions`].
        conditions: Option<ReviewText>,
        /// Notes.
        notes: Option<ReviewText>,
        /// Supporting references (documents, links): at most 20, each 1 to
        /// 500 characters.
        references: Vec<String>,
        /// Who reviewed.
        reviewer_id: Uuid,
        /// The reviewer's role now; must be in the legal function.
        reviewer_role: HeldRole,
        /// The application's current time.
        now: DateTime<Utc>,
    },
}
