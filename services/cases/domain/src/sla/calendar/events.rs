use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{CalendarDefinition, CalendarName};

/// Facts recorded by the [`BusinessCalendar`](super::BusinessCalendar) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum BusinessCalendarEvent {
    /// A calendar was defined (version 1).
    CalendarDefined {
        /// Id of the calendar.
        calendar_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// Its name.
        name: CalendarName,
        /// Always 1.
        version: u64,
        /// Its zone, hours and holidays.
        definition: CalendarDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// A new version of the calendar replaced the previous one.
    CalendarRevised {
        /// The new version number.
        version: u64,
        /// What the new version says.
        definition: CalendarDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// The calendar stopped being used.
    CalendarRetired {
        /// The last version.
        version: u64,
        /// Who retired it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(BusinessCalendarEvent);
