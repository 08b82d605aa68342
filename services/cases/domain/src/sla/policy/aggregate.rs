use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{CalendarSnapshot, SlaPolicyDefinition, SlaPolicyName, SlaTargets};
use super::{SlaPolicyCommand, SlaPolicyError, SlaPolicyEvent};
use crate::values::Priority;

/// The targets of one priority under a version of an SLA policy, as a case records them
/// when it opens: what its clocks count against, and in which calendar's hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaSnapshot {
    /// Id of the policy.
    pub policy_id: Uuid,
    /// The policy's version recorded.
    pub version: u64,
    /// The case's priority.
    pub priority: Priority,
    /// That priority's targets, in minutes of business time.
    pub targets: SlaTargets,
    /// How many minutes of business time before a deadline the warning falls due.
    pub warning_lead_minutes: u32,
    /// The calendar the targets count in; `None` is around the clock.
    pub calendar: Option<CalendarSnapshot>,
}

/// State of one SLA policy, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlaPolicy {
    policy_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    name: Option<SlaPolicyName>,
    version: u64,
    definition: Option<SlaPolicyDefinition>,
    retired: bool,
}

impl SlaPolicy {
    /// Id of the policy, `None` until defined.
    pub fn policy_id(&self) -> Option<Uuid> {
        self.policy_id
    }

    /// Organization the policy belongs to, `None` until defined.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Its name, `None` until defined.
    pub fn name(&self) -> Option<&SlaPolicyName> {
        self.name.as_ref()
    }

    /// Current version (0 until defined).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Content of the current version, `None` until defined.
    pub fn definition(&self) -> Option<&SlaPolicyDefinition> {
        self.definition.as_ref()
    }

    /// Whether the policy has been retired.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Whether the policy has been defined.
    pub fn exists(&self) -> bool {
        self.policy_id.is_some()
    }

    /// What a case of `priority` records when it opens under the current version, with
    /// `calendar` the current snapshot of the calendar the policy names
    /// ([`SlaPolicyDefinition::calendar_id`]). `None` when the policy does not exist, is
    /// retired, sets no target for that priority, or names a calendar that `calendar` is
    /// not (another id, or `None`): a case never counts its targets in the wrong hours.
    /// A policy that names no calendar ignores `calendar` and counts around the clock.
    pub fn snapshot_for(
        &self,
        priority: Priority,
        calendar: Option<CalendarSnapshot>,
    ) -> Option<SlaSnapshot> {
        if self.retired {
            return None;
        }
        let definition = self.definition.as_ref()?;
        let targets = definition.targets_for(priority)?;
        let calendar = match definition.calendar_id() {
            None => None,
            Some(wanted) => Some(calendar.filter(|c| c.calendar_id == wanted)?),
        };
        Some(SlaSnapshot {
            policy_id: self.policy_id?,
            version: self.version,
            priority,
            targets,
            warning_lead_minutes: definition.warning_lead_minutes(),
            calendar,
        })
    }

    /// Guard shared by every command on an existing policy.
    fn ensure_active(&self) -> Result<(), SlaPolicyError> {
        refuse_if(!self.exists(), SlaPolicyError::NotFound)?;
        refuse_if(self.retired, SlaPolicyError::Retired)?;
        Ok(())
    }
}

chorus_shared::aggregate!(
    SlaPolicy,
    "sla_policy",
    SlaPolicyCommand,
    SlaPolicyEvent,
    SlaPolicyError
);

impl SlaPolicy {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: SlaPolicyCommand) -> Result<Vec<SlaPolicyEvent>, SlaPolicyError> {
        let events = match command {
            SlaPolicyCommand::DefineSlaPolicy {
                policy_id,
                organization_id,
                name,
                definition,
                by,
            } => {
                refuse_if(self.exists(), SlaPolicyError::AlreadyExists)?;
                vec![SlaPolicyEvent::SlaPolicyDefined {
                    policy_id,
                    organization_id,
                    name,
                    version: 1,
                    definition,
                    by,
                }]
            }

            SlaPolicyCommand::ReviseSlaPolicy { definition, by } => {
                self.ensure_active()?;
                refuse_if(
                    self.definition.as_ref() == Some(&definition),
                    SlaPolicyError::Unchanged,
                )?;
                vec![SlaPolicyEvent::SlaPolicyRevised {
                    version: self.version + 1,
                    definition,
                    by,
                }]
            }

            SlaPolicyCommand::RetireSlaPolicy { by } => {
                self.ensure_active()?;
                vec![SlaPolicyEvent::SlaPolicyRetired {
                    version: self.version,
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: SlaPolicyEvent) {
        match event {
            SlaPolicyEvent::SlaPolicyDefined {
                policy_id,
                organization_id,
                name,
                version,
                definition,
                ..
            } => {
                self.policy_id = Some(policy_id);
                self.organization_id = Some(organization_id);
                self.name = Some(name);
                self.version = version;
                self.definition = Some(definition);
            }
            SlaPolicyEvent::SlaPolicyRevised {
                version,
                definition,
                ..
            } => {
                self.version = version;
                self.definition = Some(definition);
            }
            SlaPolicyEvent::SlaPolicyRetired { .. } => {
                self.retired = true;
            }
        }
    }
}
