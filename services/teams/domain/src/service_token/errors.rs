/// Why the [`ServiceToken`](super::ServiceToken) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceTokenError {
    /// Issue was sent to a token that already exists.
    #[error("The token already exists.")]
    AlreadyExists,
    /// The token has not been issued.
    #[error("The token was not found.")]
    NotFound,
    /// A token needs at least one scope, each once.
    #[error("scopes: must list at least one scope, each once")]
    InvalidScopes,
    /// A token must expire after it is issued.
    #[error("expiresAt: must be after the time of issue")]
    ExpiresBeforeIssue,
    /// The token was revoked already.
    #[error("The token is already revoked.")]
    AlreadyRevoked,
}

impl ServiceTokenError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::InvalidScopes | Self::ExpiresBeforeIssue => "BAD_USER_INPUT",
            Self::AlreadyRevoked => "TOKEN_REVOKED",
        }
    }
}
