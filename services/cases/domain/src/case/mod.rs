//! The case aggregate: one complaint or enquiry, from its intake through routing,
//! assignment, replies (and their approval), escalation and resolution, with its SLA
//! clocks.

mod aggregate;
mod commands;
mod decide;
mod errors;
mod events;
mod values;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_replies;
#[cfg(test)]
mod tests_reply_approval;

pub use aggregate::{Case, PendingReply};
pub use commands::CaseCommand;
pub use errors::CaseError;
pub use events::CaseEvent;
pub use values::{Intake, IntakeRecord, OutboundStatus, ReturnReason};
