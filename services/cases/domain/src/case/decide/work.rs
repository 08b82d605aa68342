//! Working a case: assignment, transfer, waiting, escalation, resolution, merging and the
//! SLA timer.

use chorus_shared::{refuse_if, ValueError};
use chorus_teams_domain::values::RoleFunction;

use crate::case::{Case, CaseCommand, CaseError, CaseEvent};
use crate::values::CaseStatus;

/// The functions a case may be escalated to.
const ESCALATION_FUNCTIONS: [RoleFunction; 3] = [
    RoleFunction::PublicRelations,
    RoleFunction::Legal,
    RoleFunction::SeniorManagement,
];

impl Case {
    pub(super) fn decide_work(&self, command: CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        let events = match command {
            CaseCommand::AssignCase {
                assignee,
                assignee_roles,
                by,
                at,
            } => {
                self.ensure_open()?;
                refuse_if(self.assignee == Some(assignee), CaseError::AlreadyAssigned)?;
                let role = self.working_role(&assignee_roles)?;
                vec![CaseEvent::CaseAssigned {
                    assignee,
                    assignment_id: role.assignment_id,
                    previous: self.assignee,
                    by,
                    at,
                }]
            }
            CaseCommand::ReturnToQueue { reason, by, at } => {
                self.ensure_open()?;
                let previous = self.assignee.ok_or(CaseError::NotAssigned)?;
                vec![CaseEvent::CaseReturnedToQueue {
                    previous,
                    reason,
                    by,
                    at,
                }]
            }
            CaseCommand::TransferCase {
                team_id,
                function,
                reason,
                by,
                at,
            } => {
                self.ensure_open()?;
                let from_function = self.function.unwrap_or(RoleFunction::SocialMedia);
                refuse_if(
                    team_id == self.team_id && function == from_function,
                    CaseError::from(ValueError::new(
                        "teamId",
                        "must name another team or function",
                    )),
                )?;
                vec![CaseEvent::CaseTransferred {
                    from_team: self.team_id,
                    to_team: team_id,
                    from_function,
                    to_function: function,
                    previous: self.assignee,
                    reason: reason.into_inner(),
                    by,
                    at,
                }]
            }
            CaseCommand::WaitOnContact { by, at } => {
                self.ensure_open()?;
                if let Some(status @ CaseStatus::WaitingOnContact) = self.status {
                    return Err(CaseError::InvalidStatus { status });
                }
                vec![CaseEvent::CaseAwaitingContact { by, at }]
            }
            CaseCommand::EscalateCase { to, reason, by, at } => {
                self.ensure_open()?;
                refuse_if(
                    !ESCALATION_FUNCTIONS.contains(&to),
                    CaseError::from(ValueError::new(
                        "to",
                        "must be PUBLIC_RELATIONS, LEGAL or SENIOR_MANAGEMENT",
                    )),
                )?;
                refuse_if(
                    self.escalated_to.contains(&to),
                    CaseError::AlreadyEscalated {
                        function: to.as_str().to_owned(),
                    },
                )?;
                vec![CaseEvent::CaseEscalated {
                    to,
                    reason: reason.into_inner(),
                    by,
                    at,
                }]
            }
            CaseCommand::ResolveCase { code, by, at } => {
                self.ensure_open()?;
                refuse_if(!self.pending.is_empty(), CaseError::ReplyPending)?;
                vec![CaseEvent::CaseResolved {
                    code: code.into_inner(),
                    by,
                    at,
                }]
            }
            CaseCommand::MergeInto { target, by, at } => {
                self.ensure_open()?;
                refuse_if(self.case_id == Some(target), CaseError::MergeIntoItself)?;
                refuse_if(!self.pending.is_empty(), CaseError::ReplyPending)?;
                vec![CaseEvent::CaseMerged { target, by, at }]
            }
            CaseCommand::AbsorbDuplicate { duplicate, by, at } => {
                if self.duplicates.contains(&duplicate) {
                    return Ok(Vec::new());
                }
                self.ensure_open()?;
                refuse_if(self.case_id == Some(duplicate), CaseError::MergeIntoItself)?;
                vec![CaseEvent::DuplicateAbsorbed { duplicate, by, at }]
            }
            CaseCommand::RecordSlaAlerts { now } => match (&self.sla, self.status) {
                (_, Some(CaseStatus::Resolved | CaseStatus::Merged)) | (None, _) => Vec::new(),
                (Some(sla), _) => sla
                    .due(now)
                    .iter()
                    .map(|alert| CaseEvent::for_alert(*alert, now))
                    .collect(),
            },
            CaseCommand::RecountSla { calendar, at } => {
                let uses_it = self
                    .sla
                    .as_ref()
                    .and_then(|sla| sla.snapshot().calendar.as_ref())
                    .is_some_and(|current| {
                        current.calendar_id == calendar.calendar_id
                            && current.version < calendar.version
                    });
                if uses_it {
                    vec![CaseEvent::SlaRecounted { calendar, at }]
                } else {
                    Vec::new()
                }
            }
            CaseCommand::OpenCase { .. }
            | CaseCommand::ReceiveContactMessage { .. }
            | CaseCommand::ReplyToContact { .. }
            | CaseCommand::ApproveReply { .. }
            | CaseCommand::RejectReply { .. }
            | CaseCommand::WithdrawReply { .. }
            | CaseCommand::RecordOutboundStatus { .. } => {
                unreachable!("decided elsewhere")
            }
        };
        Ok(events)
    }
}
