//! The GraphQL API: schema assembly, global ids, Relay pagination, and the request
//! context every resolver reads (principal, loaders, application state).

pub mod budget;
pub mod subscription;

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, MergedObject, OutputType, Schema, ID};
use base64::Engine;
use chorus_kernel::{CommandContext, CommandError, IdempotencyKey, LogPosition};
use uuid::Uuid;

use crate::auth::Principal;
use crate::content::graphql::{ContentMutation, ContentQuery};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::teams::graphql::{TeamsMutation, TeamsQuery};
use crate::teams::read::{Page, TeamsLoader};
use crate::teams::service_tokens::{ServiceTokensMutation, ServiceTokensQuery};

/// The root query: each bounded context contributes its slice.
#[derive(MergedObject, Default)]
pub struct Query(TeamsQuery, ServiceTokensQuery, ContentQuery);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(TeamsMutation, ServiceTokensMutation, ContentMutation);

pub type ChorusSchema = Schema<Query, Mutation, subscription::Subscription>;

/// Builds the schema with the limits always on.
pub fn build_schema(
    state: Option<Arc<AppState>>,
    limits: &crate::config::LimitsConfig,
    production: bool,
) -> ChorusSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(32)
    .limit_directives(50)
    .extension(budget::Budget);
    if production {
        builder = builder.disable_suggestions().disable_introspection();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The schema's SDL, as written to `schema/schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, &crate::config::LimitsConfig::default(), false).sdl()
}

/// Per-request data: who is calling and the batch loader confined to their organization.
pub fn request_data(
    state: &Arc<AppState>,
    principal: Principal,
) -> (Principal, DataLoader<TeamsLoader>) {
    let loader = DataLoader::new(
        TeamsLoader {
            db: state.db.clone(),
            org: principal.organization_id,
        },
        tokio::spawn,
    );
    (principal, loader)
}

pub fn state<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Arc<AppState>> {
    ctx.data::<Arc<AppState>>()
        .map_err(|_| ApiError::internal(&"application state missing"))
}

pub fn principal<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    ctx.data::<Principal>()
        .map_err(|_| ApiError::Unauthenticated("missing bearer token"))
}

pub fn loader<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a DataLoader<TeamsLoader>> {
    ctx.data::<DataLoader<TeamsLoader>>()
        .map_err(|_| ApiError::internal(&"loader missing"))
}

/// Marks operations that arrived over the subscription socket, which is authenticated
/// once at `connection_init`: only subscriptions run there (they end when the token
/// expires or the person is offboarded); queries and mutations must use HTTP.
pub struct OverWebSocket;

fn refuse_over_websocket(ctx: &Context<'_>) -> ApiResult<()> {
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
    if principal.person_id().is_some()
        || principal.has_scope("teams:read")
        || principal.has_scope("teams:write")
    {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "this token has no scope to read team structure",
        ))
    }
}

/// Organization admins (founding admin or senior management at organization scope), or
/// service accounts with `teams:write`.
pub async fn require_admin<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    refuse_over_websocket(ctx)?;
    let principal = principal(ctx)?;
    let allowed = match principal.person_id() {
        Some(person) => {
            crate::teams::read::is_admin(&state(ctx)?.db, principal.organization_id, person).await?
        }
        None => principal.has_scope("teams:write"),
    };
    if allowed {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "only organization admins may change team structure",
        ))
    }
}

/// Encodes a global id: opaque to clients, typed for us.
pub fn encode_id(kind: &str, id: Uuid) -> ID {
    ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Decodes any global id into its kind and uuid.
pub fn decode_any_id(field: &str, id: &ID) -> ApiResult<(String, Uuid)> {
    let invalid = || ApiError::bad_input(field, "must be an id returned by this API");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.as_str())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (kind, uuid) = text.split_once(':').ok_or_else(invalid)?;
    Ok((
        kind.to_owned(),
        Uuid::parse_str(uuid).map_err(|_| invalid())?,
    ))
}

/// Decodes a global id that must be of `kind`.
pub fn decode_id(kind: &str, field: &str, id: &ID) -> ApiResult<Uuid> {
    let (found, uuid) = decode_any_id(field, id)?;
    if found == kind {
        Ok(uuid)
    } else {
        Err(ApiError::bad_input(
            field,
            format!("must be the id of a {kind}"),
        ))
    }
}

/// Parses Relay forward-pagination arguments against the configured page-size cap.
pub fn page(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> ApiResult<Page> {
    let limits = &state(ctx)?.config.limits;
    let first = first.unwrap_or(limits.default_page_size);
    if !(0..=limits.max_page_size).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("must be between 0 and {}", limits.max_page_size),
        ));
    }
    let after = after
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|b| Uuid::from_slice(&b).ok())
                .ok_or_else(|| {
                    ApiError::bad_input("after", "must be a cursor returned by this API")
                })
        })
        .transpose()?;
    Ok(Page {
        after,
        limit: i64::from(first) + 1,
    })
}

fn cursor(id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes())
}

/// Builds a connection from up to `page.limit` rows ordered by id.
pub fn connection<R, N: OutputType>(
    mut rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let size = usize::try_from(page.limit - 1).unwrap_or_default();
    let has_next = rows.len() > size;
    rows.truncate(size);
    let mut connection = Connection::new(page.after.is_some(), has_next);
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(cursor(id_of(&row)), node(row))),
    );
    connection
}

