use chorus_shared::refuse_if;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{LexiconCommand, LexiconError, LexiconEvent};
use crate::values::ContentFlag;

/// State of one organization's lexicon, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    organization_id: Option<Uuid>,
    version: u64,
    terms: BTreeMap<ContentFlag, BTreeSet<String>>,
}

impl Lexicon {
    /// Organization owning the lexicon, `None` until its first term.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Current version: the number of changes made (0 when never changed).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The normalised terms of every flag that has any, in flag order.
    pub fn terms(&self) -> &BTreeMap<ContentFlag, BTreeSet<String>> {
        &self.terms
    }

    /// Whether `term` (normalised) raises `flag`.
    pub fn contains(&self, flag: ContentFlag, term: &str) -> bool {
        self.terms
            .get(&flag)
            .is_some_and(|terms| terms.contains(term))
    }
}

chorus_shared::aggregate!(
    Lexicon,
    "lexicon",
    LexiconCommand,
    LexiconEvent,
    LexiconError
);

impl Lexicon {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: LexiconCommand) -> Result<Vec<LexiconEvent>, LexiconError> {
        let events = match command {
            LexiconCommand::AddLexiconTerm {
                organization_id,
                flag,
                term,
                by,
            } => {
                refuse_if(self.contains(flag, term.as_str()), LexiconError::TermExists)?;
                vec![LexiconEvent::LexiconTermAdded {
                    organization_id: self.organization_id.unwrap_or(organization_id),
                    version: self.version + 1,
                    flag,
                    term: term.into_inner(),
                    by,
                }]
            }

            LexiconCommand::RemoveLexiconTerm { flag, term, by } => {
                refuse_if(
                    !self.contains(flag, term.as_str()),
                    LexiconError::TermNotFound,
                )?;
                vec![LexiconEvent::LexiconTermRemoved {
                    version: self.version + 1,
                    flag,
                    term: term.into_inner(),
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: LexiconEvent) {
        match event {
            LexiconEvent::LexiconTermAdded {
                organization_id,
                version,
                flag,
                term,
                ..
            } => {
                self.organization_id.get_or_insert(organization_id);
                self.version = version;
                self.terms.entry(flag).or_default().insert(term);
            }
            LexiconEvent::LexiconTermRemoved {
                version,
                flag,
                term,
                ..
            } => {
                self.version = version;
                if let Some(terms) = self.terms.get_mut(&flag) {
                    terms.remove(&term);
                    if terms.is_empty() {
                        self.terms.remove(&flag);
                    }
                }
            }
        }
    }
}
