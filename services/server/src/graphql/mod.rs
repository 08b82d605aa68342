//! The GraphQL API: schema assembly, global ids, Relay pagination, and the request
//! context every resolver reads (principal, loaders, application state).

pub mod aggregate_type;
pub mod budget;
mod event_stream;
pub mod node;
pub mod subscription;

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::Schema;
use chorus_api::responses::KeepWatch;

pub use chorus_api::{
    connection, decode_any_id, decode_id, encode_id, page, page_complexity, principal, seal,
    seal_at, LogPositionScalar, OverWebSocket,
};
pub use chorus_api::{require_reader, require_subscriber};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
pub use crate::modules::{Mutation, Query};
use crate::state::AppState;

pub type ChorusSchema = Schema<Query, Mutation, subscription::Subscription>;

/// Builds the schema with the limits always on, the request budget included.
pub fn build_schema(
    state: Option<Arc<AppState>>,
    limits: &crate::config::LimitsConfig,
    production: bool,
) -> ChorusSchema {
    assemble(state, limits, production, Watch::Budget)
}

/// The schemas a server executes on: the same types and limits, with and without the
/// [`budget::Budget`] extension, and one that watches what a keepable answer resolves.
#[derive(Clone)]
pub struct Schemas {
    /// For batches and sockets: the extension charges each operation to the request.
    pub budgeted: ChorusSchema,
    /// For a request of one operation, charged beforehand ([`budget::charge_single`]):
    /// no extension, so no per-field extension chain.
    pub lean: ChorusSchema,
    /// For a request of one operation whose answer may be kept
    /// ([`chorus_api::responses`]): the lean schema with the [`KeepWatch`] extension.
    pub keeping: ChorusSchema,
    /// The root fields whose answers may be kept.
    pub keep_roots: Arc<HashSet<&'static str>>,
}

impl Schemas {
    pub fn new(
        state: Arc<AppState>,
        limits: &crate::config::LimitsConfig,
        production: bool,
    ) -> Self {
        let keepable: Vec<_> = state.modules.iter().map(|m| m.keepable()).collect();
        Self {
            budgeted: assemble(Some(state.clone()), limits, production, Watch::Budget),
            lean: assemble(Some(state.clone()), limits, production, Watch::None),
            keeping: assemble(
                Some(state),
                limits,
                production,
                Watch::Keeping(KeepWatch::new(&keepable)),
            ),
            keep_roots: Arc::new(KeepWatch::roots(&keepable)),
        }
    }
}

/// Which extension a schema runs with.
enum Watch {
    None,
    Budget,
    Keeping(KeepWatch),
}

fn assemble(
    state: Option<Arc<AppState>>,
    limits: &crate::config::LimitsConfig,
    production: bool,
    watch: Watch,
) -> ChorusSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(32)
    .limit_directives(50);
    match watch {
        Watch::None => {}
        Watch::Budget => builder = builder.extension(budget::Budget),
        Watch::Keeping(keep_watch) => builder = builder.extension(keep_watch),
    }
    if production {
        builder = builder.disable_suggestions().disable_introspection();
    }
    if let Some(state) = state {
        builder = builder.data(state.runtime.clone()).data(state);
    }
    builder.finish()
}

/// The schema's SDL, as written to `schema/schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, &crate::config::LimitsConfig::default(), false).sdl()
}

/// Per-request data: who is calling, and what each context's resolvers read for them
/// (batch loaders confined to their organization).
pub fn request_data(state: &Arc<AppState>, principal: Principal, data: &mut async_graphql::Data) {
    for module in &state.modules {
        module.request_data(&state.runtime, &principal, data);
    }
    data.insert(principal);
}

/// The application state (the live feed, the authenticator), from the schema's data.
pub fn state<'a>(ctx: &'a async_graphql::Context<'_>) -> ApiResult<&'a Arc<AppState>> {
    ctx.data::<Arc<AppState>>()
        .map_err(|_| ApiError::internal(&"application state missing"))
}
