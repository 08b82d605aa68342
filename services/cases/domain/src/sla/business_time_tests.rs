//! The business-time arithmetic: weekends, holidays, daylight-saving changes, around the
//! clock, and the bound on the day loop.

use chrono::{TimeDelta, Weekday};

use super::business_time::{add_business_time, business_time_between};
use super::test_support::*;
use super::WeeklyInterval;

const PARIS: &str = "Europe/Paris";
const NEW_YORK: &str = "America/New_York";

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

#[test]
fn friday_afternoon_plus_two_hours_is_monday_ten() {
    let cal = office(PARIS);
    let friday = local(PARIS, 2026, 1, 9, 16, 0);
    let monday = local(PARIS, 2026, 1, 12, 10, 0);
    assert_eq!(add_business_time(Some(&cal), friday, hours(2)), monday);
    assert_eq!(business_time_between(Some(&cal), friday, monday), hours(2));
}

#[test]
fn an_amount_ending_at_the_close_is_the_close() {
    let cal = office(PARIS);
    let friday = local(PARIS, 2026, 1, 9, 16, 0);
    assert_eq!(
        add_business_time(Some(&cal), friday, hours(1)),
        local(PARIS, 2026, 1, 9, 17, 0)
    );
}

#[test]
fn counting_starts_at_the_next_opening() {
    let cal = office(PARIS);
    let saturday = local(PARIS, 2026, 1, 10, 12, 0);
    assert_eq!(
        add_business_time(Some(&cal), saturday, TimeDelta::minutes(30)),
        local(PARIS, 2026, 1, 12, 9, 30)
    );
    let evening = local(PARIS, 2026, 1, 12, 20, 0);
    assert_eq!(
        business_time_between(Some(&cal), saturday, evening),
        hours(8),
        "a whole Monday"
    );
}

#[test]
fn a_holiday_has_no_business_time() {
    let cal = calendar(PARIS, &WEEKDAYS, (9, 0), (17, 0), &[date(2026, 1, 12)]);
    let friday = local(PARIS, 2026, 1, 9, 16, 0);
    let tuesday = local(PARIS, 2026, 1, 13, 10, 0);
    assert_eq!(add_business_time(Some(&cal), friday, hours(2)), tuesday);
    assert_eq!(business_time_between(Some(&cal), friday, tuesday), hours(2));
}

#[test]
fn paris_spring_forward_keeps_the_local_hours() {
    // 2026-03-29 (a Sunday): 02:00 CET becomes 03:00 CEST.
    let cal = office(PARIS);
    let friday = local(PARIS, 2026, 3, 27, 16, 0);
    let monday = add_business_time(Some(&cal), friday, hours(2));
    assert_eq!(monday, local(PARIS, 2026, 3, 30, 10, 0));
    assert_eq!(monday, utc(2026, 3, 30, 8, 0), "10:00 CEST");
    assert_eq!(friday, utc(2026, 3, 27, 15, 0), "16:00 CET");
}

#[test]
fn paris_spring_forward_day_is_23_hours_around_the_clock_calendar() {
    let cal = calendar(PARIS, &EVERY_DAY, (0, 0), (24, 0), &[]);
    let saturday = local(PARIS, 2026, 3, 28, 12, 0);
    let monday = local(PARIS, 2026, 3, 30, 12, 0);
    assert_eq!(
        business_time_between(Some(&cal), saturday, monday),
        hours(47)
    );
    assert_eq!(add_business_time(Some(&cal), saturday, hours(47)), monday);
}

