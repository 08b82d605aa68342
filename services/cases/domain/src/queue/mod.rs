//! The case queue aggregate: how one team's queue hands its cases out (by hand, round
//! robin, or to the least loaded holder), with a per-person capacity. One per team, keyed
//! by the team's id.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{AssignmentStrategy, CaseQueue, QueueSettings};
pub use commands::CaseQueueCommand;
pub use errors::CaseQueueError;
pub use events::CaseQueueEvent;
