//! The relay: everything that leaves Chorus, read from the log in commit-safe order with
//! a checkpoint per destination, delivered at least once and, by checking what the
//! destination already holds, published once. Today it feeds NATS JetStream ([`nats`]).

pub mod checkpoint;
pub mod cloud_event;
pub mod nats;

pub use cloud_event::{RelayedKind, RelayedKinds};
pub use nats::NatsRelayConfig;
