/// Why the [`Organization`](super::Organization) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganizationError {
    /// Create was sent to an organization that already exists.
    #[error("The organization already exists.")]
    AlreadyExists,
    /// The organization has not been created.
    #[error("The organization was not found.")]
    NotFound,
    /// Rename to the current name; refused so the history only holds real changes.
    #[error("The organization already has this name.")]
    NameUnchanged,
}

impl OrganizationError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::NameUnchanged => "NO_CHANGE",
        }
    }
}
