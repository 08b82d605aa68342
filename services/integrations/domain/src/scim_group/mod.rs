//! A SCIM group as an admin maps it: the identity provider's group of that `displayName`
//! stands for one role grant (a function, optionally a responsibility, at a scope).
//! Membership is not kept here: a member of the group is a person who holds that role,
//! so adding a member assigns the role (through the teams context's use case) and
//! removing one revokes it; there is no second record of membership to drift.

mod aggregate;
mod commands;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{GroupRole, ScimGroup, ScimGroupError};
pub use commands::ScimGroupCommand;
pub use events::ScimGroupEvent;
