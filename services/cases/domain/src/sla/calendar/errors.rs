use crate::values::ValueError;

/// Why the [`BusinessCalendar`](super::BusinessCalendar) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusinessCalendarError {
    /// Define was sent to a calendar that already exists.
    #[error("The business calendar already exists.")]
    AlreadyExists,
    /// The calendar has not been defined.
    #[error("The business calendar was not found.")]
    NotFound,
    /// The calendar is retired and can no longer change.
    #[error("The business calendar is retired.")]
    Retired,
    /// The revision is identical to the current version.
    #[error("The revision does not change anything.")]
    Unchanged,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl BusinessCalendarError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "CALENDAR_EXISTS",
            Self::NotFound => "CALENDAR_NOT_FOUND",
            Self::Retired => "CALENDAR_RETIRED",
            Self::Unchanged => "NO_CHANGE",
            Self::Invalid(error) => error.code(),
        }
    }
}
