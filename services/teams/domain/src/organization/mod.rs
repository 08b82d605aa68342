//! The organization aggregate: the tenant everything else belongs to.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::Organization;
pub use commands::OrganizationCommand;
pub use errors::OrganizationError;
pub use events::OrganizationEvent;
