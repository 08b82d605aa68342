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
pub mod text;
pub mod values;

#[cfg(test)]
mod test_support;

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
