use std::collections::{BTreeMap, BTreeSet};

use chorus_teams_domain::values::RoleFunction;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseCommand, CaseError, CaseEvent, IntakeRecord};
use crate::routing::RoutingDecision;
use crate::sla::CaseSla;
use crate::values::{CaseStatus, Visibility};

/// A reply awaiting approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingReply {
    /// The responder.
    pub responder: Uuid,
    /// What it says.
    pub text: String,
    /// Public or private.
    pub visibility: Visibility,
    /// The function whose holders may approve it.
    pub approver_function: RoleFunction,
    /// The lexicon's matches.
    pub flags: Vec<chorus_content_domain::LexiconMatch>,
}

/// State of one case, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub(super) case_id: Option<Uuid>,
    pub(super) organization_id: Option<Uuid>,
    pub(super) contact_id: Option<Uuid>,
    pub(super) intake: Option<IntakeRecord>,
    pub(super) routing: Option<RoutingDecision>,
    pub(super) team_id: Option<Uuid>,
    pub(super) function: Option<RoleFunction>,
    pub(super) status: Option<CaseStatus>,
    pub(super) assignee: Option<Uuid>,
    pub(super) escalated_to: BTreeSet<RoleFunction>,
    pub(super) messages: BTreeSet<String>,
    pub(super) pending: BTreeMap<Uuid, PendingReply>,
    pub(super) sent: BTreeSet<Uuid>,
    pub(super) withdrawn_or_rejected: BTreeSet<Uuid>,
    pub(super) sla: Option<CaseSla>,
    pub(super) resolved_at: Option<DateTime<Utc>>,
    pub(super) reopen_window_minutes: u32,
    pub(super) merged_into: Option<Uuid>,
    pub(super) duplicates: BTreeSet<Uuid>,
}

impl Case {
    /// Id of the case, `None` until opened.
    pub fn case_id(&self) -> Option<Uuid> {
        self.case_id
    }

    /// Organization it belongs to.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// The contact who wrote.
    pub fn contact_id(&self) -> Option<Uuid> {
        self.contact_id
    }

    /// How it came in.
    pub fn intake(&self) -> Option<&IntakeRecord> {
        self.intake.as_ref()
    }

    /// The routing decision recorded when it opened.
    pub fn routing(&self) -> Option<&RoutingDecision> {
        self.routing.as_ref()
    }

    /// The team whose queue it is in (`None`: the organization's).
    pub fn team_id(&self) -> Option<Uuid> {
        self.team_id
    }

    /// The function that works it now (routed, or transferred to).
    pub fn function(&self) -> Option<RoleFunction> {
        self.function
    }

    /// Where it is in its life.
    pub fn status(&self) -> Option<CaseStatus> {
        self.status
    }

    /// Who holds it.
    pub fn assignee(&self) -> Option<Uuid> {
        self.assignee
    }

    /// The functions it was escalated to.
    pub fn escalated_to(&self) -> &BTreeSet<RoleFunction> {
        &self.escalated_to
    }

    /// The replies awaiting approval.
    pub fn pending_replies(&self) -> &BTreeMap<Uuid, PendingReply> {
        &self.pending
    }

    /// The case's SLA clocks.
    pub fn sla(&self) -> Option<&CaseSla> {
        self.sla.as_ref()
    }

    /// The case that absorbed it, if merged.
    pub fn merged_into(&self) -> Option<Uuid> {
        self.merged_into
    }

    /// Whether the case has been opened.
    pub fn exists(&self) -> bool {
        self.case_id.is_some()
    }

    /// Whether a complaint's routing asked for it to be handled privately.
    pub fn handled_privately(&self) -> bool {
        self.routing.as_ref().is_some_and(|r| r.handle_privately)
    }

    /// Whether the resolved case may still be reopened at `at`.
    pub(super) fn within_reopen_window(&self, at: DateTime<Utc>) -> bool {
        self.resolved_at.is_some_and(|resolved| {
            at <= resolved + TimeDelta::minutes(i64::from(self.reopen_window_minutes))
        })
    }

    /// The status an open case returns to when it is no longer waiting: held or queued.
    pub(super) fn working_status(&self) -> CaseStatus {
        if self.assignee.is_some() {
            CaseStatus::Assigned
        } else {
            CaseStatus::Queued
        }
    }

    fn with_sla(&mut self, change: impl FnOnce(&mut CaseSla)) {
        if let Some(sla) = self.sla.as_mut() {
            change(sla);
        }
    }
}

