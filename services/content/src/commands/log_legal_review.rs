//! `logLegalReview`: a legal-role holder logs a review; a review of a post is then
//! applied to it (a block stops its approval and publication until a later review
//! clears it). Two commands, the review's and the post's: the second runs under a key
//! derived from the request's, so a retry finishes it if the first attempt stopped
//! before it.

use chorus_api::{
    decode_stored, execute_for, outcome_uuid, replayed_for, ApiError, ApiResult, Caller,
};
use chorus_kernel::{CommandOutcome, IdempotencyKey, LogPosition};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{load_post, person_id, require_reader};
use crate::domain::{
    LegalReview, LegalReviewCommand, Post, PostCommand, ReviewKind, ReviewOutcome,
    ReviewSubjectKind, ReviewText,
};
use crate::{read, service};

/// A parsed `logLegalReview` request. A post's review must name the post (checked by
/// the use case); another subject's id is any id the caller keeps.
#[derive(Debug, Clone)]
pub struct LogLegalReview {
    pub subject_kind: ReviewSubjectKind,
    pub subject_id: Option<Uuid>,
    pub subject_reference: Option<String>,
    pub kind: ReviewKind,
    pub outcome: ReviewOutcome,
    pub conditions: Option<ReviewText>,
    pub notes: Option<ReviewText>,
    pub references: Vec<String>,
}

/// What `logLegalReview` did: the review's outcome and, for a post, the outcome of
/// applying it to the post.
#[derive(Debug, Clone)]
pub struct LegalReviewLogged {
    pub review_id: Uuid,
    pub review: CommandOutcome,
    pub applied: Option<CommandOutcome>,
}

impl LegalReviewLogged {
    /// The position of the last event the request appended.
    pub fn position(&self) -> LogPosition {
        self.applied
            .as_ref()
            .map_or(self.review.position, |applied| applied.position)
    }

    /// Whether the review itself was an idempotent replay.
    pub fn replayed(&self) -> bool {
        self.review.replayed
    }
}

pub async fn log_legal_review(
    caller: Caller<'_>,
    input: LogLegalReview,
    key: Option<IdempotencyKey>,
) -> ApiResult<LegalReviewLogged> {
    require_reader(&caller)?;
    let reviewer_id = person_id(caller.principal, "only people may log legal reviews")?;
    let now = chorus_kernel::now();
    let reviewer_role = service::legal_role(
        &caller.runtime.db,
        caller.organization_id(),
        reviewer_id,
        now,
    )
    .await?
    .ok_or(ApiError::Forbidden(
        "only holders of a legal role may log legal reviews",
    ))?;
    let apply_key = key.as_ref().map(|k| IdempotencyKey {
        key: format!("{}#applyLegalReview", k.key),
        request: k.request.clone(),
    });
    if let Some(review) = replayed_for(caller, &key).await? {
        let review_id = outcome_uuid(&review)?;
        let row = read::legal_review(&caller.runtime.db, caller.organization_id(), review_id)
            .await?
            .ok_or(ApiError::NotFound("legal review"))?;
        let subject_kind: ReviewSubjectKind =
            decode_stored("legal_reviews", "subject_kind", &row.subject_kind)?;
        let applied = match (row.subject_id, subject_kind == ReviewSubjectKind::Post) {
            (Some(post_id), true) => {
                let outcome = decode_stored("legal_reviews", "outcome", &row.outcome)?;
                Some(apply_to_post(caller, post_id, review_id, outcome, now, apply_key).await?)
            }
            _ => None,
        };
        return Ok(LegalReviewLogged {
            review_id,
            review,
            applied,
        });
    }
    let subject_id = match (input.subject_kind, input.subject_id) {
        (ReviewSubjectKind::Post, Some(id)) => load_post(caller, id).await?.post_id(),
        (ReviewSubjectKind::Post, None) => {
            return Err(ApiError::bad_input("subjectId", "is required for a post"))
        }
        (_, id) => id,
    };
    let review_id = Uuid::now_v7();
    let command = LegalReviewCommand::LogLegalReview {
        review_id,
        organization_id: caller.organization_id(),
        subject_kind: input.subject_kind,
        subject_id,
        subject_reference: input.subject_reference,
        kind: input.kind,
        outcome: input.outcome,
        conditions: input.conditions,
        notes: input.notes,
        references: input.references,
        reviewer_id,
        reviewer_role,
        now,
    };
    let review = execute_for::<LegalReview>(caller, review_id, command, key).await?;
    let applied = match (subject_id, input.subject_kind) {
        (Some(post_id), ReviewSubjectKind::Post) => {
            Some(apply_to_post(caller, post_id, review_id, input.outcome, now, apply_key).await?)
        }
        _ => None,
    };
    Ok(LegalReviewLogged {
        review_id,
        review,
        applied,
    })
}

async fn apply_to_post(
    caller: Caller<'_>,
    post_id: Uuid,
    review_id: Uuid,
    outcome: ReviewOutcome,
    now: DateTime<Utc>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    let command = PostCommand::ApplyLegalReview {
        review_id,
        outcome,
        now,
    };
    execute_for::<Post>(caller, post_id, command, key).await
}
