/// Why the [`Channel`](super::Channel) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    /// Register was sent to a channel that already exists.
    #[error("The channel already exists.")]
    AlreadyExists,
    /// The channel has not been registered.
    #[error("The channel was not found.")]
    NotFound,
    /// The channel is retired and can no longer change.
    #[error("The channel is retired.")]
    Retired,
}

impl ChannelError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::Retired => "CHANNEL_RETIRED",
        }
    }
}
