use chorus_teams_domain::values::ValueError;

/// Why the [`LegalReview`](super::LegalReview) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegalReviewError {
    /// Log was sent to a review that already exists.
    #[error("The legal review already exists.")]
    AlreadyExists,
    /// The reviewer's role is not in the legal function.
    #[error("Only a holder of a legal role may log a legal review.")]
    NotLegal,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl LegalReviewError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotLegal => "NOT_LEGAL",
            Self::Invalid(error) => error.code(),
        }
    }
}
