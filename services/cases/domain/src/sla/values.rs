//! The values of SLA policies and business-hours calendars: the time zone, the weekly
//! hours, the holidays, the targets per priority and the names.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chorus_shared::{text, text_value};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{Priority, SlaTargetKind, ValueError};

/// Most weekly intervals a calendar may have.
pub const MAX_WEEKLY_INTERVALS: usize = 50;
/// Most holidays a calendar may list.
pub const MAX_HOLIDAYS: usize = 1_000;
/// Minutes in a day: the `end` of an interval that runs to midnight.
pub const MINUTES_PER_DAY: u16 = 1_440;
/// Fewest and most minutes an SLA target may be (one minute to a year).
pub const TARGET_MINUTES: std::ops::RangeInclusive<u32> = 1..=525_600;

text_value! {
    /// Name of a business-hours calendar: trimmed, 1 to 100 characters, no control
    /// characters.
    pub struct CalendarName = |raw| text::name("name", raw, 1, 100, true);

    /// Name of an SLA policy: trimmed, 1 to 100 characters, no control characters.
    pub struct SlaPolicyName = |raw| text::name("name", raw, 1, 100, true);
}

/// An IANA time zone (`Europe/Paris`, `America/New_York`, `UTC`), stored and sent as its
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(chrono_tz::Tz);

impl TimeZoneName {
    /// The zone, for conversions.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    /// The IANA name.
    pub fn as_str(&self) -> &'static str {
        self.0.name()
    }
}

impl FromStr for TimeZoneName {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        chrono_tz::Tz::from_str(raw.trim())
            .map(Self)
            .map_err(|_| ValueError::new("timeZone", "must be an IANA time zone name"))
    }
}

impl TryFrom<String> for TimeZoneName {
    type Error = ValueError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse()
    }
}

impl From<TimeZoneName> for String {
    fn from(value: TimeZoneName) -> Self {
        value.as_str().to_owned()
    }
}

impl std::fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Business hours on one day of the week, in local wall-clock minutes since midnight:
/// `start` (0 to 1439) up to `end` (1 to 1440, 1440 being midnight at the end of the day),
/// `start < end`. Hours across midnight are two intervals (`Mon 22:00–24:00` and
/// `Tue 00:00–02:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WeeklyInterval {
    /// The day of the week.
    pub day: Weekday,
    /// First minute of business time.
    pub start: u16,
    /// Minute business time stops (exclusive); 1440 is the end of the day.
    pub end: u16,
}

impl WeeklyInterval {
    /// `day` from `start_hour:start_minute` to `end_hour:end_minute` (`24:00` for the end
    /// of the day). Not checked: [`CalendarDefinition::try_new`] checks every interval.
    pub const fn hours(
        day: Weekday,
        (start_hour, start_minute): (u16, u16),
        (end_hour, end_minute): (u16, u16),
    ) -> Self {
        Self {
            day,
            start: start_hour * 60 + start_minute,
            end: end_hour * 60 + end_minute,
        }
    }

    /// Monday first, then the start: the order a definition keeps its intervals in.
    fn sort_key(&self) -> (u32, u16, u16) {
        (self.day.num_days_from_monday(), self.start, self.end)
    }
}

/// The content of a version of a business-hours calendar, validated as a whole: the zone,
/// 1 to [`MAX_WEEKLY_INTERVALS`] weekly intervals that do not overlap on a day (kept
/// sorted, Monday first), and up to [`MAX_HOLIDAYS`] holidays (local dates without
/// business time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarDefinitionData")]
pub struct CalendarDefinition {
    time_zone: TimeZoneName,
    weekly: Vec<WeeklyInterval>,
    holidays: BTreeSet<NaiveDate>,
}

/// Unchecked mirror of [`CalendarDefinition`], so deserialization validates.
#[derive(Deserialize)]
struct CalendarDefinitionData {
    time_zone: TimeZoneName,
    weekly: Vec<WeeklyInterval>,
    holidays: BTreeSet<NaiveDate>,
}

impl TryFrom<CalendarDefinitionData> for CalendarDefinition {
    type Error = ValueError;

    fn try_from(data: CalendarDefinitionData) -> Result<Self, Self::Error> {
        Self::try_new(data.time_zone, data.weekly, data.holidays)
    }
}

impl CalendarDefinition {
    /// Validates and builds a definition. Refuses, naming `weekly`: no interval, more than
    /// [`MAX_WEEKLY_INTERVALS`], an interval whose `start` is not before its `end` or whose
    /// `end` is past 1440, two intervals overlapping on one day (touching is fine); naming
    /// `holidays`: more than [`MAX_HOLIDAYS`].
    pub fn try_new(
        time_zone: TimeZoneName,
        mut weekly: Vec<WeeklyInterval>,
        holidays: BTreeSet<NaiveDate>,
    ) -> Result<Self, ValueError> {
        if weekly.is_empty() {
            return Err(ValueError::new("weekly", "must have at least one interval"));
        }
        if weekly.len() > MAX_WEEKLY_INTERVALS {
            return Err(ValueError::new(
                "weekly",
                format!("must have at most {MAX_WEEKLY_INTERVALS} intervals"),
            ));
        }
        if let Some(bad) = weekly
            .iter()
            .find(|i| i.start >= i.end || i.end > MINUTES_PER_DAY)
        {
            return Err(ValueError::new(
                "weekly",
                format!(
                    "each interval must start before it ends, within the day ({} {}-{})",
                    bad.day, bad.start, bad.end
                ),
            ));
        }
        weekly.sort_by_key(WeeklyInterval::sort_key);
        if let Some(pair) = weekly
            .windows(2)
            .find(|pair| pair[0].day == pair[1].day && pair[1].start < pair[0].end)
        {
            return Err(ValueError::new(
                "weekly",
                format!("intervals must not overlap on a day ({})", pair[0].day),
            ));
        }
        if holidays.len() > MAX_HOLIDAYS {
            return Err(ValueError::new(
                "holidays",
                format!("must have at most {MAX_HOLIDAYS} holidays"),
            ));
        }
        Ok(Self {
            time_zone,
            weekly,
            holidays,
        })
    }

