//! `addLexiconTerm` and `removeLexiconTerm`: the organization's lexicon (which terms
//! raise which flag) changes. Legal-role holders and organization admins only.

use chorus_api::Caller;

use super::{actor_id, replay_or_execute, require_policy_manager, Outcome, RetryKey};
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
    key: RetryKey,
) -> Outcome {
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
    key: RetryKey,
) -> Outcome {
    let LexiconTermChange { flag, term } = input;
    let by = actor_id(&caller);
    change_lexicon(
        caller,
        LexiconCommand::RemoveLexiconTerm { flag, term, by },
        key,
    )
    .await
}

/// The organization's lexicon is one aggregate, keyed by the organization's id.
async fn change_lexicon(caller: Caller<'_>, command: LexiconCommand, key: RetryKey) -> Outcome {
    let lexicon = caller.organization_id();
    require_policy_manager(caller).await?;
    replay_or_execute::<Lexicon, _>(caller, key, || async move { Ok((lexicon, command)) }).await
}
