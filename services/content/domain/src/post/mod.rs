//! The post aggregate: content drafted for one or more channels, submitted
//! under the approval policies that apply, signed off step by step (four
//! eyes, one signature per signer per step), scheduled, published (with
//! approval or under delegated authority), retracted or expired; legal
//! reviews can block it.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{Post, Publication, Retraction, MAX_CHANNELS, MAX_MEDIA};
pub use commands::PostCommand;
pub use errors::PostError;
pub use events::{AppliedPolicy, DelegatedAuthority, PostEvent, Signature, VoidReason};
