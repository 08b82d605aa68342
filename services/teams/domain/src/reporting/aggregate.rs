use chorus_shared::refuse_if;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ReportingLinesCommand, ReportingLinesError, ReportingLinesEvent};

/// The reporting graph of one organization, rebuilt from its events.
/// Each person has at most one manager; the graph is kept acyclic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportingLines {
    /// person → manager
    managers: BTreeMap<Uuid, Uuid>,
}

impl ReportingLines {
    /// Who `person_id` reports to, if anyone.
    pub fn manager_of(&self, person_id: Uuid) -> Option<Uuid> {
        self.managers.get(&person_id).copied()
    }

    /// Every reporting line, person → manager.
    pub fn managers(&self) -> &BTreeMap<Uuid, Uuid> {
        &self.managers
    }

    /// The path from `manager_id` up the hierarchy to `person_id`, if
    /// `person_id` is `manager_id` or one of its (transitive) managers.
    /// Such a path means "person reports to manager" would close a loop.
    fn chain_to(&self, manager_id: Uuid, person_id: Uuid) -> Option<Vec<Uuid>> {
        let mut chain = vec![manager_id];
        let mut current = manager_id;
        // The graph is acyclic by construction; the bound only guards against
        // a corrupted history looping forever.
        for _ in 0..=self.managers.len() {
            if current == person_id {
                return Some(chain);
            }
            current = *self.managers.get(&current)?;
            chain.push(current);
        }
        None
    }
}

chorus_shared::aggregate!(
    ReportingLines,
    "reporting_lines",
    ReportingLinesCommand,
    ReportingLinesEvent,
    ReportingLinesError
);

impl ReportingLines {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: ReportingLinesCommand,
    ) -> Result<Vec<ReportingLinesEvent>, ReportingLinesError> {
        let events = match command {
            ReportingLinesCommand::SetReportingLine {
                person_id,
                manager_id,
            } => {
                refuse_if(person_id == manager_id, ReportingLinesError::SelfReporting)?;
                let previous_manager_id = self.manager_of(person_id);
                refuse_if(
                    previous_manager_id == Some(manager_id),
                    ReportingLinesError::Unchanged,
                )?;
                if let Some(chain) = self.chain_to(manager_id, person_id) {
                    return Err(ReportingLinesError::Cycle { chain });
                }
                vec![ReportingLinesEvent::ReportingLineSet {
                    person_id,
                    manager_id,
                    previous_manager_id,
                }]
            }
            ReportingLinesCommand::ClearReportingLine { person_id } => {
                let previous_manager_id = self
                    .manager_of(person_id)
                    .ok_or(ReportingLinesError::NoReportingLine)?;
                vec![ReportingLinesEvent::ReportingLineCleared {
                    person_id,
                    previous_manager_id,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ReportingLinesEvent) {
        match event {
            ReportingLinesEvent::ReportingLineSet {
                person_id,
                manager_id,
                ..
            } => {
                self.managers.insert(person_id, manager_id);
            }
            ReportingLinesEvent::ReportingLineCleared { person_id, .. } => {
                self.managers.remove(&person_id);
            }
        }
    }
}
