//! Business-hours calendars: a zone, weekly hours and holidays, versioned. An SLA policy
//! names the calendar its targets count in; a case records the version it opened under
//! (a [`CalendarSnapshot`]), and recounts its running clocks when the calendar is revised.

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::{BusinessCalendar, CalendarSnapshot};
pub use commands::BusinessCalendarCommand;
pub use errors::BusinessCalendarError;
pub use events::BusinessCalendarEvent;
