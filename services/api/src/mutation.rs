//! The mutation runner every use case goes through: idempotency key → replay → execute
//! → read-your-writes; and the sealed position a payload carries.

use async_graphql::Context;
use chorus_kernel::{
    CommandContext, CommandError, CommandOutcome, ExecutePolicy, IdempotencyKey, LogPosition,
};
use chorus_shared::DomainCode;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::principal::Principal;
use crate::runtime::{principal, runtime, Runtime};

/// Who runs a use case, and through which door (`graphql`, `cli`, `demo`, `scim`, …; the
/// channel is recorded in every event's metadata).
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub runtime: &'a Runtime,
    pub principal: &'a Principal,
    pub channel: &'static str,
}

impl<'a> Caller<'a> {
    /// The caller of a GraphQL query or mutation (refused over the subscription socket,
    /// which is authenticated only once).
    pub fn of(ctx: &'a Context<'_>) -> ApiResult<Self> {
        crate::runtime::refuse_over_websocket(ctx)?;
        Ok(Self {
            runtime: runtime(ctx)?,
            principal: principal(ctx)?,
            channel: "graphql",
        })
    }

    /// The caller of a mutation resolver, with the request's idempotency key (if any)
    /// bound to `mutation`, the caller and `input`.
    pub fn for_mutation(
        ctx: &'a Context<'_>,
        mutation: &str,
        key: Option<&String>,
        input: &impl serde::Serialize,
    ) -> ApiResult<(Self, Option<IdempotencyKey>)> {
        let caller = Self::of(ctx)?;
        let key = idempotency(caller.principal, mutation, key, input)?;
        Ok((caller, key))
    }

    pub fn organization_id(&self) -> Uuid {
        self.principal.organization_id
    }
}

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
pub async fn replayed_for(
    caller: Caller<'_>,
    key: &Option<IdempotencyKey>,
) -> ApiResult<Option<CommandOutcome>> {
    let Some(key) = key else { return Ok(None) };
    let outcome = caller
        .runtime
        .store
        .replay_of(caller.organization_id(), key)
        .await
        .map_err(|e| match e {
            CommandError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            CommandError::Store(e) => e.into(),
            _ => ApiError::Conflict,
        })?;
    if let Some(outcome) = &outcome {
        // The first request may have committed a moment ago: answer with its state.
        wait_for_read_models(caller.runtime, outcome).await;
    }
    Ok(outcome)
}

/// Waits until the read models include `outcome`; a timeout is logged, not raised (the
/// write is committed either way).
async fn wait_for_read_models(runtime: &Runtime, outcome: &CommandOutcome) {
    if let Err(error) = runtime.wait_for(outcome.position).await {
        tracing::warn!(%error, position = outcome.position.global_position, "read models lag behind a committed mutation");
    }
}

/// The shape every use case shares once its caller is authorized: an idempotent retry
/// is replayed; otherwise `build()` makes the command for aggregate `A` (with any
/// look-ups it needs), names the aggregate it runs on, and the command is executed.
pub async fn replay_or_execute<A, Fut>(
    caller: Caller<'_>,
    key: Option<IdempotencyKey>,
    build: impl FnOnce() -> Fut,
) -> ApiResult<CommandOutcome>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: DomainCode + Send,
    Fut: std::future::Future<Output = ApiResult<(Uuid, A::Command)>>,
{
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let (id, command) = build().await?;
    execute_for::<A>(caller, id, command, key).await
}

/// Runs a command for the caller, then waits until the read models include it so the
/// payload shows the new state (read-your-writes).
pub async fn execute_for<A>(
    caller: Caller<'_>,
    aggregate_id: Uuid,
    command: A::Command,
    idempotency: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Send,
    A::Error: DomainCode + Send,
{
    let context = command_context(caller, idempotency);
    let outcome = caller
        .runtime
        .store
        .execute::<A>(&context, &aggregate_id.to_string(), command, &())
        .await;
    committed(caller, outcome).await
}

/// [`execute_for`] on an aggregate with its own [`ExecutePolicy`] (snapshots, retries of
/// a lost race on fresh state).
pub async fn execute_with_policy_for<A>(
    caller: Caller<'_>,
    aggregate_id: Uuid,
    command: A::Command,
    idempotency: Option<IdempotencyKey>,
    policy: ExecutePolicy,
) -> ApiResult<CommandOutcome>
where
    A: cqrs_es::Aggregate<Services = ()>,
    A::Command: Clone + Send,
    A::Error: DomainCode + Send,
{
    let context = command_context(caller, idempotency);
    let outcome = caller
        .runtime
        .store
        .execute_with::<A>(&context, &aggregate_id.to_string(), command, &(), policy)
        .await;
    committed(caller, outcome).await
}

fn command_context(caller: Caller<'_>, idempotency: Option<IdempotencyKey>) -> CommandContext {
    let principal = caller.principal;
    CommandContext::new(principal.organization_id, principal.actor, caller.channel)
        .with_idempotency(idempotency)
}

/// The client's answer to a command, once the read models include it.
async fn committed<E: DomainCode>(
    caller: Caller<'_>,
    outcome: Result<CommandOutcome, CommandError<E>>,
) -> ApiResult<CommandOutcome> {
    let outcome = outcome.map_err(|e| match e {
        CommandError::Domain(e) => match e.invalid_input() {
            Some((field, rule)) => ApiError::bad_input(field, rule),
            None => ApiError::Domain {
                code: e.domain_code(),
                message: e.to_string(),
            },
        },
        CommandError::Conflict => ApiError::Conflict,
        CommandError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
        CommandError::ForeignAggregate => ApiError::NotFound("record"),
        CommandError::Store(e) => e.into(),
    })?;
    // The write is committed: a slow read model must not turn it into an error (a retry
    // without an idempotency key would write twice). The payload's state may then be
    // stale or null; `position` lets the client re-read with Chorus-Consistent-With.
    wait_for_read_models(caller.runtime, &outcome).await;
    Ok(outcome)
}

/// The uuid of the aggregate a command outcome belongs to.
pub fn outcome_uuid(outcome: &CommandOutcome) -> ApiResult<Uuid> {
    Uuid::parse_str(&outcome.aggregate_id).map_err(|e| ApiError::internal(&e))
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
        runtime(ctx)?
            .positions
            .seal(organization_id, global_position),
    ))
}
