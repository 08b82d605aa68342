//! The teams slice of the GraphQL schema: organizations, teams, people, role
//! assignments, reporting lines, channels, coverage and time travel. One file per
//! object type; [`query`] holds the root query fields, [`mutation`] the mutations
//! (which parse their input and call [`crate::commands`]).

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject, ID};
use chorus_teams_domain as domain;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::read::{self, *};
use crate::access::{loader, require_admin};
use crate::commands;
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::Caller;
use chorus_api::{
    connection, decode_id, encode_id, page, require_reader, runtime, seal, LogPositionScalar,
};
use chorus_api::{outcome_uuid, page_complexity};

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ty { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize)]
        pub enum $name { $($variant),* }
        impl From<$name> for $domain {
            fn from(value: $name) -> Self { match value { $($name::$variant => <$domain>::$variant),* } }
        }
        impl From<$domain> for $name {
            fn from(value: $domain) -> Self { match value { $(<$domain>::$variant => $name::$variant),* } }
        }
        impl $name {
            /// Parses the stored (SCREAMING_SNAKE_CASE) form.
            pub(crate) fn from_stored(value: &str) -> ApiResult<Self> {
                value.parse::<$domain>().map(Self::from).map_err(|e| ApiError::internal(&e))
            }
        }
    };
}

/// Fields common to every mutation input.
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $field:ident : $ty:ty }) => {
        $(#[$meta])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// The new state, read back from the read models.
            pub(crate) $field: $ty,
            /// Position of the last event this mutation appended (or, on an idempotent
            /// retry, appended the first time).
            pub(crate) position: LogPositionScalar,
            /// True when the idempotency key matched an earlier request and nothing new was written.
            pub(crate) replayed: bool,
        }
    };
}

mod channel;
mod enums;
mod lookups;
mod mutation;
mod node;
mod organization;
mod payloads;
mod person;
mod query;
mod snapshot;
mod team;
mod viewer;

pub use channel::*;
pub use enums::*;
use lookups::*;
pub use mutation::*;
pub use node::*;
pub use organization::*;
pub use payloads::*;
pub use person::*;
pub use query::*;
pub use snapshot::*;
pub use team::*;
pub use viewer::*;
