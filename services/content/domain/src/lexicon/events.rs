use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::ContentFlag;

/// Facts recorded by the [`Lexicon`](super::Lexicon) aggregate. Every event
/// creates a new version of the lexicon, starting at 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

impl DomainEvent for LexiconEvent {
    fn event_type(&self) -> String {
        match self {
            Self::LexiconTermAdded { .. } => "LexiconTermAdded",
            Self::LexiconTermRemoved { .. } => "LexiconTermRemoved",
        }
        .to_string()
    }

    fn event_version(&self) -> String {
        "1.0".to_string()
    }
}
