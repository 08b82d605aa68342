//! The rows the content read models are read into, and the column lists that select them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub(super) const POST_COLUMNS: &str = "p.id, p.organization_id, p.author_id, p.status, p.text, p.media, p.campaign, \
     p.scheduled_at, p.flags, p.legal_block_review_id, p.approved_at, p.published_by, \
     p.published_network_post_id, p.published_url, p.published_at, p.delegated_policy_id, \
     p.delegated_policy_version, p.delegated_assignment_id, p.delegated_function, \
     p.delegated_responsibility, p.retracted_at, p.retracted_by, p.retraction_reason, p.expired_at, \
     p.created_at, p.updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub author_id: Uuid,
    pub status: String,
    pub text: String,
    pub media: String,
    pub campaign: Option<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub flags: String,
    pub legal_block_review_id: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_by: Option<Uuid>,
    pub published_network_post_id: Option<String>,
    pub published_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub delegated_policy_id: Option<Uuid>,
    pub delegated_policy_version: Option<i64>,
    pub delegated_assignment_id: Option<Uuid>,
    pub delegated_function: Option<String>,
    pub delegated_responsibility: Option<String>,
    pub retracted_at: Option<DateTime<Utc>>,
    pub retracted_by: Option<Uuid>,
    pub retraction_reason: Option<String>,
    pub expired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) const APPROVAL_COLUMNS: &str = "a.post_id, a.sequence, a.signer_id, a.assignment_id, a.function, \
     a.responsibility, a.step, a.policy_id, a.policy_version, a.signed_at, a.comment, a.voided_at, a.void_reason";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovalRow {
    pub post_id: Uuid,
    pub sequence: i64,
    pub signer_id: Uuid,
    pub assignment_id: Uuid,
    pub function: String,
    pub responsibility: Option<String>,
    pub step: String,
    pub policy_id: Uuid,
    pub policy_version: i64,
    pub signed_at: DateTime<Utc>,
    pub comment: Option<String>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineRow {
    pub post_id: Uuid,
    pub sequence: i64,
    pub global_position: i64,
    pub event_type: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub function: Option<String>,
    pub responsibility: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub policy_id: Option<Uuid>,
    pub policy_version: Option<i64>,
    pub details: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenStepRow {
    pub post_id: Uuid,
    pub policy_id: Uuid,
    pub step: String,
    pub policy_version: i64,
    pub step_order: i64,
    pub required_signatures: i64,
    pub signatures: i64,
}

pub(super) const POLICY_COLUMNS: &str =
    "policy_id, version, organization_id, scope_kind, scope_id, definition, \
     defined_by, valid_from, valid_to, retired_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PolicyRow {
    pub policy_id: Uuid,
    pub version: i64,
    pub organization_id: Uuid,
    pub scope_kind: String,
    pub scope_id: Uuid,
    pub definition: String,
    pub defined_by: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LexiconTermRow {
    pub flag: String,
    pub term: String,
    pub added_in_version: i64,
    pub added_at: DateTime<Utc>,
}

pub(super) const REVIEW_COLUMNS: &str = "id, organization_id, subject_kind, subject_id, subject_reference, kind, outcome, \
     conditions, notes, review_references, reviewer_id, reviewer_assignment_id, reviewer_responsibility, reviewed_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LegalReviewRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    pub subject_reference: Option<String>,
    pub kind: String,
    pub outcome: String,
    pub conditions: Option<String>,
    pub notes: Option<String>,
    pub review_references: String,
    pub reviewer_id: Uuid,
    pub reviewer_assignment_id: Uuid,
    pub reviewer_responsibility: Option<String>,
    pub reviewed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarRow {
    pub channel_id: Uuid,
    pub channel_order: i64,
    #[sqlx(flatten)]
    pub post: PostRow,
}

/// A published post that breaks a compliance rule, with the rules it breaks (0 or 1).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ViolationRow {
    /// An approval of the post was voided at or after its publication.
    pub voided_after_publication: i64,
    /// A counted approval was signed under an assignment not active at signing time.
    pub approver_without_role: i64,
    /// The delegated publisher's assignment was not active at publication time.
    pub delegate_without_role: i64,
    #[sqlx(flatten)]
    pub post: PostRow,
}
