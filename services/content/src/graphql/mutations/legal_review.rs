//! The legal-review mutation (`logLegalReview`), its input and payload.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiResult, Gql};
use chorus_api::{decode_any_id, decode_id, principal, runtime, seal, Caller};
use chorus_content_domain as content;
use serde::Serialize;

use crate::graphql::enums::{ReviewKind, ReviewOutcome, ReviewSubjectKind};
use crate::graphql::legal_review::LegalReview;
use crate::graphql::post::Post;
use crate::graphql::shared::{batch, payload};
use crate::{commands, read};

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
            let (caller, key) = Caller::for_mutation(
                ctx,
                "logLegalReview",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let subject_kind = content::ReviewSubjectKind::from(input.subject_kind);
            let subject_id = match (&input.subject_id, subject_kind) {
                (Some(id), content::ReviewSubjectKind::Post) => {
                    Some(decode_id("Post", "subjectId", id)?)
                }
                (Some(id), _) => Some(decode_any_id("subjectId", id)?.1),
                (None, _) => None,
            };
            let parsed = commands::LogLegalReview {
                subject_kind,
                subject_id,
                subject_reference: input.subject_reference.clone(),
                kind: input.kind.into(),
                outcome: input.outcome.into(),
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
            };
            let logged = commands::log_legal_review(caller, parsed, key).await?;
            review_payload(ctx, &logged).await
        }
        .await
        .gql()
    }
}

async fn review_payload(
    ctx: &Context<'_>,
    logged: &commands::LegalReviewLogged,
) -> ApiResult<LegalReviewPayload> {
    let org = principal(ctx)?.organization_id;
    let db = &runtime(ctx)?.db;
    let review = read::legal_review(db, org, logged.review_id).await?;
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
        position: seal(ctx, logged.position())?,
        replayed: logged.replayed(),
    })
}
