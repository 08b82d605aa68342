//! Chorus teams domain: organizations, teams, people with their role
//! assignments, reporting lines and social channels.
//!
//! Pure domain: no I/O, no clock reads, no id generation. The application
//! layer supplies times and new ids inside commands.

pub mod channel;
pub mod organization;
pub mod person;
pub mod reporting;
pub mod service_token;
pub mod team;
pub mod values;

pub use chorus_shared::{code_enum, string_newtype, text, text_value, DomainCode};

#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;

pub use channel::{Channel, ChannelCommand, ChannelError, ChannelEvent};
pub use organization::{Organization, OrganizationCommand, OrganizationError, OrganizationEvent};
pub use person::{AssignmentState, Person, PersonCommand, PersonError, PersonEvent};
pub use reporting::{
    ReportingLines, ReportingLinesCommand, ReportingLinesError, ReportingLinesEvent,
};
pub use service_token::{
    ServiceScope, ServiceToken, ServiceTokenCommand, ServiceTokenError, ServiceTokenEvent,
};
pub use team::{Team, TeamCommand, TeamError, TeamEvent};
pub use values::{
    Affiliation, DisplayName, Email, ExternalId, Handle, OrganizationName, Reason, Responsibility,
    RoleFunction, RoleScope, ScopeKind, SocialNetwork, TeamName, ValueError, BACKDATE_TOLERANCE,
    RECOMMENDED_FUNCTIONS,
};

/// Each aggregate error's stable code, as the API's mutation runner reads it.
macro_rules! domain_code {
    ($($t:ty),*) => {$(
        impl DomainCode for $t {
            fn domain_code(&self) -> &'static str { self.code() }
        }
    )*};
}
domain_code!(
    OrganizationError,
    TeamError,
    PersonError,
    ReportingLinesError,
    ChannelError
);

impl DomainCode for ServiceTokenError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }

    fn invalid_input(&self) -> Option<(&'static str, String)> {
        match self {
            Self::InvalidScopes => {
                Some(("scopes", "must list at least one scope, each once".into()))
            }
            Self::ExpiresBeforeIssue => {
                Some(("expiresAt", "must be after the time of issue".into()))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod error_codes_tests;
#[cfg(test)]
mod stored_names_tests;
