//! A case's timeline entries and replies.

use async_graphql::{Context, Object};
use chorus_api::{decode_after, encode_cursor, ApiResult};
use chorus_teams::graphql::{Person, RoleFunction};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::case::{case_by_id, Case};
use super::enums::{MessageVisibility, OutboundStatus, ReplyStatus};
use super::shared::{function_of, person};
use crate::read::{ReplyRow, TimelineRow};
use chorus_api::Gql;

/// One event of a case, as it was recorded.
pub struct CaseTimelineEntry(pub TimelineRow);

#[Object]
impl CaseTimelineEntry {
    /// The event's position within the case, from 1.
    async fn sequence(&self) -> i64 {
        self.0.sequence
    }
    /// What happened (the event's type: `CaseOpened`, `CaseAssigned`, `ReplySent`, …).
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// Who did it (null for the system: the SLA timer, a reopen).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.actor_id).await.gql()
    }
    /// The id of who did it (a person or a service account).
    async fn actor_id(&self) -> Option<String> {
        self.0.actor_id.map(|id| id.to_string())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The event's fields as JSON (routing decisions, reasons, deadlines, …).
    async fn details(&self) -> &str {
        &self.0.details
    }
}

/// A reply to the contact.
pub struct CaseReply(pub ReplyRow);

/// A reply's cursor in a list of replies oldest first: its submission instant and id.
pub(super) fn reply_cursor(row: &ReplyRow) -> String {
    encode_cursor(serde_json::to_vec(&(row.submitted_at, row.id)).unwrap_or_default())
}

/// The `after` of a list of replies, as [`reply_cursor`] made it.
pub(super) fn reply_after(after: Option<String>) -> ApiResult<Option<(DateTime<Utc>, Uuid)>> {
    decode_after(after, |bytes| {
        serde_json::from_slice::<(DateTime<Utc>, Uuid)>(bytes).ok()
    })
}

const TABLE: &str = "case_replies";

/// A reply to the contact: awaiting approval, sent (an outbound message with its
/// status), rejected or withdrawn.
#[Object]
impl CaseReply {
    /// The reply's id (as `approveCaseReply`, `rejectCaseReply` and `withdrawCaseReply`
    /// take it).
    async fn id(&self) -> String {
        self.0.id.to_string()
    }
    /// The case it answers.
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_by_id(ctx, Some(self.0.case_id)).await.gql()
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn visibility(&self) -> async_graphql::Result<MessageVisibility> {
        MessageVisibility::from_stored(TABLE, "visibility", &self.0.visibility).gql()
    }
    async fn status(&self) -> async_graphql::Result<ReplyStatus> {
        ReplyStatus::from_stored(&self.0.status).gql()
    }
    async fn responder(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, Some(self.0.responder_id)).await.gql()
    }
    /// The function whose holders may approve it, when it needed approval.
    async fn approver_function(&self) -> async_graphql::Result<Option<RoleFunction>> {
        self.0
            .approver_function
            .as_deref()
            .map(|f| function_of(TABLE, "approver_function", f))
            .transpose()
            .gql()
    }
    /// Who approved or rejected it.
    async fn decided_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.decided_by).await.gql()
    }
    /// The approver's note on a rejection.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// Whether the responder replied under delegated authority, without approval.
    async fn delegated(&self) -> bool {
        self.0.delegated
    }
    /// Where the sent reply is on its way to the network.
    async fn outbound_status(&self) -> async_graphql::Result<Option<OutboundStatus>> {
        self.0
            .outbound_status
            .as_deref()
            .map(|s| OutboundStatus::from_stored(TABLE, "outbound_status", s))
            .transpose()
            .gql()
    }
    async fn network_message_id(&self) -> Option<&str> {
        self.0.network_message_id.as_deref()
    }
    /// Why sending failed.
    async fn outbound_detail(&self) -> Option<&str> {
        self.0.outbound_detail.as_deref()
    }
    /// The lexicon terms the reply contains (JSON).
    async fn flags(&self) -> &str {
        &self.0.flags
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}