#[test]
fn paris_hours_in_the_gap_start_when_the_gap_ends() {
    let whole = |start, end| {
        let cal = calendar(PARIS, &[Weekday::Sun], start, end, &[]);
        business_time_between(
            Some(&cal),
            local(PARIS, 2026, 3, 28, 0, 0),
            local(PARIS, 2026, 3, 30, 0, 0),
        )
    };
    // 01:00-02:00 CET then 03:00-04:00 CEST: the hour 02:00-03:00 does not exist.
    assert_eq!(whole((1, 0), (4, 0)), hours(2));
    // 02:30 does not exist: the interval starts at 03:00 CEST (01:00 UTC).
    assert_eq!(whole((2, 30), (5, 0)), hours(2));
    // Entirely inside the gap: nothing.
    assert_eq!(whole((2, 0), (2, 30)), TimeDelta::zero());
    let cal = calendar(PARIS, &[Weekday::Sun], (2, 30), (5, 0), &[]);
    assert_eq!(
        add_business_time(
            Some(&cal),
            local(PARIS, 2026, 3, 28, 12, 0),
            TimeDelta::minutes(1)
        ),
        utc(2026, 3, 29, 1, 1)
    );
}

#[test]
fn paris_fall_back_day_is_25_hours_and_the_repeated_hour_counts_twice() {
    // 2026-10-25 (a Sunday): 03:00 CEST becomes 02:00 CET.
    let every_day = calendar(PARIS, &EVERY_DAY, (0, 0), (24, 0), &[]);
    let saturday = local(PARIS, 2026, 10, 24, 12, 0);
    let monday = local(PARIS, 2026, 10, 26, 12, 0);
    assert_eq!(
        business_time_between(Some(&every_day), saturday, monday),
        hours(49)
    );
    assert_eq!(
        add_business_time(Some(&every_day), saturday, hours(49)),
        monday
    );
    // 02:00 is ambiguous: the earlier instant (00:00 UTC); 03:00 CET is 02:00 UTC.
    let night = calendar(PARIS, &[Weekday::Sun], (2, 0), (3, 0), &[]);
    assert_eq!(
        business_time_between(Some(&night), saturday, monday),
        hours(2)
    );
    assert_eq!(
        add_business_time(Some(&night), saturday, TimeDelta::minutes(1)),
        utc(2026, 10, 25, 0, 1)
    );
    let office = office(PARIS);
    let friday = local(PARIS, 2026, 10, 23, 16, 0);
    assert_eq!(
        add_business_time(Some(&office), friday, hours(2)),
        utc(2026, 10, 26, 9, 0),
        "Monday 10:00 CET"
    );
}

#[test]
fn new_york_spring_forward() {
    // 2026-03-08 (a Sunday): 02:00 EST becomes 03:00 EDT.
    let cal = office(NEW_YORK);
    let friday = local(NEW_YORK, 2026, 3, 6, 16, 0);
    assert_eq!(friday, utc(2026, 3, 6, 21, 0));
    let monday = add_business_time(Some(&cal), friday, hours(2));
    assert_eq!(monday, utc(2026, 3, 9, 14, 0), "Monday 10:00 EDT");
    assert_eq!(business_time_between(Some(&cal), friday, monday), hours(2));
    let every_day = calendar(NEW_YORK, &EVERY_DAY, (0, 0), (24, 0), &[]);
    assert_eq!(
        business_time_between(
            Some(&every_day),
            local(NEW_YORK, 2026, 3, 8, 0, 0),
            local(NEW_YORK, 2026, 3, 9, 0, 0)
        ),
        hours(23)
    );
}

#[test]
fn around_the_clock_is_plain_arithmetic() {
    let from = utc(2026, 3, 29, 0, 30);
    assert_eq!(
        add_business_time(None, from, hours(5)),
        utc(2026, 3, 29, 5, 30)
    );
    assert_eq!(
        business_time_between(None, from, utc(2026, 3, 30, 0, 30)),
        hours(24)
    );
}

