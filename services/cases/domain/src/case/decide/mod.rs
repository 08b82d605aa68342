//! The case's rules: every check, and every event to record, before anything is recorded.

mod intake;
mod replies;
mod work;

use chorus_content_domain::HeldRole;
use chorus_shared::refuse_if;
use chorus_teams_domain::values::RoleFunction;

use super::{Case, CaseCommand, CaseError, CaseEvent};
use crate::values::CaseStatus;

impl Case {
    /// Checks a command against the state and returns the events to record, in order.
    pub(super) fn decide(&self, command: CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        if let CaseCommand::OpenCase { .. } = command {
            return self.open(command);
        }
        refuse_if(!self.exists(), CaseError::NotFound)?;
        match command {
            CaseCommand::OpenCase { .. } => unreachable!("handled above"),
            CaseCommand::ReceiveContactMessage { .. } => self.receive(command),
            CaseCommand::ReplyToContact { .. }
            | CaseCommand::ApproveReply { .. }
            | CaseCommand::RejectReply { .. }
            | CaseCommand::WithdrawReply { .. }
            | CaseCommand::RecordOutboundStatus { .. } => self.decide_reply(command),
            other => self.decide_work(other),
        }
    }

    /// Refuses unless the case is open (neither resolved nor merged).
    pub(super) fn ensure_open(&self) -> Result<(), CaseError> {
        match self.status {
            Some(status @ (CaseStatus::Resolved | CaseStatus::Merged)) => {
                Err(CaseError::InvalidStatus { status })
            }
            _ => Ok(()),
        }
    }

    /// The role among `roles` with `function`, or `NotQualified` naming the function.
    pub(super) fn entitled(
        roles: &[HeldRole],
        function: RoleFunction,
    ) -> Result<&HeldRole, CaseError> {
        roles
            .iter()
            .find(|role| role.function == function)
            .ok_or(CaseError::NotQualified {
                function: function.as_str().to_owned(),
            })
    }

    /// The functions whose holders work the case: the routed (or transferred-to) one and
    /// every function it was escalated to.
    pub(super) fn working_functions(&self) -> impl Iterator<Item = RoleFunction> + '_ {
        self.function
            .into_iter()
            .chain(self.escalated_to.iter().copied())
    }

    /// The first of `roles` with a function that works the case.
    pub(super) fn working_role<'r>(
        &self,
        roles: &'r [HeldRole],
    ) -> Result<&'r HeldRole, CaseError> {
        let function = self.function.unwrap_or(RoleFunction::SocialMedia);
        roles
            .iter()
            .find(|role| self.working_functions().any(|f| f == role.function))
            .ok_or(CaseError::NotQualified {
                function: function.as_str().to_owned(),
            })
    }
}
