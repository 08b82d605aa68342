//! A legal review (`LegalReview`).

use async_graphql::{Context, Object, ID};
use chorus_api::error::{ApiError, Gql};
use chorus_api::{encode_id, runtime};
use chorus_teams::graphql::{Person, Responsibility, RoleAssignment};
use chrono::{DateTime, Utc};

use super::enums::{ReviewKind, ReviewOutcome, ReviewSubjectKind};
use super::post::Post;
use super::shared::{batch, person, responsibility_of, role};
use crate::read::{self, LegalReviewRow};

/// A legal-role holder's verdict on a post, a piece of UGC, a campaign or a contract.
pub struct LegalReview(pub(super) LegalReviewRow);

#[Object]
impl LegalReview {
    pub async fn id(&self) -> ID {
        encode_id("LegalReview", self.0.id)
    }
    async fn subject_kind(&self) -> async_graphql::Result<ReviewSubjectKind> {
        ReviewSubjectKind::from_stored("legal_reviews", "subject_kind", &self.0.subject_kind).gql()
    }
    /// The reviewed post, when the subject is a post.
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        async {
            if self.0.subject_kind != "POST" {
                return Ok(None);
            }
            let Some(id) = self.0.subject_id else {
                return Ok(None);
            };
            let batch = batch(ctx)?;
            Ok(read::post(&runtime(ctx)?.db, self.0.organization_id, id)
                .await?
                .map(|row| Post::new(row, &batch)))
        }
        .await
        .gql()
    }
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.map(|id| {
            if self.0.subject_kind == "POST" {
                encode_id("Post", id)
            } else {
                ID(id.to_string())
            }
        })
    }
    async fn subject_reference(&self) -> Option<&str> {
        self.0.subject_reference.as_deref()
    }
    async fn kind(&self) -> async_graphql::Result<ReviewKind> {
        ReviewKind::from_stored("legal_reviews", "kind", &self.0.kind).gql()
    }
    async fn outcome(&self) -> async_graphql::Result<ReviewOutcome> {
        ReviewOutcome::from_stored("legal_reviews", "outcome", &self.0.outcome).gql()
    }
    async fn conditions(&self) -> Option<&str> {
        self.0.conditions.as_deref()
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn references(&self) -> async_graphql::Result<Vec<String>> {
        serde_json::from_str::<Vec<String>>(&self.0.review_references)
            .map_err(|e| ApiError::internal(&e))
            .gql()
    }
    async fn reviewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.reviewer_id).await.gql()
    }
    /// The legal role assignment the reviewer held.
    async fn reviewer_assignment(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RoleAssignment>> {
        role(ctx, self.0.reviewer_assignment_id).await.gql()
    }
    async fn reviewer_responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(
            "legal_reviews",
            "reviewer_responsibility",
            self.0.reviewer_responsibility.as_deref(),
        )
        .gql()
    }
    async fn reviewed_at(&self) -> DateTime<Utc> {
        self.0.reviewed_at
    }
}
