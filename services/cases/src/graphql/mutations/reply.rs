//! Replies: `replyToCase`, `approveCaseReply`, `rejectCaseReply`, `withdrawCaseReply`
//! and `recordOutboundMessage`.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::{parse, parse_opt, ApiError, ApiResult};
use serde::Serialize;
use uuid::Uuid;

use super::{case_id, case_mutation, keyed, CaseAnswer};
use crate::commands::{self, DecideReply, RecordOutbound, Reply};
use crate::graphql::enums::{MessageVisibility, OutboundStatus};

/// A reply to the contact.
#[derive(InputObject, Serialize)]
pub struct ReplyToCaseInput {
    case_id: ID,
    text: String,
    visibility: MessageVisibility,
    idempotency_key: Option<String>,
}

/// A decision on a reply awaiting approval.
#[derive(InputObject, Serialize)]
pub struct CaseReplyActionInput {
    case_id: ID,
    /// The reply's id (`CaseReply.id`).
    reply_id: ID,
    /// Why (required to reject).
    note: Option<String>,
    idempotency_key: Option<String>,
}

/// Where a sent reply is on its way to the network.
#[derive(InputObject, Serialize)]
pub struct RecordOutboundMessageInput {
    case_id: ID,
    reply_id: ID,
    /// SENT or FAILED.
    status: OutboundStatus,
    network_message_id: Option<String>,
    detail: Option<String>,
    idempotency_key: Option<String>,
}

keyed!(
    ReplyToCaseInput,
    CaseReplyActionInput,
    RecordOutboundMessageInput
);

fn reply_id(id: &ID) -> ApiResult<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| ApiError::bad_input("replyId", "must be a reply id this API returned"))
}

fn decision(i: &CaseReplyActionInput) -> ApiResult<DecideReply> {
    Ok(DecideReply {
        case_id: case_id(&i.case_id)?,
        reply_id: reply_id(&i.reply_id)?,
        note: parse_opt("note", &i.note)?,
    })
}

#[derive(Default)]
pub struct ReplyMutation;

#[Object]
impl ReplyMutation {
    /// Answers the contact. It is sent at once, or submitted for approval when the case's
    /// routing asks for it and you do not hold the approver's function yourself. The
    /// lexicon scans it. Workers of the case.
    async fn reply_to_case(&self, ctx: &Context<'_>, input: ReplyToCaseInput) -> CaseAnswer {
        let parse = |i: &ReplyToCaseInput| {
            Ok(Reply {
                case_id: case_id(&i.case_id)?,
                text: parse("text", &i.text)?,
                visibility: i.visibility.into(),
            })
        };
        case_mutation(ctx, "replyToCase", &input, parse, commands::reply_to_case).await
    }

    /// Approves a reply awaiting approval; it is then sent. Holders of the reply's
    /// approver function covering the case, never its responder.
    async fn approve_case_reply(
        &self,
        ctx: &Context<'_>,
        input: CaseReplyActionInput,
    ) -> CaseAnswer {
        case_mutation(
            ctx,
            "approveCaseReply",
            &input,
            decision,
            commands::approve_reply,
        )
        .await
    }

    /// Refuses a reply awaiting approval, with a note. As for approving.
    async fn reject_case_reply(
        &self,
        ctx: &Context<'_>,
        input: CaseReplyActionInput,
    ) -> CaseAnswer {
        case_mutation(
            ctx,
            "rejectCaseReply",
            &input,
            decision,
            commands::reject_reply,
        )
        .await
    }

    /// Takes back a reply awaiting approval. Its responder.
    async fn withdraw_case_reply(
        &self,
        ctx: &Context<'_>,
        input: CaseReplyActionInput,
    ) -> CaseAnswer {
        case_mutation(
            ctx,
            "withdrawCaseReply",
            &input,
            decision,
            commands::withdraw_reply,
        )
        .await
    }

    /// Reports where a sent reply is on its way to the network (Chorus does not send to
    /// networks). Integrations with `cases:intake` and workers of the case.
    async fn record_outbound_message(
        &self,
        ctx: &Context<'_>,
        input: RecordOutboundMessageInput,
    ) -> CaseAnswer {
        let parse = |i: &RecordOutboundMessageInput| {
            Ok(RecordOutbound {
                case_id: case_id(&i.case_id)?,
                reply_id: reply_id(&i.reply_id)?,
                status: i.status.into(),
                network_message_id: parse_opt("networkMessageId", &i.network_message_id)?,
                detail: parse_opt("detail", &i.detail)?,
            })
        };
        case_mutation(
            ctx,
            "recordOutboundMessage",
            &input,
            parse,
            commands::record_outbound,
        )
        .await
    }
}
