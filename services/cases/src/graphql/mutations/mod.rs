//! The cases mutations: intake (`receiveChannelMessage`, `receiveExternalCase`,
//! `openCase`, `recordContactMessage`), working a case ([`work`]), replies ([`reply`]) and
//! the configuration ([`config`]). Each resolver parses its input into domain values
//! (`BAD_USER_INPUT` naming the field), binds the idempotency key to the request and
//! calls the use case; the payload carries the record as the read models show it.

mod config;
mod intake;
mod reply;
mod work;

use std::future::Future;

use async_graphql::{Context, MergedObject, SimpleObject, ID};
use chorus_api::LogPositionScalar;
use chorus_api::{decode_id, outcome_uuid, principal, runtime, seal, ApiResult, Caller, Gql};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use serde::Serialize;
use uuid::Uuid;

use super::case::Case;
use crate::read;

/// The root mutation's cases part.
#[derive(MergedObject, Default)]
pub struct CasesMutation(
    intake::IntakeMutation,
    work::WorkMutation,
    reply::ReplyMutation,
    config::ConfigMutation,
    crate::graphql::queue::QueueMutation,
);

/// Result of the case mutations.
#[derive(SimpleObject)]
pub struct CasePayload {
    /// The case as the read models show it after the change.
    case: Option<Case>,
    /// Position of the last event this mutation appended (or, on an idempotent retry,
    /// appended the first time).
    position: LogPositionScalar,
    /// True when the idempotency key matched an earlier request and nothing new was written.
    replayed: bool,
}

/// A mutation's input, which carries the request's idempotency key.
pub(crate) trait Keyed: Serialize {
    fn idempotency_key(&self) -> Option<&String>;
}

macro_rules! keyed {
    ($($input:ty),* $(,)?) => {
        $(impl $crate::graphql::mutations::Keyed for $input {
            fn idempotency_key(&self) -> Option<&String> {
                self.idempotency_key.as_ref()
            }
        })*
    };
}
pub(crate) use keyed;

/// What every case mutation answers.
pub(super) type CaseAnswer = async_graphql::Result<CasePayload>;

/// A case mutation: the idempotency key is bound to the request, `parse` turns the input
/// into the use case's request, `use_case` runs it; the answer carries the case.
pub(super) async fn case_mutation<'c, I: Keyed, R, Fut>(
    ctx: &'c Context<'_>,
    name: &'static str,
    input: &I,
    parse: impl FnOnce(&I) -> ApiResult<R>,
    use_case: impl FnOnce(Caller<'c>, R, Option<IdempotencyKey>) -> Fut,
) -> CaseAnswer
where
    Fut: Future<Output = ApiResult<CommandOutcome>>,
{
    async {
        let (caller, key) = Caller::for_mutation(ctx, name, input.idempotency_key(), input)?;
        let request = parse(input)?;
        let outcome = use_case(caller, request, key).await?;
        case_payload(ctx, &outcome).await
    }
    .await
    .gql()
}

async fn case_payload(ctx: &Context<'_>, outcome: &CommandOutcome) -> ApiResult<CasePayload> {
    let id = outcome_uuid(outcome)?;
    let org = principal(ctx)?.organization_id;
    Ok(CasePayload {
        case: read::case(&runtime(ctx)?.db, org, id).await?.map(Case),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

pub(super) fn case_id(id: &ID) -> ApiResult<Uuid> {
    decode_id("Case", "caseId", id)
}

/// The case settings of the request (from the server's configuration).
pub(super) fn settings(ctx: &Context<'_>) -> crate::CaseSettings {
    ctx.data_opt::<crate::CaseSettings>()
        .copied()
        .unwrap_or_default()
}
