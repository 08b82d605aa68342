//! Replies to the contact, their approval, and the outbound message's status.

use chorus_content_domain::LexiconMatch;
use chorus_shared::refuse_if;
use chorus_teams_domain::values::RoleFunction;

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
                team_reply_approver,
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
                let configured = self.configured_reply_approver(team_reply_approver);
                match self.reply_approver(team_reply_approver, delegated, &flags) {
                    Some(approver_function) => vec![CaseEvent::ReplySubmitted {
                        reply_id,
                        text: text.into_inner(),
                        visibility,
                        approver_function,
                        flags,
                        by,
                        at,
                    }],
                    None => vec![CaseEvent::ReplySent {
                        reply_id,
                        text: text.into_inner(),
                        visibility,
                        responder: by,
                        approved_by: None,
                        // Recorded only when delegation is what spared the approval.
                        delegated: delegated && configured.is_some(),
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

    /// The function whose holder must approve replies to the case when nothing in the
    /// reply itself asks for more: the routing rule's reply approver when the rule names
    /// one, else the one the case's team queue configures (`team`), else none.
    pub fn configured_reply_approver(&self, team: Option<RoleFunction>) -> Option<RoleFunction> {
        self.routing
            .as_ref()
            .and_then(|routing| routing.reply_approver)
            .or(team)
    }

    /// The function whose holder must approve a reply carrying the lexicon's `flags`,
    /// from a responder with or without delegated authority, or `None` when it is sent
    /// at once.
    ///
    /// The lexicon scans replies as it scans posts, and follows the content context's
    /// rule for them: a flagged text is not routine, so delegated authority (which
    /// covers only posts that carry no flag) does not cover it, and it always needs
    /// approval. Its approver is the configured one (see
    /// [`configured_reply_approver`](Self::configured_reply_approver)), or, when
    /// nothing is configured, a second holder of the case's own function (four-eyes:
    /// never the responder). Unflagged replies need the configured approver unless
    /// the responder has delegated authority.
    pub fn reply_approver(
        &self,
        team: Option<RoleFunction>,
        delegated: bool,
        flags: &[LexiconMatch],
    ) -> Option<RoleFunction> {
        let configured = self.configured_reply_approver(team);
        if flags.is_empty() {
            configured.filter(|_| !delegated)
        } else {
            Some(configured.unwrap_or(self.function.unwrap_or(RoleFunction::SocialMedia)))
        }
    }

    /// Whether a reply with `reply_id` was ever submitted or sent.
    fn knows_reply(&self, reply_id: uuid::Uuid) -> bool {
        self.pending.contains_key(&reply_id)
            || self.sent.contains(&reply_id)
            || self.withdrawn_or_rejected.contains(&reply_id)
    }
}
