use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::ContentFlag;

/// Facts recorded by the [`Lexicon`](super::Lexicon) aggregate. Every event
/// creates a new version of the lexicon, starting at 1.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum LexiconEvent {
    /// A term now raises a flag.
    LexiconTermAdded {
        /// Organization owning the lexicon.
        organization_id: Uuid,
        /// The lexicon version this change created.
        version: u64,
        /// Flag the term raises.
        flag: ContentFlag,
        /// The normalised term.
        term: String,
        /// Who added it.
        by: Uuid,
    },
    /// A term no longer raises a flag.
    LexiconTermRemoved {
        /// The lexicon version this change created.
        version: u64,
        /// Flag the term raised.
        flag: ContentFlag,
        /// The normalised term.
        term: String,
        /// Who removed it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(LexiconEvent);
