//! Replies to the contact, their approval, and the outbound message's status.

use chorus_shared::refuse_if;

use super::super::values::OutboundStatus;
use crate::case::{Case, CaseCommand, CaseError, CaseEvent};
use crate::values::Visibility;

impl Case {
    pub(super) fn decide_reply(&self, command: CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        let events = match command {
            CaseCommand::ReplyToContact {
                reply_id,
                text,
                visibility,
                by,
                responder_roles,
                delegated,
                flags,
                at,
            } => {
                self.ensure_open()?;
                refuse_if(
                    visibility == Visibility::Public && self.handled_privately(),
                    CaseError::ReplyMustBePrivate,
                )?;
                refuse_if(self.knows_reply(reply_id), CaseError::ReplyExists)?;
                self.working_role(&responder_roles)?;
                let approver = self.routing.as_ref().and_then(|r| r.reply_approver);
                match approver {
                    Some(approver_function) if !delegated => vec![CaseEvent::ReplySubmitted {
                        reply_id,
                        text: text.into_inner(),
                        visibility,
                        approver_function,
                        flags,
                        by,
                        at,
                    }],
                    _ => vec![CaseEvent::ReplySent {
                        reply_id,
                        text: text.into_inner(),
                        visibility,
                        responder: by,
                        approved_by: None,
                        delegated: delegated && approver.is_some(),
                        flags,
                        at,
                    }],
                }
            }
            CaseCommand::ApproveReply {
                reply_id,
                by,
                approver_roles,
                at,
            } => {
                self.ensure_open()?;
                let pending = self
                    .pending
                    .get(&reply_id)
                    .ok_or(CaseError::ReplyNotPending)?;
                refuse_if(pending.responder == by, CaseError::FourEyes)?;
                let role = Self::entitled(&approver_roles, pending.approver_function)?;
                vec![
                    CaseEvent::ReplyApproved {
                        reply_id,
                        by,
                        assignment_id: role.assignment_id,
                        at,
                    },
                    CaseEvent::ReplySent {
                        reply_id,
                        text: pending.text.clone(),
                        visibility: pending.visibility,
                        responder: pending.responder,
                        approved_by: Some(by),
                        delegated: false,
                        flags: pending.flags.clone(),
                        at,
                    },
                ]
            }
            CaseCommand::RejectReply {
                reply_id,
                note,
                by,
                approver_roles,
                at,
            } => {
                self.ensure_open()?;
                let pending = self
                    .pending
                    .get(&reply_id)
                    .ok_or(CaseError::ReplyNotPending)?;
                refuse_if(pending.responder == by, CaseError::FourEyes)?;
                let role = Self::entitled(&approver_roles, pending.approver_function)?;
                vec![CaseEvent::ReplyRejected {
                    reply_id,
                    note: note.into_inner(),
                    by,
                    assignment_id: role.assignment_id,
                    at,
                }]
            }
            CaseCommand::WithdrawReply { reply_id, by, at } => {
                let pending = self
                    .pending
                    .get(&reply_id)
                    .ok_or(CaseError::ReplyNotPending)?;
                refuse_if(pending.responder != by, CaseError::NotResponder)?;
                vec![CaseEvent::ReplyWithdrawn { reply_id, by, at }]
            }
            CaseCommand::RecordOutboundStatus {
                reply_id,
                status,
                network_message_id,
                detail,
                by,
                at,
            } => {
                refuse_if(!self.sent.contains(&reply_id), CaseError::ReplyNotSent)?;
                refuse_if(
                    status == OutboundStatus::Queued,
                    CaseError::from(chorus_shared::ValueError::new(
                        "status",
                        "must be SENT or FAILED",
                    )),
                )?;
                vec![CaseEvent::OutboundStatusRecorded {
                    reply_id,
                    status,
                    network_message_id: network_message_id.map(String::from),
                    detail: detail.map(String::from),
                    by,
                    at,
                }]
            }
            _ => unreachable!("decided elsewhere"),
        };
        Ok(events)
    }

    /// Whether a reply with `reply_id` was ever submitted or sent.
    fn knows_reply(&self, reply_id: uuid::Uuid) -> bool {
        self.pending.contains_key(&reply_id)
            || self.sent.contains(&reply_id)
            || self.withdrawn_or_rejected.contains(&reply_id)
    }
}
