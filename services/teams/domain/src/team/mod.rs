//! The team aggregate: a named group inside an organization, optionally
//! nested under a parent team.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::Team;
pub use commands::TeamCommand;
pub use errors::TeamError;
pub use events::TeamEvent;
