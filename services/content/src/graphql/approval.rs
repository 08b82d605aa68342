//! A sign-off of a post (`Approval`).

use async_graphql::{Context, Object, ID};
use chorus_api::error::Gql;
use chorus_api::{encode_id, principal, runtime};
use chorus_teams::graphql::{Person, Responsibility, RoleAssignment, RoleFunction};
use chrono::{DateTime, Utc};

use super::post::Post;
use super::shared::{function_of, person, responsibility_of, role, Batch};
use crate::read::{self, ApprovalRow};

/// A sign-off of one step of one policy version, with the role it was given under.
pub struct Approval {
    pub(super) row: ApprovalRow,
    pub(super) batch: Batch,
}

#[Object]
impl Approval {
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        async {
            let org = principal(ctx)?.organization_id;
            Ok(read::post(&runtime(ctx)?.db, org, self.row.post_id)
                .await?
                .map(|row| Post::new(row, &self.batch)))
        }
        .await
        .gql()
    }
    async fn post_id(&self) -> ID {
        encode_id("Post", self.row.post_id)
    }
    async fn approver(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.row.signer_id).await.gql()
    }
    async fn approver_id(&self) -> ID {
        encode_id("Person", self.row.signer_id)
    }
    /// The role assignment that entitled the approver.
    async fn assignment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RoleAssignment>> {
        role(ctx, self.row.assignment_id).await.gql()
    }
    async fn assignment_id(&self) -> ID {
        encode_id("RoleAssignment", self.row.assignment_id)
    }
    async fn function(&self) -> async_graphql::Result<RoleFunction> {
        function_of("post_approvals", "function", &self.row.function).gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(
            "post_approvals",
            "responsibility",
            self.row.responsibility.as_deref(),
        )
        .gql()
    }
    async fn step(&self) -> &str {
        &self.row.step
    }
    async fn policy_id(&self) -> ID {
        encode_id("ApprovalPolicy", self.row.policy_id)
    }
    async fn policy_version(&self) -> i64 {
        self.row.policy_version
    }
    async fn signed_at(&self) -> DateTime<Utc> {
        self.row.signed_at
    }
    async fn comment(&self) -> Option<&str> {
        self.row.comment.as_deref()
    }
    async fn voided(&self) -> bool {
        self.row.voided_at.is_some()
    }
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.row.voided_at
    }
    /// EDITED, WITHDRAWN, RESUBMITTED or LEGALLY_BLOCKED.
    async fn void_reason(&self) -> Option<&str> {
        self.row.void_reason.as_deref()
    }
}
