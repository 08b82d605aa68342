//! Business-time arithmetic: how much business time lies between two instants, and when a
//! given amount of it has elapsed. Pure and deterministic.
//!
//! A calendar's hours are local wall-clock times: each local date's intervals are turned
//! into UTC instants with the calendar's zone, so a daylight-saving change moves them as
//! the clocks on the wall move (a 09:00–17:00 day stays 8 hours; a 00:00–24:00 day is 23 or
//! 25 hours long on the days the clocks change). A local time that does not exist (in a
//! spring-forward gap) is read as the first valid instant after it; an ambiguous one (in a
//! fall-back overlap) as the earlier of its two instants. Holidays are local dates without
//! business time.
//!
//! `None` for the calendar counts around the clock: plain arithmetic.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::CalendarDefinition;

/// Most consecutive local days [`add_business_time`] looks through without finding any
/// business time before it gives up. A calendar has at least one weekly interval, so only
/// holidays make a run of days without business time longer than a week; with at most
/// [`MAX_HOLIDAYS`](super::MAX_HOLIDAYS) holidays such a run is at most 1,001 weeks
/// (7,007 days: a single weekly interval with every one of 1,000 consecutive occurrences a
/// holiday), which this bound covers.
pub const MAX_IDLE_DAYS: u32 = 7_100;

/// Longest spring-forward gap looked through, in minutes (the longest there has been is a
/// whole day, Samoa's in 2011).
const MAX_GAP_MINUTES: u32 = 2 * 1_440;

/// The UTC instant of a local wall-clock time in `tz`: the earlier instant of an ambiguous
/// time, the first valid instant after a nonexistent one.
fn resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let pick = |result: LocalResult<DateTime<Tz>>| match result {
        LocalResult::Single(instant) => Some(instant.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => None,
    };
    if let Some(instant) = pick(tz.from_local_datetime(&local)) {
        return instant;
    }
    // In a gap: the first valid wall-clock minute after it is the gap's end (zones change
    // their offsets on whole minutes), whose instant is the change itself.
    let mut probe = local;
    for _ in 0..MAX_GAP_MINUTES {
        probe = match probe.checked_add_signed(TimeDelta::minutes(1)) {
            Some(next) => next,
            None => break,
        };
        if let Some(instant) = pick(tz.from_local_datetime(&probe)) {
            return instant;
        }
    }
    // No zone has a gap this long; read the time as UTC rather than fail.
    Utc.from_utc_datetime(&local)
}

/// The local date of `instant` in the calendar's zone.
fn local_date(calendar: &CalendarDefinition, instant: DateTime<Utc>) -> NaiveDate {
    instant
        .with_timezone(&calendar.time_zone().tz())
        .date_naive()
}

/// The business intervals of a local date as UTC instants `[start, end)`, in order (none on
/// a holiday; an interval entirely inside a spring-forward gap is empty and left out).
fn day_intervals(
    calendar: &CalendarDefinition,
    date: NaiveDate,
) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
    let tz = calendar.time_zone().tz();
    let midnight = date.and_time(NaiveTime::MIN);
    calendar.intervals_on(date).filter_map(move |interval| {
        let at = |minute: u16| {
            midnight
                .checked_add_signed(TimeDelta::minutes(minute.into()))
                .map(|local| resolve(tz, local))
        };
        let (start, end) = (at(interval.start)?, at(interval.end)?);
        (start < end).then_some((start, end))
    })
}

/// The business time between `from` and `to` (zero when `to` is not after `from`).
/// `calendar` `None` counts around the clock. Looks at each local date from the one before
/// `from`'s to `to`'s.
pub fn business_time_between(
    calendar: Option<&CalendarDefinition>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> TimeDelta {
    if to <= from {
        return TimeDelta::zero();
    }
    let Some(calendar) = calendar else {
        return to - from;
    };
    let last = local_date(calendar, to);
    let first = local_date(calendar, from);
    let mut date = first.pred_opt().unwrap_or(first);
    let mut total = TimeDelta::zero();
    while date <= last {
        for (start, end) in day_intervals(calendar, date) {
            let (start, end) = (start.max(from), end.min(to));
            if start < end {
                total += end - start;
            }
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    total
}

/// The instant at which `amount` of business time has elapsed since `from`: `from` itself
/// for a zero (or negative) amount, otherwise the earliest instant `t` with
/// `business_time_between(calendar, from, t) == amount` (so an amount that ends exactly
/// at the close of business is that close, not the next opening). `calendar` `None` counts
/// around the clock.
///
/// The search is bounded: after [`MAX_IDLE_DAYS`] consecutive local days without business
/// time (only possible with many holidays) the amount is taken as never elapsing, and the
/// result is the end of the last day looked at (more than 19 years after `from`).
pub fn add_business_time(
    calendar: Option<&CalendarDefinition>,
    from: DateTime<Utc>,
    amount: TimeDelta,
) -> DateTime<Utc> {
    if amount <= TimeDelta::zero() {
        return from;
    }
    let Some(calendar) = calendar else {
        return from
            .checked_add_signed(amount)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
    };
    let first = local_date(calendar, from);
    let mut date = first.pred_opt().unwrap_or(first);
    let mut remaining = amount;
    let mut idle_days = 0;
    loop {
        let mut found = false;
        for (start, end) in day_intervals(calendar, date) {
            let start = start.max(from);
            if start >= end {
                continue;
            }
            found = true;
            let available = end - start;
            if available >= remaining {
                return start + remaining;
            }
            remaining -= available;
        }
        idle_days = if found { 0 } else { idle_days + 1 };
        let next = date.succ_opt();
        match next {
            Some(next) if idle_days <= MAX_IDLE_DAYS => date = next,
            _ => {
                let tz = calendar.time_zone().tz();
                return next.map_or(DateTime::<Utc>::MAX_UTC, |next| {
                    resolve(tz, next.and_time(NaiveTime::MIN))
                });
            }
        }
    }
}
