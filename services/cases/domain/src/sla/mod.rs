//! SLA policies, business-hours calendars and the business-time arithmetic of a case's
//! clocks.
//!
//! - [`values`]: the calendar's zone, weekly hours and holidays, the targets per priority;
//! - [`business_time`]: business time between two instants, and when an amount of it has
//!   elapsed, across daylight-saving changes;
//! - [`calendar`] and [`policy`]: the two versioned aggregates, whose snapshots a case
//!   records when it opens;
//! - [`clock`]: a case's clocks ([`CaseSla`]), which the Case aggregate embeds.

pub mod business_time;
pub mod calendar;
pub mod clock;
pub mod policy;
pub mod values;

pub use business_time::{add_business_time, business_time_between, MAX_IDLE_DAYS};
pub use calendar::{
    BusinessCalendar, BusinessCalendarCommand, BusinessCalendarError, BusinessCalendarEvent,
    CalendarSnapshot,
};
pub use clock::{median_business_time, CaseSla, SlaAlert, SlaAlertLevel, SlaClock, SlaOutcome};
pub use policy::{SlaPolicy, SlaPolicyCommand, SlaPolicyError, SlaPolicyEvent, SlaSnapshot};
pub use values::{
    CalendarDefinition, CalendarName, SlaPolicyDefinition, SlaPolicyName, SlaTargets, TimeZoneName,
    WeeklyInterval, MAX_HOLIDAYS, MAX_WEEKLY_INTERVALS, MINUTES_PER_DAY, TARGET_MINUTES,
};

/// Each aggregate error's stable code, as the API's mutation runner reads it, with the
/// field and the rule of an `Invalid(ValueError)` refusal.
macro_rules! domain_code {
    ($($t:ident),*) => {$(
        impl chorus_shared::DomainCode for $t {
            fn domain_code(&self) -> &'static str {
                self.code()
            }

            fn invalid_input(&self) -> Option<(&'static str, String)> {
                match self {
                    $t::Invalid(e) => Some((e.field, e.rule.clone())),
                    _ => None,
                }
            }
        }
    )*};
}
domain_code!(BusinessCalendarError, SlaPolicyError);

#[cfg(test)]
mod business_time_tests;
#[cfg(test)]
mod clock_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod values_tests;
