//! Helpers shared by the SLA tests: instants in a zone, calendars, snapshots.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeZone, Utc, Weekday};
use uuid::Uuid;

use super::{
    CalendarDefinition, CalendarSnapshot, SlaSnapshot, SlaTargets, TimeZoneName, WeeklyInterval,
};
use crate::values::Priority;

pub const CALENDAR: Uuid = Uuid::from_u128(0xca1);
pub const POLICY: Uuid = Uuid::from_u128(0x51a);

/// The instant of a local wall-clock time in `zone` (which must exist and be unambiguous).
pub fn local(zone: &str, y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = zone.parse().expect("zone");
    tz.with_ymd_and_hms(y, m, d, h, mi, 0)
        .single()
        .expect("a single local time")
        .with_timezone(&Utc)
}

/// The instant of a UTC time.
pub fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0)
        .single()
        .expect("utc")
}

pub fn zone(name: &str) -> TimeZoneName {
    name.parse().expect("zone")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

pub const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

pub const EVERY_DAY: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// `days` from `start` to `end` (hours, minutes) in `zone`, with `holidays`.
pub fn calendar(
    name: &str,
    days: &[Weekday],
    start: (u16, u16),
    end: (u16, u16),
    holidays: &[NaiveDate],
) -> CalendarDefinition {
    CalendarDefinition::try_new(
        zone(name),
        days.iter()
            .map(|day| WeeklyInterval::hours(*day, start, end))
            .collect(),
        holidays.iter().copied().collect::<BTreeSet<_>>(),
    )
    .expect("valid calendar")
}

/// Monday to Friday, 09:00 to 17:00 in `name`.
pub fn office(name: &str) -> CalendarDefinition {
    calendar(name, &WEEKDAYS, (9, 0), (17, 0), &[])
}

pub fn calendar_snapshot(version: u64, definition: CalendarDefinition) -> CalendarSnapshot {
    CalendarSnapshot {
        calendar_id: CALENDAR,
        version,
        definition,
    }
}

/// What a case records: `targets` with a `lead`-minute warning, in `calendar`'s hours.
pub fn sla_snapshot(
    targets: SlaTargets,
    lead: u32,
    calendar: Option<CalendarDefinition>,
) -> SlaSnapshot {
    SlaSnapshot {
        policy_id: POLICY,
        version: 1,
        priority: Priority::High,
        targets,
        warning_lead_minutes: lead,
        calendar: calendar.map(|definition| calendar_snapshot(1, definition)),
    }
}

pub fn targets(first: Option<u32>, next: Option<u32>, resolution: Option<u32>) -> SlaTargets {
    SlaTargets {
        first_response: first,
        next_response: next,
        resolution,
    }
}