chorus_shared::aggregate!(Case, "case", CaseCommand, CaseEvent, CaseError);

impl Case {
    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: CaseEvent) {
        match event {
            CaseEvent::CaseOpened {
                case_id,
                organization_id,
                contact_id,
                intake,
                message,
                routing,
                sla,
                follows: _,
                reopen_window_minutes,
                by: _,
                at,
            } => {
                self.case_id = Some(case_id);
                self.organization_id = Some(organization_id);
                self.contact_id = Some(contact_id);
                self.intake = Some(intake);
                self.team_id = routing.team_id;
                self.function = Some(routing.function);
                if let Some(to) = routing.escalate_to {
                    self.escalated_to.insert(to);
                }
                self.routing = Some(*routing);
                self.status = Some(CaseStatus::Queued);
                self.messages
                    .extend(message.and_then(|m| m.external_message_id));
                self.sla = sla.map(|snapshot| CaseSla::start(*snapshot, at));
                self.reopen_window_minutes = reopen_window_minutes;
            }
            CaseEvent::ContactMessageReceived {
                external_message_id,
                at,
                ..
            } => {
                self.messages.extend(external_message_id);
                if self.status == Some(CaseStatus::WaitingOnContact) {
                    self.status = Some(self.working_status());
                }
                self.with_sla(|sla| sla.contact_wrote(at));
            }
            CaseEvent::CaseReopened { at } => {
                self.resolved_at = None;
                self.status = Some(self.working_status());
                self.with_sla(|sla| sla.reopened(at));
            }
            CaseEvent::CaseAssigned { assignee, .. } => {
                self.assignee = Some(assignee);
                if self.status == Some(CaseStatus::Queued) {
                    self.status = Some(CaseStatus::Assigned);
                }
            }
            CaseEvent::CaseReturnedToQueue { .. } => {
                self.assignee = None;
                if self.status == Some(CaseStatus::Assigned) {
                    self.status = Some(CaseStatus::Queued);
                }
            }
            CaseEvent::CaseTransferred {
                to_team,
                to_function,
                ..
            } => {
                self.team_id = to_team;
                self.function = Some(to_function);
                self.assignee = None;
                if self.status == Some(CaseStatus::Assigned) {
                    self.status = Some(CaseStatus::Queued);
                }
            }
            CaseEvent::ReplySubmitted {
                reply_id,
                text,
                visibility,
                approver_function,
                flags,
                by,
                ..
            } => {
                self.pending.insert(
                    reply_id,
                    PendingReply {
                        responder: by,
                        text,
                        visibility,
                        approver_function,
                        flags,
                    },
                );
            }
            CaseEvent::ReplyApproved { .. } => {}
            CaseEvent::ReplyRejected { reply_id, .. }
            | CaseEvent::ReplyWithdrawn { reply_id, .. } => {
                self.pending.remove(&reply_id);
                self.withdrawn_or_rejected.insert(reply_id);
            }
            CaseEvent::ReplySent { reply_id, at, .. } => {
                self.pending.remove(&reply_id);
                self.sent.insert(reply_id);
                self.with_sla(|sla| sla.responded(at));
            }
            CaseEvent::OutboundStatusRecorded { .. } => {}
            CaseEvent::CaseAwaitingContact { at, .. } => {
                self.status = Some(CaseStatus::WaitingOnContact);
                self.with_sla(|sla| sla.pause(at));
            }
            CaseEvent::CaseEscalated { to, .. } => {
                self.escalated_to.insert(to);
            }
            CaseEvent::CaseResolved { at, .. } => {
                self.status = Some(CaseStatus::Resolved);
                self.resolved_at = Some(at);
                self.with_sla(|sla| sla.resolved(at));
            }
            CaseEvent::CaseMerged { target, at, .. } => {
                self.status = Some(CaseStatus::Merged);
                self.merged_into = Some(target);
                self.with_sla(|sla| sla.resolved(at));
            }
            CaseEvent::DuplicateAbsorbed { duplicate, .. } => {
                self.duplicates.insert(duplicate);
            }
            CaseEvent::SlaWarningRecorded { alert, .. }
            | CaseEvent::SlaBreachRecorded { alert, .. } => {
                self.with_sla(|sla| sla.record(&alert));
            }
            CaseEvent::SlaRecounted { calendar, at } => {
                self.with_sla(|sla| sla.recount(at, Some(calendar)));
            }
        }
    }
}
