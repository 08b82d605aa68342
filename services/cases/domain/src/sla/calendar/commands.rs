use uuid::Uuid;

use super::super::{CalendarDefinition, CalendarName};

/// Commands accepted by the [`BusinessCalendar`](super::BusinessCalendar) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum BusinessCalendarCommand {
    /// Define a new calendar; it starts at version 1.
    DefineCalendar {
        /// Id of the new calendar (also the aggregate id).
        calendar_id: Uuid,
        /// Organization the calendar belongs to.
        organization_id: Uuid,
        /// Its name.
        name: CalendarName,
        /// Its zone, hours and holidays.
        definition: CalendarDefinition,
        /// Who defined it.
        by: Uuid,
    },
    /// Replace the calendar's hours and holidays, creating the next version.
    ReviseCalendar {
        /// The new content.
        definition: CalendarDefinition,
        /// Who revised it.
        by: Uuid,
    },
    /// Stop using the calendar.
    RetireCalendar {
        /// Who retired it.
        by: Uuid,
    },
}