#[test]
fn nothing_between_reversed_instants_and_nothing_added_is_the_start() {
    let cal = office(PARIS);
    let from = local(PARIS, 2026, 1, 12, 10, 0);
    let earlier = local(PARIS, 2026, 1, 12, 9, 30);
    assert_eq!(
        business_time_between(Some(&cal), from, earlier),
        TimeDelta::zero()
    );
    assert_eq!(
        business_time_between(None, from, earlier),
        TimeDelta::zero()
    );
    assert_eq!(add_business_time(Some(&cal), from, TimeDelta::zero()), from);
    assert_eq!(add_business_time(Some(&cal), from, -hours(1)), from);
    let saturday = local(PARIS, 2026, 1, 10, 12, 0);
    assert_eq!(
        add_business_time(Some(&cal), saturday, TimeDelta::zero()),
        saturday,
        "zero is the start, not the next opening"
    );
}

#[test]
fn several_intervals_a_day() {
    let cal = super::CalendarDefinition::try_new(
        zone(PARIS),
        vec![
            WeeklyInterval::hours(Weekday::Mon, (14, 0), (18, 0)),
            WeeklyInterval::hours(Weekday::Mon, (8, 0), (12, 0)),
        ],
        Default::default(),
    )
    .expect("valid");
    let monday = local(PARIS, 2026, 1, 12, 11, 0);
    assert_eq!(
        add_business_time(Some(&cal), monday, hours(2)),
        local(PARIS, 2026, 1, 12, 15, 0)
    );
    assert_eq!(
        add_business_time(Some(&cal), monday, hours(7)),
        local(PARIS, 2026, 1, 19, 10, 0),
        "the next Monday"
    );
}

#[test]
fn adding_then_measuring_gives_the_amount_back_across_changes() {
    let zones = [PARIS, NEW_YORK];
    for name in zones {
        let cals = [
            office(name),
            calendar(name, &EVERY_DAY, (0, 0), (24, 0), &[]),
            calendar(name, &EVERY_DAY, (1, 30), (3, 30), &[date(2026, 3, 10)]),
        ];
        for cal in &cals {
            for start_hour in (0..24 * 10).step_by(7) {
                let from = utc(2026, 3, 3, 0, 0) + hours(start_hour);
                for minutes in [1, 59, 61, 240, 480, 1_000, 3_000] {
                    let amount = TimeDelta::minutes(minutes);
                    let at = add_business_time(Some(cal), from, amount);
                    assert_eq!(
                        business_time_between(Some(cal), from, at),
                        amount,
                        "{name} from {from} + {minutes} min"
                    );
                    let just_before = at - TimeDelta::seconds(1);
                    assert!(
                        business_time_between(Some(cal), from, just_before) < amount,
                        "earliest instant"
                    );
                }
            }
        }
    }
}

#[test]
fn a_thousand_holidays_stay_within_the_search_bound() {
    // One hour a week, and its next 1,000 occurrences are holidays: the first business
    // minute is 1,001 weeks away, within the bound of the day loop.
    let first_monday = date(2026, 1, 5);
    let holidays: Vec<_> = (0..1_000)
        .map(|week| first_monday + chrono::Days::new(7 * week))
        .collect();
    let cal = calendar(PARIS, &[Weekday::Mon], (9, 0), (10, 0), &holidays);
    let from = local(PARIS, 2026, 1, 1, 12, 0);
    let at = add_business_time(Some(&cal), from, TimeDelta::minutes(1));
    let expected = first_monday + chrono::Days::new(7 * 1_000);
    assert_eq!(
        at.with_timezone(&chrono_tz::Europe::Paris).date_naive(),
        expected
    );
    assert_eq!(
        business_time_between(Some(&cal), from, at),
        TimeDelta::minutes(1)
    );
}

#[test]
fn a_year_of_business_time_is_found_quickly() {
    let cal = calendar(PARIS, &[Weekday::Wed], (9, 0), (9, 30), &[]);
    let from = local(PARIS, 2026, 1, 1, 0, 0);
    let started = std::time::Instant::now();
    let at = add_business_time(Some(&cal), from, TimeDelta::minutes(525_600));
    assert_eq!(
        business_time_between(Some(&cal), from, at),
        TimeDelta::minutes(525_600)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
