//! Chorus integrations domain: what an HR system provisions through SCIM beside the teams
//! context's people (their name parts, employee number and department: [`ScimUser`]) and
//! the SCIM groups an admin maps to one role grant each ([`ScimGroup`]).
//!
//! Pure domain: no I/O, no clock reads, no id generation. People, their roles and their
//! reporting lines stay the teams context's; the application layer runs teams' use cases
//! for them.

pub mod scim_group;
pub mod scim_user;
pub mod values;

pub use scim_group::{GroupRole, ScimGroup, ScimGroupCommand, ScimGroupError, ScimGroupEvent};
pub use scim_user::{ScimUser, ScimUserCommand, ScimUserError, ScimUserEvent, UserProfile};

#[cfg(test)]
mod error_codes_tests;
