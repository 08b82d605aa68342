//! The person aggregate: someone who works on an organization's social
//! presence, together with their role assignments.
//!
//! Assignments live inside the person so that "no duplicate active
//! assignment" is a local invariant checked within one consistency boundary.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{AssignmentState, Person};
pub use commands::PersonCommand;
pub use errors::PersonError;
pub use events::PersonEvent;
