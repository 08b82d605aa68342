//! The lexicon mutations (`addLexiconTerm`, `removeLexiconTerm`), their input and
//! payload.

use async_graphql::{Context, InputObject, Object};
use chorus_api::error::{ApiResult, Gql};
use chorus_api::{execute, idempotency, principal, replayed, seal};
use chorus_content_domain as content;
use serde::Serialize;

use crate::graphql::enums::ContentFlag;
use crate::graphql::lexicon::{lexicon_now, Lexicon};
use crate::graphql::shared::{actor_id, parse, payload, require_policy_manager};

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
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "addLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return lexicon_payload(ctx, &outcome).await;
            }
            let command = content::LexiconCommand::AddLexiconTerm {
                organization_id: principal.organization_id,
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
                by: actor_id(principal),
            };
            let outcome =
                execute::<content::Lexicon>(ctx, principal.organization_id, command, key).await?;
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
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "removeLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return lexicon_payload(ctx, &outcome).await;
            }
            let command = content::LexiconCommand::RemoveLexiconTerm {
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
                by: actor_id(principal),
            };
            let outcome =
                execute::<content::Lexicon>(ctx, principal.organization_id, command, key).await?;
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
