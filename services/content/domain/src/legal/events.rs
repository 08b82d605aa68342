use chorus_teams_domain::values::Responsibility;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{ReviewKind, ReviewOutcome, ReviewSubjectKind};

/// Facts recorded by the [`LegalReview`](super::LegalReview) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum LegalReviewEvent {
    /// A legal review was logged.
    LegalReviewLogged {
        /// Id of the review.
        review_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// What kind of thing was reviewed.
        subject_kind: ReviewSubjectKind,
        /// Id of the subject in Chorus, if any.
        subject_id: Option<Uuid>,
        /// Reference to a subject outside Chorus, if any.
        subject_reference: Option<String>,
        /// Which legal question was answered.
        kind: ReviewKind,
        /// The verdict.
        outcome: ReviewOutcome,
        /// Conditions of the clearance, if any.
        conditions: Option<String>,
        /// Notes, if any.
        notes: Option<String>,
        /// Supporting references.
        references: Vec<String>,
        /// Who reviewed.
        reviewer_id: Uuid,
        /// The reviewer's legal role assignment.
        reviewer_assignment_id: Uuid,
        /// Responsibility of that role (e.g. UGC counsel), if any.
        reviewer_responsibility: Option<Responsibility>,
        /// When.
        at: DateTime<Utc>,
    },
}

chorus_shared::domain_event!(LegalReviewEvent);