    /// The zone the hours and holidays are in.
    pub fn time_zone(&self) -> TimeZoneName {
        self.time_zone
    }

    /// The weekly intervals, Monday first, each day's in order.
    pub fn weekly(&self) -> &[WeeklyInterval] {
        &self.weekly
    }

    /// The holidays.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The intervals of `date`, in order: none on a holiday.
    pub fn intervals_on(&self, date: NaiveDate) -> impl Iterator<Item = &WeeklyInterval> {
        let day = date.weekday();
        let holiday = self.holidays.contains(&date);
        self.weekly
            .iter()
            .filter(move |interval| !holiday && interval.day == day)
    }
}

/// A priority's targets, in whole minutes of business time; `None` sets no target for
/// that clock. Each is 1 to 525,600 (checked by [`SlaPolicyDefinition::try_new`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaTargets {
    /// From the case's opening to its first reply.
    pub first_response: Option<u32>,
    /// From the oldest unanswered contact message to the next reply.
    pub next_response: Option<u32>,
    /// From the case's opening to its resolution (time waiting on the contact excluded).
    pub resolution: Option<u32>,
}

impl SlaTargets {
    /// The target of one clock, in minutes.
    pub fn get(&self, kind: SlaTargetKind) -> Option<u32> {
        match kind {
            SlaTargetKind::FirstResponse => self.first_response,
            SlaTargetKind::NextResponse => self.next_response,
            SlaTargetKind::Resolution => self.resolution,
        }
    }

    /// Whether no clock has a target.
    pub fn is_empty(&self) -> bool {
        SlaTargetKind::ALL
            .iter()
            .all(|kind| self.get(*kind).is_none())
    }
}

/// The content of a version of an SLA policy, validated as a whole: the targets per
/// priority, the calendar they count in and how long before a deadline to warn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SlaPolicyDefinitionData")]
pub struct SlaPolicyDefinition {
    targets: BTreeMap<Priority, SlaTargets>,
    calendar_id: Option<Uuid>,
    warning_lead_minutes: u32,
}

/// Unchecked mirror of [`SlaPolicyDefinition`], so deserialization validates.
#[derive(Deserialize)]
struct SlaPolicyDefinitionData {
    targets: BTreeMap<Priority, SlaTargets>,
    calendar_id: Option<Uuid>,
    warning_lead_minutes: u32,
}

impl TryFrom<SlaPolicyDefinitionData> for SlaPolicyDefinition {
    type Error = ValueError;

    fn try_from(data: SlaPolicyDefinitionData) -> Result<Self, Self::Error> {
        Self::try_new(data.targets, data.calendar_id, data.warning_lead_minutes)
    }
}

impl SlaPolicyDefinition {
    /// Validates and builds a definition. Refuses, naming `targets`: no priority with a
    /// target, a target outside 1 to 525,600 minutes; naming `warningLeadMinutes`: a lead
    /// that is not smaller than every target. Priorities without any target are dropped.
    /// `calendar_id` `None` counts around the clock; `Some` counts the business hours of
    /// that calendar.
    pub fn try_new(
        targets: BTreeMap<Priority, SlaTargets>,
        calendar_id: Option<Uuid>,
        warning_lead_minutes: u32,
    ) -> Result<Self, ValueError> {
        let targets: BTreeMap<Priority, SlaTargets> = targets
            .into_iter()
            .filter(|(_, targets)| !targets.is_empty())
            .collect();
        if targets.is_empty() {
            return Err(ValueError::new(
                "targets",
                "must set at least one target for at least one priority",
            ));
        }
        let minutes = targets
            .values()
            .flat_map(|t| SlaTargetKind::ALL.iter().filter_map(|kind| t.get(*kind)));
        for target in minutes {
            if !TARGET_MINUTES.contains(&target) {
                return Err(ValueError::new(
                    "targets",
                    format!(
                        "each target must be {} to {} minutes",
                        TARGET_MINUTES.start(),
                        TARGET_MINUTES.end()
                    ),
                ));
            }
            if warning_lead_minutes >= target {
                return Err(ValueError::new(
                    "warningLeadMinutes",
                    "must be smaller than every target",
                ));
            }
        }
        Ok(Self {
            targets,
            calendar_id,
            warning_lead_minutes,
        })
    }

    /// The targets per priority (only priorities with at least one target).
    pub fn targets(&self) -> &BTreeMap<Priority, SlaTargets> {
        &self.targets
    }

    /// The targets of one priority, `None` when it has none.
    pub fn targets_for(&self, priority: Priority) -> Option<SlaTargets> {
        self.targets.get(&priority).copied()
    }

    /// The calendar whose business hours the targets count in; `None` is around the clock.
    pub fn calendar_id(&self) -> Option<Uuid> {
        self.calendar_id
    }

    /// How many minutes of business time before a deadline the warning falls due.
    pub fn warning_lead_minutes(&self) -> u32 {
        self.warning_lead_minutes
    }
}
