//! The lexicon mutations (`addLexiconTerm`, `removeLexiconTerm`), their input and
//! payload.

use async_graphql::{Context, InputObject, Object};
use chorus_api::error::{ApiResult, Gql};
use chorus_api::{principal, seal, Caller};
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
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "addLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::LexiconTermChange {
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
            };
            let outcome = commands::add_lexicon_term(caller, parsed, key).await?;
            lexicon_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Stops a term from raising a flag. Legal-role holders and admins only.
    async fn remove_lexicon_term(
        &self,
        ctx: &Context<'_>,
        input: LexiconTermInput,
    ) -> async_graphql::Result<LexiconPayload> {
        async {
            let (caller, key) = Caller::for_mutation(
                ctx,
                "removeLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::LexiconTermChange {
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
            };
            let outcome = commands::remove_lexicon_term(caller, parsed, key).await?;
            lexicon_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }
}

async fn lexicon_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<LexiconPayload> {
    let org = principal(ctx)?.organization_id;
    Ok(LexiconPayload {
        lexicon: lexicon_now(ctx, org).await?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}
