//! SLA policies: the targets (first response, next response, resolution) per priority, the
//! calendar they count in and the warning lead, versioned. A case records the version it
//! opened under (an [`SlaSnapshot`]).

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{SlaPolicy, SlaSnapshot};
pub use commands::SlaPolicyCommand;
pub use errors::SlaPolicyError;
pub use events::SlaPolicyEvent;
