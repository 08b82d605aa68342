//! The toolkit every context's application layer and GraphQL slice share: the error
//! catalogue ([`ApiError`]), the caller ([`Principal`]), the [`Runtime`] resolvers and
//! use cases run against, global ids, Relay connections, sealed log positions, the
//! mutation runner (authorize → idempotency → replay → execute → read-your-writes →
//! payload) and the [`Module`] trait each context implements.
//!
//! Nothing here knows a context: contexts depend on this crate, never the reverse.

pub mod background;
pub mod cache;
#[cfg(test)]
mod catalogue;
pub mod connection;
pub mod error;
pub mod ids;
pub mod module;
pub mod mutation;
pub mod plain;
pub mod positions;
pub mod principal;
pub mod responses;
pub mod runtime;
pub mod stored;

pub use connection::{
    connection, cursor_connection, decode_after, encode_cursor, page, page_complexity,
};
pub use error::{parse, parse_opt, ApiError, ApiResult, Gql};
pub use ids::{decode_any_id, decode_id, encode_id};
pub use module::Module;
pub use mutation::{
    execute_for, execute_with_policy_for, idempotency, outcome_uuid, replay_or_execute,
    replayed_for, seal, seal_at, Caller, LogPositionScalar,
};
pub use positions::PositionSealer;
pub use principal::Principal;
pub use runtime::{
    principal, refuse_over_websocket, require_reader, require_subscriber, runtime, OverWebSocket,
    PageLimits, Runtime,
};
pub use stored::{decode_stored, decode_stored_opt};
