//! The teams context's application side: read models, queries and the GraphQL slice.
//! The domain (aggregates, commands, events) is the `chorus-teams` crate.

pub mod graphql;
pub mod projection;
pub mod read;
pub mod service_tokens;
