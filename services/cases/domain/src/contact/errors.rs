/// Why the [`Contact`](super::Contact) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// The contact has not been registered.
    #[error("The contact was not found.")]
    NotFound,
    /// Register was sent with an id another organization's contact holds.
    #[error("The contact was not found.")]
    OtherOrganization,
    /// The update changes nothing.
    #[error("The update does not change anything.")]
    Unchanged,
}

impl ContactError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound | Self::OtherOrganization => "NOT_FOUND",
            Self::Unchanged => "NO_CHANGE",
        }
    }
}

impl chorus_shared::DomainCode for ContactError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }
}