/// A place in the event log, as an opaque token bound to your organization. Mutations
/// return the position of their last event; send it back in the `Chorus-Consistent-With`
/// header to read your own write from any replica.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LogPositionScalar(pub String);
async_graphql::scalar!(
    LogPositionScalar,
    "LogPosition",
    "A place in the event log, as an opaque token that only your organization can use \
     (send it as the Chorus-Consistent-With header). It reveals nothing about the log."
);

/// The caller's token for `position` ([`crate::positions`]).
pub fn seal(ctx: &Context<'_>, position: LogPosition) -> ApiResult<LogPositionScalar> {
    seal_at(ctx, position.global_position)
}

/// The caller's token for the event at `global_position`.
pub fn seal_at(ctx: &Context<'_>, global_position: i64) -> ApiResult<LogPositionScalar> {
    let organization_id = principal(ctx)?.organization_id;
    Ok(LogPositionScalar(
        state(ctx)?.positions.seal(organization_id, global_position),
    ))
}

/// Domain errors carry stable codes; this lets the mutation runner read them.
pub trait DomainCode: std::error::Error {
    fn domain_code(&self) -> &'static str;
}

macro_rules! domain_code {
    ($($t:ty),*) => {$(
        impl DomainCode for $t {
            fn domain_code(&self) -> &'static str { self.code() }
        }
    )*};
}
domain_code!(
    chorus_teams::OrganizationError,
    chorus_teams::TeamError,
    chorus_teams::PersonError,
    chorus_teams::ReportingLinesError,
    chorus_teams::ChannelError,
    chorus_teams::ServiceTokenError,
    chorus_content::PostError,
    chorus_content::ApprovalPolicyError,
    chorus_content::LexiconError,
    chorus_content::LegalReviewError
);

/// Validates an optional idempotency key and binds it to the request it came with.
pub fn idempotency(
    principal: &Principal,
    mutation: &str,
    key: Option<&String>,
    input: &impl serde::Serialize,
) -> ApiResult<Option<IdempotencyKey>> {
    let Some(key) = key else { return Ok(None) };
    if key.is_empty() || key.len() > 200 || key.chars().any(char::is_control) {
        return Err(ApiError::bad_input(
            "idempotencyKey",
            "must be 1 to 200 characters without control characters",
        ));
    }
    // Bound to the caller too: another person reusing the key gets IDEMPOTENCY_KEY_REUSED,
    // never someone else's result.
    let request = serde_json::to_string(&(principal.actor.id, mutation, input))
        .map_err(|e| ApiError::internal(&e))?;
    Ok(Some(IdempotencyKey {
        key: key.clone(),
        request,
    }))
}

/// The outcome of an earlier request with this idempotency key, checked before any
/// validation so a retry after the state moved on still gets the first answer.
pub async fn replayed(
    ctx: &Context<'_>,
    key: &Option<IdempotencyKey>,
) -> ApiResult<Option<chorus_kernel::CommandOutcome>> {
    let Some(key) = key else { return Ok(None) };
    let principal = principal(ctx)?;
    let state = state(ctx)?;
    let outcome = state
        .store
        .replay_of(principal.organization_id, key)
        .await
        .map_err(|e| match e {
            CommandError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            CommandError::Store(e) => e.into(),
            _ => ApiError::Conflict,
        })?;
    if let Some(outcome) = &outcome {
        // The first request may have committed a moment ago: answer with its state.
        wait_for_read_models(state, outcome).await;
    }
    Ok(outcome)
}

/// Waits until the read models include `outcome`; a timeout is logged, not raised (the
/// write is committed either way).
async fn wait_for_read_models(state: &AppState, outcome: &chorus_kernel::CommandOutcome) {
    if let Err(error) = state.wait_for(outcome.position).await {
        tracing::warn!(%error, position = outcome.position.global_position, "read models lag behind a committed mutation");
    }
}

/// Runs a command for the caller, then waits until the read models include it so the
/// payload shows the new state (read-your-writes).
pub async fn execute<A>(
    ctx: &Context<'_>,
    aggregate_id: Uuid,
    command: A::Command,
    idempotency: Option<IdempotencyKey>,
) -> ApiResult<chorus_kernel::CommandOutcome>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: DomainCode + Send,
{
    let state = state(ctx)?;
    let principal = principal(ctx)?;
    let context = CommandContext::new(principal.organization_id, principal.actor, "graphql")
        .with_idempotency(idempotency);
    let outcome = state
        .store
        .execute::<A>(&context, &aggregate_id.to_string(), command, &())
        .await
        .map_err(|e| match e {
            CommandError::Domain(e) => ApiError::Domain {
                code: e.domain_code(),
                message: e.to_string(),
            },
            CommandError::Conflict => ApiError::Conflict,
            CommandError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            CommandError::ForeignAggregate => ApiError::NotFound("record"),
            CommandError::Store(e) => e.into(),
        })?;
    // The write is committed: a slow read model must not turn it into an error (a retry
    // without an idempotency key would write twice). The payload's state may then be
    // stale or null; `position` lets the client re-read with Chorus-Consistent-With.
    wait_for_read_models(state, &outcome).await;
    Ok(outcome)
}

/// Complexity of a connection: its page size times the cost of each node, so the
/// complexity limit bounds the rows a query can touch.
pub fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = usize::try_from(first.unwrap_or(20)).unwrap_or(0).max(1);
    first.saturating_mul(child_complexity).saturating_add(1)
}

/// The uuid of the aggregate a command outcome belongs to.
pub fn outcome_uuid(outcome: &chorus_kernel::CommandOutcome) -> ApiResult<Uuid> {
    Uuid::parse_str(&outcome.aggregate_id).map_err(|e| ApiError::internal(&e))
}
