use chorus_teams_domain::values::ValueError;

/// Why the [`ApprovalPolicy`](super::ApprovalPolicy) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalPolicyError {
    /// Define was sent to a policy that already exists.
    #[error("The approval policy already exists.")]
    AlreadyExists,
    /// The policy has not been defined.
    #[error("The approval policy was not found.")]
    NotFound,
    /// The policy is retired and can no longer change.
    #[error("The approval policy is retired.")]
    Retired,
    /// The revision is identical to the current version.
    #[error("The revision does not change anything.")]
    Unchanged,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl ApprovalPolicyError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::Retired => "POLICY_RETIRED",
            Self::Unchanged => "NO_CHANGE",
            Self::Invalid(error) => error.code(),
        }
    }
}
