use crate::values::ValueError;

/// Why the [`SlaPolicy`](super::SlaPolicy) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlaPolicyError {
    /// Define was sent to a policy that already exists.
    #[error("The SLA policy already exists.")]
    AlreadyExists,
    /// The policy has not been defined.
    #[error("The SLA policy was not found.")]
    NotFound,
    /// The policy is retired and can no longer change.
    #[error("The SLA policy is retired.")]
    Retired,
    /// The revision is identical to the current version.
    #[error("The revision does not change anything.")]
    Unchanged,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl SlaPolicyError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "SLA_POLICY_EXISTS",
            Self::NotFound => "SLA_POLICY_NOT_FOUND",
            Self::Retired => "SLA_POLICY_RETIRED",
            Self::Unchanged => "NO_CHANGE",
            Self::Invalid(error) => error.code(),
        }
    }
}
