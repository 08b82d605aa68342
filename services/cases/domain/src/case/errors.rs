use chorus_shared::ValueError;

use crate::values::CaseStatus;

/// Why the [`Case`](super::Case) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The case has not been opened.
    #[error("The case was not found.")]
    NotFound,
    /// The case id is another organization's.
    #[error("The case was not found.")]
    OtherOrganization,
    /// The case's status does not allow this.
    #[error("This is not allowed while the case is {status}.")]
    InvalidStatus {
        /// The case's status.
        status: CaseStatus,
    },
    /// The resolved case's reopen window has passed: a new case must follow it up.
    #[error("The case was resolved too long ago to reopen; open a new case that follows it.")]
    ReopenWindowClosed,
    /// The person holds no role with the case's routed function in its scope.
    #[error("The person holds no {function} role covering this case.")]
    NotQualified {
        /// The function needed.
        function: String,
    },
    /// The case is already held by that person.
    #[error("The case is already assigned to that person.")]
    AlreadyAssigned,
    /// Nobody holds the case.
    #[error("The case is not assigned.")]
    NotAssigned,
    /// A complaint handled privately gets no public reply.
    #[error("This case is handled privately: reply privately.")]
    ReplyMustBePrivate,
    /// A reply with that id exists.
    #[error("The reply already exists.")]
    ReplyExists,
    /// No reply with that id awaits approval.
    #[error("No such reply awaits approval.")]
    ReplyNotPending,
    /// No sent reply with that id.
    #[error("No such reply was sent.")]
    ReplyNotSent,
    /// Only the responder may withdraw a reply.
    #[error("Only the responder may withdraw the reply.")]
    NotResponder,
    /// Nobody approves or rejects their own reply.
    #[error("The responder cannot approve or reject their own reply.")]
    FourEyes,
    /// A reply awaits approval: decide it first.
    #[error("A reply awaits approval; approve, reject or withdraw it first.")]
    ReplyPending,
    /// The case is already escalated to that function.
    #[error("The case is already escalated to {function}.")]
    AlreadyEscalated {
        /// The function.
        function: String,
    },
    /// A case is not merged into itself.
    #[error("A case cannot be merged into itself.")]
    MergeIntoItself,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl CaseError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound | Self::OtherOrganization => "NOT_FOUND",
            Self::InvalidStatus { .. } => "INVALID_STATUS",
            Self::ReopenWindowClosed => "REOPEN_WINDOW_CLOSED",
            Self::NotQualified { .. } => "NOT_ENTITLED",
            Self::AlreadyAssigned => "ALREADY_ASSIGNED",
            Self::NotAssigned => "NOT_ASSIGNED",
            Self::ReplyMustBePrivate => "REPLY_MUST_BE_PRIVATE",
            Self::ReplyExists => "ALREADY_EXISTS",
            Self::ReplyNotPending => "REPLY_NOT_PENDING",
            Self::ReplyNotSent => "REPLY_NOT_SENT",
            Self::NotResponder => "NOT_RESPONDER",
            Self::FourEyes => "FOUR_EYES",
            Self::ReplyPending => "REPLY_PENDING",
            Self::AlreadyEscalated { .. } => "ALREADY_ESCALATED",
            Self::MergeIntoItself => "MERGE_INTO_ITSELF",
            Self::Invalid(error) => error.code(),
        }
    }
}

impl chorus_shared::DomainCode for CaseError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }

    fn invalid_input(&self) -> Option<(&'static str, String)> {
        match self {
            Self::Invalid(e) => Some((e.field, e.rule.clone())),
            _ => None,
        }
    }
}
