use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{CalendarDefinition, CalendarName};
use super::{BusinessCalendarCommand, BusinessCalendarError, BusinessCalendarEvent};

/// A version of a calendar as a case records it: what its SLA clocks count in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSnapshot {
    /// Id of the calendar.
    pub calendar_id: Uuid,
    /// The version recorded.
    pub version: u64,
    /// What that version says.
    pub definition: CalendarDefinition,
}

/// State of one business-hours calendar, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BusinessCalendar {
    calendar_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    name: Option<CalendarName>,
    version: u64,
    definition: Option<CalendarDefinition>,
    retired: bool,
}

impl BusinessCalendar {
    /// Id of the calendar, `None` until defined.
    pub fn calendar_id(&self) -> Option<Uuid> {
        self.calendar_id
    }

    /// Organization the calendar belongs to, `None` until defined.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Its name, `None` until defined.
    pub fn name(&self) -> Option<&CalendarName> {
        self.name.as_ref()
    }

    /// Current version (0 until defined).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Content of the current version, `None` until defined.
    pub fn definition(&self) -> Option<&CalendarDefinition> {
        self.definition.as_ref()
    }

    /// Whether the calendar has been retired.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Whether the calendar has been defined.
    pub fn exists(&self) -> bool {
        self.calendar_id.is_some()
    }

    /// The current version as a case records it, or `None` when the calendar does not
    /// exist or is retired (a retired calendar counts nothing).
    pub fn snapshot(&self) -> Option<CalendarSnapshot> {
        if self.retired {
            return None;
        }
        Some(CalendarSnapshot {
            calendar_id: self.calendar_id?,
            version: self.version,
            definition: self.definition.clone()?,
        })
    }

    /// Guard shared by every command on an existing calendar.
    fn ensure_active(&self) -> Result<(), BusinessCalendarError> {
        refuse_if(!self.exists(), BusinessCalendarError::NotFound)?;
        refuse_if(self.retired, BusinessCalendarError::Retired)?;
        Ok(())
    }
}

chorus_shared::aggregate!(
    BusinessCalendar,
    "business_calendar",
    BusinessCalendarCommand,
    BusinessCalendarEvent,
    BusinessCalendarError
);

impl BusinessCalendar {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: BusinessCalendarCommand,
    ) -> Result<Vec<BusinessCalendarEvent>, BusinessCalendarError> {
        let events = match command {
            BusinessCalendarCommand::DefineCalendar {
                calendar_id,
                organization_id,
                name,
                definition,
                by,
            } => {
                refuse_if(self.exists(), BusinessCalendarError::AlreadyExists)?;
                vec![BusinessCalendarEvent::CalendarDefined {
                    calendar_id,
                    organization_id,
                    name,
                    version: 1,
                    definition,
                    by,
                }]
            }

            BusinessCalendarCommand::ReviseCalendar { definition, by } => {
                self.ensure_active()?;
                refuse_if(
                    self.definition.as_ref() == Some(&definition),
                    BusinessCalendarError::Unchanged,
                )?;
                vec![BusinessCalendarEvent::CalendarRevised {
                    version: self.version + 1,
                    definition,
                    by,
                }]
            }

            BusinessCalendarCommand::RetireCalendar { by } => {
                self.ensure_active()?;
                vec![BusinessCalendarEvent::CalendarRetired {
                    version: self.version,
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: BusinessCalendarEvent) {
        match event {
            BusinessCalendarEvent::CalendarDefined {
                calendar_id,
                organization_id,
                name,
                version,
                definition,
                ..
            } => {
                self.calendar_id = Some(calendar_id);
                self.organization_id = Some(organization_id);
                self.name = Some(name);
                self.version = version;
                self.definition = Some(definition);
            }
            BusinessCalendarEvent::CalendarRevised {
                version,
                definition,
                ..
            } => {
                self.version = version;
                self.definition = Some(definition);
            }
            BusinessCalendarEvent::CalendarRetired { .. } => {
                self.retired = true;
            }
        }
    }
}
