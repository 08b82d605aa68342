//! `addLexiconTerm` and `removeLexiconTerm`: the organization's lexicon (which terms
//! raise which flag) changes. Legal-role holders and organization admins only.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};

use super::{actor_id, require_policy_manager};
use crate::domain::{ContentFlag, Lexicon, LexiconCommand, LexiconTerm};

/// A parsed `addLexiconTerm` / `removeLexiconTerm` request.
#[derive(Debug, Clone)]
pub struct LexiconTermChange {
    pub flag: ContentFlag,
    pub term: LexiconTerm,
}

/// Makes a term raise a flag.
pub async fn add_lexicon_term(
    caller: Caller<'_>,
    input: LexiconTermChange,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    let command = LexiconCommand::AddLexiconTerm {
        organization_id: caller.organization_id(),
        flag: input.flag,
        term: input.term,
        by: actor_id(&caller),
    };
    change_lexicon(caller, command, key).await
}

/// Stops a term from raising a flag.
pub async fn remove_lexicon_term(
    caller: Caller<'_>,
    input: LexiconTermChange,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    let command = LexiconCommand::RemoveLexiconTerm {
        flag: input.flag,
        term: input.term,
        by: actor_id(&caller),
    };
    change_lexicon(caller, command, key).await
}

/// The organization's lexicon is one aggregate, keyed by the organization's id.
async fn change_lexicon(
    caller: Caller<'_>,
    command: LexiconCommand,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    require_policy_manager(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    execute_for::<Lexicon>(caller, caller.organization_id(), command, key).await
}
