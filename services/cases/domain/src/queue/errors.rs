use chorus_shared::ValueError;

/// Why the [`CaseQueue`](super::CaseQueue) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseQueueError {
    /// The queue's settings are already these.
    #[error("The queue already has these settings.")]
    Unchanged,
    /// The command names another organization than the queue's.
    #[error("The queue was not found.")]
    OtherOrganization,
    /// A field broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl CaseQueueError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unchanged => "NO_CHANGE",
            Self::OtherOrganization => "NOT_FOUND",
            Self::Invalid(error) => error.code(),
        }
    }
}

impl chorus_shared::DomainCode for CaseQueueError {
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
