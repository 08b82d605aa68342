//! Shared value types.
//!
//! Every newtype here is the only place its rules are checked ("parse, don't
//! validate"): once a command holds an `Email`, the aggregate can trust it.
//!
//! - [`text_values`]: the validated text newtypes (names, addresses, handles, reasons);
//! - [`roles`]: what a role assignment is made of (function, responsibility, scope) and
//!   how a person is attached (affiliation);
//! - [`network`]: the social networks a channel lives on.

pub mod network;
pub mod roles;
pub mod text_values;

pub use chorus_shared::ValueError;
pub use network::SocialNetwork;
pub use roles::{
    Affiliation, Responsibility, RoleFunction, RoleScope, ScopeKind, BACKDATE_TOLERANCE,
    RECOMMENDED_FUNCTIONS,
};
pub use text_values::{DisplayName, Email, ExternalId, Handle, OrganizationName, Reason, TeamName};
