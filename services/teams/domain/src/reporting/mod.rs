//! The reporting-lines aggregate: who reports to whom.
//!
//! There is one aggregate per organization (aggregate id = organization id)
//! so the cycle check sees the whole graph, and concurrent edits are
//! serialized by optimistic concurrency on that single stream.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::ReportingLines;
pub use commands::ReportingLinesCommand;
pub use errors::ReportingLinesError;
pub use events::ReportingLinesEvent;
