//! Opening a case and the contact's further messages.

use chorus_shared::refuse_if;

use crate::case::{Case, CaseCommand, CaseError, CaseEvent};
use crate::values::CaseStatus;

impl Case {
    pub(super) fn open(&self, command: CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        let CaseCommand::OpenCase {
            case_id,
            organization_id,
            contact_id,
            intake,
            routing,
            sla,
            follows,
            reopen_window_minutes,
            by,
            at,
        } = command
        else {
            unreachable!("open takes OpenCase")
        };
        if self.exists() {
            // The same intake delivered again: the case it opened is the answer.
            refuse_if(
                self.organization_id != Some(organization_id),
                CaseError::OtherOrganization,
            )?;
            return Ok(Vec::new());
        }
        let (intake, message, counted_from) = intake.into_parts(at);
        let escalation = routing.escalate_to.map(|to| CaseEvent::CaseEscalated {
            to,
            reason: format!("routing rule \"{}\"", routing.rule_name),
            by,
            at,
        });
        let mut events = vec![CaseEvent::CaseOpened {
            case_id,
            organization_id,
            contact_id,
            intake,
            message,
            routing,
            sla,
            follows,
            reopen_window_minutes,
            by,
            at: counted_from,
        }];
        events.extend(escalation);
        Ok(events)
    }

    pub(super) fn receive(&self, command: CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        let CaseCommand::ReceiveContactMessage {
            external_message_id,
            text,
            visibility,
            by,
            at,
        } = command
        else {
            unreachable!("receive takes ReceiveContactMessage")
        };
        if let Some(id) = &external_message_id {
            if self.messages.contains(id.as_str()) {
                return Ok(Vec::new());
            }
        }
        let mut events = Vec::new();
        match self.status {
            Some(status @ CaseStatus::Merged) => return Err(CaseError::InvalidStatus { status }),
            Some(CaseStatus::Resolved) => {
                refuse_if(
                    !self.within_reopen_window(at),
                    CaseError::ReopenWindowClosed,
                )?;
                events.push(CaseEvent::CaseReopened { at });
            }
            _ => {}
        }
        events.push(CaseEvent::ContactMessageReceived {
            external_message_id: external_message_id.map(String::from),
            text: text.into_inner(),
            visibility,
            by,
            at,
        });
        Ok(events)
    }
}
