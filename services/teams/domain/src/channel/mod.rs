//! The channel aggregate: one social account a team runs on a network.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::Channel;
pub use commands::ChannelCommand;
pub use errors::ChannelError;
pub use events::ChannelEvent;
