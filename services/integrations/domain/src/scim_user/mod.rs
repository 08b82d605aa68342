//! What an HR system provisions about a person beyond what the teams context keeps
//! (display name, email, external id, roles, reporting line): the parts of their name,
//! their employee number and department. One aggregate per person, keyed by the person's
//! id, so an HR system's view of a person round-trips through SCIM.

mod aggregate;

#[cfg(test)]
mod tests;

pub use aggregate::{ScimUser, ScimUserCommand, ScimUserError, ScimUserEvent, UserProfile};
