//! The content records a global id can name, for the schema's `node(id)`.

use async_graphql::Context;
use chorus_api::{runtime, ApiResult};
use uuid::Uuid;

use super::legal_review::LegalReview;
use super::policy::ApprovalPolicy;
use super::post::Post;
use super::shared::batch;
use crate::read;

/// A content record found by its global id.
pub enum ContentNode {
    Post(Post),
    ApprovalPolicy(ApprovalPolicy),
    LegalReview(LegalReview),
}

/// The content record of kind `kind` with id `id` in the caller's organization `org`;
/// `None` for another kind, another organization's record or none.
pub async fn find_node(
    ctx: &Context<'_>,
    org: Uuid,
    kind: &str,
    id: Uuid,
) -> ApiResult<Option<ContentNode>> {
    let db = &runtime(ctx)?.db;
    Ok(match kind {
        "Post" => {
            let batch = batch(ctx)?;
            read::post(db, org, id)
                .await?
                .map(|row| ContentNode::Post(Post::new(row, &batch)))
        }
        "ApprovalPolicy" => read::policy(db, org, id)
            .await?
            .map(|row| ContentNode::ApprovalPolicy(ApprovalPolicy(row))),
        "LegalReview" => read::legal_review(db, org, id)
            .await?
            .map(|row| ContentNode::LegalReview(LegalReview(row))),
        _ => None,
    })
}
