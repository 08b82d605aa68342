//! `replyApprovalInbox`: the replies awaiting the viewer's approval.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object};
use chorus_api::{page, page_complexity, Caller, Gql};

use super::timeline::{reply_after, reply_cursor, CaseReply};
use crate::commands::person_id;
use crate::read;

#[derive(Default)]
pub struct ReplyApprovalQuery;

#[Object]
impl ReplyApprovalQuery {
    /// Replies awaiting approval that the viewer may approve now, oldest first: not the
    /// viewer's own (four-eyes), whose approver function the viewer holds in a role
    /// covering the reply's case (the organization's scope, an organization-wide function,
    /// the case's channel, or its team or channel's team or an ancestor of either). A
    /// person's inbox; service accounts are refused.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn reply_approval_inbox(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CaseReply>> {
        async {
            let caller = Caller::of(ctx)?;
            let viewer = person_id(&caller, "the reply approval inbox belongs to a person")?;
            let limit = page(ctx, first, None)?.limit;
            let after = reply_after(after)?;
            let rows = read::reply_approval_inbox(
                &caller.runtime.db,
                caller.organization_id(),
                viewer,
                chorus_kernel::now(),
                after,
                limit,
            )
            .await?;
            Ok(chorus_api::cursor_connection(
                rows,
                limit,
                after.is_some(),
                reply_cursor,
                CaseReply,
            ))
        }
        .await
        .gql()
    }
}
