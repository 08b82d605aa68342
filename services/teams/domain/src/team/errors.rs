/// Why the [`Team`](super::Team) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// Create was sent to a team that already exists.
    #[error("The team already exists.")]
    AlreadyExists,
    /// The team has not been created.
    #[error("The team was not found.")]
    NotFound,
    /// The team is archived and can no longer change.
    #[error("The team is archived.")]
    Archived,
    /// Rename to the current name; refused so the history only holds real changes.
    #[error("The team already has this name.")]
    NameUnchanged,
    /// A team was given itself as parent.
    #[error("A team cannot be its own parent.")]
    ParentIsSelf,
}

impl TeamError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::Archived => "TEAM_ARCHIVED",
            Self::NameUnchanged => "NO_CHANGE",
            Self::ParentIsSelf => "INVALID_PARENT",
        }
    }
}
