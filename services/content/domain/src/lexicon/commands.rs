use uuid::Uuid;

use crate::values::{ContentFlag, LexiconTerm};

/// Commands accepted by the [`Lexicon`](super::Lexicon) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum LexiconCommand {
    /// Make `term` raise `flag`. The first term creates the lexicon.
    AddLexiconTerm {
        /// Organization owning the lexicon (also the aggregate id).
        organization_id: Uuid,
        /// Flag the term raises.
        flag: ContentFlag,
        /// The word or phrase.
        term: LexiconTerm,
        /// Who added it.
        by: Uuid,
    },
    /// Stop `term` from raising `flag`.
    RemoveLexiconTerm {
        /// Flag the term raises.
        flag: ContentFlag,
        /// The word or phrase.
        term: LexiconTerm,
        /// Who removed it.
        by: Uuid,
    },
}
