//! The legal-review mutation (`logLegalReview`), its input and payload.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{
    decode_any_id, execute, idempotency, outcome_uuid, principal, replayed, require_reader,
    runtime, seal,
};
use chorus_content_domain as content;
use chorus_kernel::IdempotencyKey;
use serde::Serialize;
use uuid::Uuid;

use crate::graphql::enums::{ReviewKind, ReviewOutcome, ReviewSubjectKind};
use crate::graphql::legal_review::LegalReview;
use crate::graphql::post::Post;
use crate::graphql::shared::{batch, load_post, payload, person_id};
use crate::{read, service};

payload!(/// Result of `logLegalReview`; `post` is the reviewed post, if the subject is one.
    LegalReviewPayload { legal_review: Option<LegalReview>, post: Option<Post> });

#[derive(InputObject, Serialize)]
pub struct LogLegalReviewInput {
    subject_kind: ReviewSubjectKind,
    /// The post's id (required for POST); for other subjects, any id you keep.
    subject_id: Option<ID>,
    /// A reference outside Chorus (UGC link, campaign or contract number).
    subject_reference: Option<String>,
    kind: ReviewKind,
    outcome: ReviewOutcome,
    conditions: Option<String>,
    notes: Option<String>,
    #[graphql(default)]
    references: Vec<String>,
    idempotency_key: Option<String>,
}

/// The legal-review part of [`super::ContentMutation`].
#[derive(Default)]
pub struct LegalReviewMutation;

#[Object]
impl LegalReviewMutation {
    /// Logs a legal review; a review of a post then applies to it (a block stops its
    /// approval and publication until a later review clears it). Legal-role holders only.
    async fn log_legal_review(
        &self,
        ctx: &Context<'_>,
        input: LogLegalReviewInput,
    ) -> async_graphql::Result<LegalReviewPayload> {
        async {
            let principal = require_reader(ctx)?;
            let reviewer_id = person_id(principal, "only people may log legal reviews")?;
            let now = chorus_kernel::now();
            let reviewer_role = service::legal_role(
                &runtime(ctx)?.db,
                principal.organization_id,
                reviewer_id,
                now,
            )
            .await?
            .ok_or(ApiError::Forbidden(
                "only holders of a legal role may log legal reviews",
            ))?;
            let key = idempotency(
                principal,
                "logLegalReview",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            // The review is applied to its post under a key derived from the request's,
            // so a retry finishes the second step if the first attempt stopped before it.
            let apply_key = key.as_ref().map(|k| IdempotencyKey {
                key: format!("{}#applyLegalReview", k.key),
                request: k.request.clone(),
            });
            if let Some(outcome) = replayed(ctx, &key).await? {
                let review_id = outcome_uuid(&outcome)?;
                let row =
                    read::legal_review(&runtime(ctx)?.db, principal.organization_id, review_id)
                        .await?
                        .ok_or(ApiError::NotFound("legal review"))?;
                let mut last = outcome.clone();
                if let (Some(post_id), true) = (row.subject_id, row.subject_kind == "POST") {
                    let applied = content::PostCommand::ApplyLegalReview {
                        review_id,
                        outcome: row.outcome.parse().map_err(|e| ApiError::internal(&e))?,
                        now,
                    };
                    let second = execute::<content::Post>(ctx, post_id, applied, apply_key).await?;
                    last.position = second.position;
                }
                return review_payload(ctx, review_id, &last, outcome.replayed).await;
            }
            let subject_kind = content::ReviewSubjectKind::from(input.subject_kind);
            let subject_id = match (&input.subject_id, subject_kind) {
                (Some(id), content::ReviewSubjectKind::Post) => {
                    let post = load_post(ctx, "subjectId", id).await?;
                    post.post_id()
                }
                (None, content::ReviewSubjectKind::Post) => {
                    return Err(ApiError::bad_input("subjectId", "is required for a post"))
                }
                (Some(id), _) => Some(decode_any_id("subjectId", id)?.1),
                (None, _) => None,
            };
            let review_id = Uuid::now_v7();
            let outcome_value = content::ReviewOutcome::from(input.outcome);
            let command = content::LegalReviewCommand::LogLegalReview {
                review_id,
                organization_id: principal.organization_id,
                subject_kind,
                subject_id,
                subject_reference: input.subject_reference.clone(),
                kind: input.kind.into(),
                outcome: outcome_value,
                conditions: input
                    .conditions
                    .as_deref()
                    .map(|c| content::ReviewText::parse_field("conditions", c))
                    .transpose()?,
                notes: input
                    .notes
                    .as_deref()
                    .map(|n| content::ReviewText::parse_field("notes", n))
                    .transpose()?,
                references: input.references.clone(),
                reviewer_id,
                reviewer_role,
                now,
            };
            let outcome = execute::<content::LegalReview>(ctx, review_id, command, key).await?;
            let mut last = outcome.clone();
            if let (Some(post_id), content::ReviewSubjectKind::Post) = (subject_id, subject_kind) {
                let applied = content::PostCommand::ApplyLegalReview {
                    review_id,
                    outcome: outcome_value,
                    now,
                };
                let second = execute::<content::Post>(ctx, post_id, applied, apply_key).await?;
                last.position = second.position;
            }
            review_payload(ctx, review_id, &last, outcome.replayed).await
        }
        .await
        .gql()
    }
}

async fn review_payload(
    ctx: &Context<'_>,
    review_id: Uuid,
    last: &chorus_kernel::CommandOutcome,
    replayed: bool,
) -> ApiResult<LegalReviewPayload> {
    let org = principal(ctx)?.organization_id;
    let db = &runtime(ctx)?.db;
    let review = read::legal_review(db, org, review_id).await?;
    let batch = batch(ctx)?;
    let post = match review
        .as_ref()
        .filter(|r| r.subject_kind == "POST")
        .and_then(|r| r.subject_id)
    {
        Some(id) => read::post(db, org, id)
            .await?
            .map(|row| Post::new(row, &batch)),
        None => None,
    };
    Ok(LegalReviewPayload {
        legal_review: review.map(LegalReview),
        post,
        position: seal(ctx, last.position)?,
        replayed,
    })
}
