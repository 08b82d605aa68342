//! One event in a post's life (`TimelineEntry`, the items of `Post.timeline`).

use async_graphql::{Context, Object, ID};
use chorus_api::error::Gql;
use chorus_api::{encode_id, seal_at, LogPositionScalar};
use chorus_teams::graphql::{Person, Responsibility, RoleFunction};
use chrono::{DateTime, Utc};

use super::shared::{function_of, person, responsibility_of};
use crate::read::TimelineRow;

/// One event in a post's life.
pub struct TimelineEntry(pub(super) TimelineRow);

#[Object]
impl TimelineEntry {
    /// The event's number within the post (1, 2, …).
    async fn sequence(&self) -> i64 {
        self.0.sequence
    }
    /// The event's place in the log (an opaque token of your organization).
    async fn position(&self, ctx: &Context<'_>) -> async_graphql::Result<LogPositionScalar> {
        seal_at(ctx, self.0.global_position).gql()
    }
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    /// PERSON, SERVICE_ACCOUNT or SYSTEM.
    async fn actor_kind(&self) -> &str {
        &self.0.actor_kind
    }
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        match self.0.actor_id {
            Some(id) => person(ctx, id).await.gql(),
            None => Ok(None),
        }
    }
    /// The role assignment acted under (signatures, rejections, delegated publication).
    async fn assignment_id(&self) -> Option<ID> {
        self.0
            .assignment_id
            .map(|id| encode_id("RoleAssignment", id))
    }
    async fn function(&self) -> async_graphql::Result<Option<RoleFunction>> {
        self.0
            .function
            .as_deref()
            .map(|f| function_of("post_timeline", "function", f))
            .transpose()
            .gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(
            "post_timeline",
            "responsibility",
            self.0.responsibility.as_deref(),
        )
        .gql()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn policy_id(&self) -> Option<ID> {
        self.0.policy_id.map(|id| encode_id("ApprovalPolicy", id))
    }
    async fn policy_version(&self) -> Option<i64> {
        self.0.policy_version
    }
    /// The event's fields, as JSON text.
    async fn details(&self) -> &str {
        &self.0.details
    }
}
