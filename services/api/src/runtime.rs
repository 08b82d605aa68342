//! What every context's resolvers and use cases run against: the database, the event
//! store, the log reader, the projector and the position sealer, shared by the whole
//! process and handed to GraphQL as schema data.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::Context;
use chorus_kernel::{Db, EventStore, LogPosition, LogReader, Projector};

use crate::error::{ApiError, ApiResult};
use crate::positions::PositionSealer;
use crate::principal::Principal;

/// How much one list argument may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// `first` when a client gives none.
    pub default_page_size: i32,
    /// The largest `first` a client may ask for.
    pub max_page_size: i32,
    /// Ids in one `nodes(ids:)` call.
    pub max_node_ids: usize,
}

/// The process-wide services of the application.
#[derive(Debug)]
pub struct Runtime {
    pub db: Db,
    pub store: EventStore,
    pub reader: LogReader,
    pub projector: Projector,
    /// Seals the log positions clients see ([`crate::positions`]).
    pub positions: PositionSealer,
    pub pages: PageLimits,
    /// How long a read-your-writes wait may take.
    pub consistency_timeout: Duration,
    /// Whether a background projector keeps the read models moving (`chorus serve`);
    /// without one (the command-line tools), a wait applies the events itself.
    pub projecting: AtomicBool,
}

impl Runtime {
    /// Waits until the read models include `position`.
    pub async fn wait_for(&self, position: LogPosition) -> ApiResult<()> {
        let waited = if self.projecting.load(Ordering::Acquire) {
            self.projector
                .wait_for(position, self.consistency_timeout)
                .await
        } else {
            self.projector
                .catch_up_to(position, self.consistency_timeout)
                .await
        };
        waited.map_err(ApiError::from)
    }
}

/// The runtime, from the schema's data.
pub fn runtime<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Arc<Runtime>> {
    ctx.data::<Arc<Runtime>>()
        .map_err(|_| ApiError::internal(&"application runtime missing"))
}

/// The caller, from the request's data.
pub fn principal<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    ctx.data::<Principal>()
        .map_err(|_| ApiError::Unauthenticated("missing bearer token"))
}

/// Marks operations that arrived over the subscription socket, which is authenticated
/// once at `connection_init`: only subscriptions run there (they end when the token
/// expires or the person is offboarded); queries and mutations must use HTTP.
pub struct OverWebSocket;

/// Refuses queries and mutations that arrived over the socket.
pub fn refuse_over_websocket(ctx: &Context<'_>) -> ApiResult<()> {
    if ctx.data_opt::<OverWebSocket>().is_some() {
        return Err(ApiError::Forbidden(
            "queries and mutations are served over HTTP; the socket carries subscriptions",
        ));
    }
    Ok(())
}

/// Anyone in the organization may read; service accounts need `teams:read` or `teams:write`.
pub fn require_reader<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    refuse_over_websocket(ctx)?;
    require_subscriber(ctx)
}

/// Like [`require_reader`], for subscription fields (which do run over the socket).
pub fn require_subscriber<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    let principal = principal(ctx)?;
    ensure_reader(principal)?;
    Ok(principal)
}

/// People of the organization may read; service accounts need `teams:read` or
/// `teams:write`.
pub fn ensure_reader(principal: &Principal) -> ApiResult<()> {
    if principal.person_id().is_some()
        || principal.has_scope("teams:read")
        || principal.has_scope("teams:write")
    {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "this token has no scope to read team structure",
        ))
    }
}
