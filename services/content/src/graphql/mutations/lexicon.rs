//! The lexicon mutations (`addLexiconTerm`, `removeLexiconTerm`), their input and
//! payload.

use std::future::Future;

use async_graphql::{Context, InputObject, Object};
use chorus_api::error::{ApiResult, Gql};
use chorus_api::{principal, seal, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use serde::Serialize;

use crate::commands;
use crate::graphql::enums::ContentFlag;
use crate::graphql::lexicon::{lexicon_now, Lexicon};
use crate::graphql::shared::{parse, payload};

payload!(/// Result of lexicon mutations.
    LexiconPayload { lexicon: Lexicon });

#[derive(InputObject, Serialize)]
pub struct LexiconTermInput {
    flag: ContentFlag,
    term: String,
    idempotency_key: Option<String>,
}

/// The lexicon part of [`super::ContentMutation`].
#[derive(Default)]
pub struct LexiconMutation;

#[Object]
impl LexiconMutation {
    /// Makes a term raise a flag. Legal-role holders and admins only.
    async fn add_lexicon_term(
        &self,
        ctx: &Context<'_>,
        input: LexiconTermInput,
    ) -> async_graphql::Result<LexiconPayload> {
        change_term(ctx, "addLexiconTerm", input, commands::add_lexicon_term)
            .await
            .gql()
    }

    /// Stops a term from raising a flag. Legal-role holders and admins only.
    async fn remove_lexicon_term(
        &self,
        ctx: &Context<'_>,
        input: LexiconTermInput,
    ) -> async_graphql::Result<LexiconPayload> {
        change_term(
            ctx,
            "removeLexiconTerm",
            input,
            commands::remove_lexicon_term,
        )
        .await
        .gql()
    }
}

/// Parses a term change and runs it through `use_case` (adding or removing).
async fn change_term<'c, Fut>(
    ctx: &'c Context<'_>,
    name: &'static str,
    input: LexiconTermInput,
    use_case: impl FnOnce(Caller<'c>, commands::LexiconTermChange, Option<IdempotencyKey>) -> Fut,
) -> ApiResult<LexiconPayload>
where
    Fut: Future<Output = ApiResult<CommandOutcome>>,
{
    let (caller, key) = Caller::for_mutation(ctx, name, input.idempotency_key.as_ref(), &input)?;
    let parsed = commands::LexiconTermChange {
        flag: input.flag.into(),
        term: parse("term", &input.term)?,
    };
    let outcome = use_case(caller, parsed, key).await?;
    lexicon_payload(ctx, &outcome).await
}

async fn lexicon_payload(ctx: &Context<'_>, outcome: &CommandOutcome) -> ApiResult<LexiconPayload> {
    let org = principal(ctx)?.organization_id;
    Ok(LexiconPayload {
        lexicon: lexicon_now(ctx, org).await?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}
