/// Why the [`Lexicon`](super::Lexicon) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// The term already raises this flag.
    #[error("The term is already in the lexicon for this flag.")]
    TermExists,
    /// The term does not raise this flag.
    #[error("The term is not in the lexicon for this flag.")]
    TermNotFound,
}

impl LexiconError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TermExists => "ALREADY_EXISTS",
            Self::TermNotFound => "NOT_FOUND",
        }
    }
}
