//! The teams slice of the GraphQL schema: organizations, teams, people, role
//! assignments, reporting lines, channels, coverage and time travel. One file per
//! object type; [`query`] holds the root query fields, [`mutation`] the mutations
//! (which parse their input and call [`crate::commands`]).

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject, ID};
use chorus_api::mirror_enum;
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
use chorus_api::{decode_stored_opt, outcome_uuid, page_complexity};

/// A mutation's payload: the new state, with the fields every mutation answers.
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

        impl $name {
            pub(crate) fn new(
                ctx: &Context<'_>,
                outcome: &chorus_kernel::CommandOutcome,
                $field: $ty,
            ) -> ApiResult<Self> {
                Ok(Self {
                    $field,
                    position: seal(ctx, outcome.position)?,
                    replayed: outcome.replayed,
                })
            }
        }
    };
}

mod channel;
mod enums;
mod lookups;
mod mutation;
mod node;
mod organization;
mod paging;
mod payloads;
mod person;
mod plain;
mod query;
mod service_token;
mod snapshot;
mod team;
mod viewer;

pub use channel::*;
pub use enums::*;
use lookups::*;
pub use mutation::*;
pub use node::*;
pub use organization::*;
use paging::*;
pub use payloads::*;
pub use person::*;
pub use query::*;
pub use service_token::*;
pub use snapshot::*;
pub use team::*;
pub use viewer::*;
