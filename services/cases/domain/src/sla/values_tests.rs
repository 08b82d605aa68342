//! The rules of the calendar and policy values.

use std::collections::{BTreeMap, BTreeSet};

use chorus_teams_domain::testing::{assert_bounded_text, assert_plain_json_string, field_of};
use chrono::Weekday;

use super::test_support::*;
use super::*;
use crate::values::{Priority, SlaTargetKind, ValueError};

/// A day with its start and end, as (hours, minutes).
type Hours = (Weekday, (u16, u16), (u16, u16));

fn weekly(intervals: &[Hours]) -> Vec<WeeklyInterval> {
    intervals
        .iter()
        .map(|(day, start, end)| WeeklyInterval::hours(*day, *start, *end))
        .collect()
}

fn cal(intervals: Vec<WeeklyInterval>) -> Result<CalendarDefinition, ValueError> {
    CalendarDefinition::try_new(zone("Europe/Paris"), intervals, BTreeSet::new())
}

#[test]
fn time_zones_are_iana_names_stored_as_strings() {
    let paris = zone("Europe/Paris");
    assert_eq!(paris.as_str(), "Europe/Paris");
    assert_eq!(paris.tz(), chrono_tz::Europe::Paris);
    assert_eq!(paris.to_string(), "Europe/Paris");
    assert_eq!(
        serde_json::to_value(paris).expect("serialize"),
        serde_json::json!("Europe/Paris")
    );
    let back: TimeZoneName =
        serde_json::from_value(serde_json::json!("America/New_York")).expect("deserialize");
    assert_eq!(back, zone("America/New_York"));
    assert_eq!(
        field_of("Mars/Olympus_Mons".parse::<TimeZoneName>()),
        "timeZone"
    );
    assert_eq!(field_of("".parse::<TimeZoneName>()), "timeZone");
    assert!(serde_json::from_value::<TimeZoneName>(serde_json::json!("Nowhere")).is_err());
}

#[test]
fn names_are_bounded_text() {
    assert_bounded_text::<CalendarName>("  Paris  office ", "Paris office", 100, "name");
    assert_bounded_text::<SlaPolicyName>(" Care ", "Care", 100, "name");
    assert_plain_json_string::<CalendarName>("Paris", "Paris", " Paris ");
    assert_eq!(field_of(CalendarName::try_from("   ")), "name");
}

#[test]
fn a_calendar_needs_intervals_that_do_not_overlap() {
    assert_eq!(field_of(cal(vec![])), "weekly");
    let overlap = weekly(&[
        (Weekday::Mon, (9, 0), (12, 0)),
        (Weekday::Mon, (11, 0), (17, 0)),
    ]);
    let error = cal(overlap).expect_err("overlap");
    assert_eq!(error.field, "weekly");
    assert_eq!(error.rule, "intervals must not overlap on a day (Mon)");
    let touching = weekly(&[
        (Weekday::Mon, (12, 0), (17, 0)),
        (Weekday::Tue, (9, 0), (12, 0)),
        (Weekday::Mon, (9, 0), (12, 0)),
    ]);
    let ok = cal(touching).expect("touching intervals are fine");
    assert_eq!(
        ok.weekly(),
        &weekly(&[
            (Weekday::Mon, (9, 0), (12, 0)),
            (Weekday::Mon, (12, 0), (17, 0)),
            (Weekday::Tue, (9, 0), (12, 0)),
        ])[..],
        "kept sorted"
    );
    assert!(cal(weekly(&[(Weekday::Sun, (0, 0), (24, 0))])).is_ok());
    for bad in [
        (Weekday::Mon, (9, 0), (9, 0)),
        (Weekday::Mon, (17, 0), (9, 0)),
        (Weekday::Mon, (9, 0), (24, 1)),
    ] {
        assert_eq!(field_of(cal(weekly(&[bad]))), "weekly", "{bad:?}");
    }
}

#[test]
fn a_calendar_has_at_most_50_intervals_and_1000_holidays() {
    let intervals = |n: u16| -> Vec<WeeklyInterval> {
        (0..n)
            .map(|i| WeeklyInterval {
                day: Weekday::Mon,
                start: i * 10,
                end: i * 10 + 5,
            })
            .collect()
    };
    assert!(cal(intervals(50)).is_ok());
    assert_eq!(field_of(cal(intervals(51))), "weekly");
    let holidays = |n: u64| -> BTreeSet<_> {
        (0..n)
            .map(|d| date(2026, 1, 1) + chrono::Days::new(d))
            .collect()
    };
    let one = weekly(&[(Weekday::Mon, (9, 0), (17, 0))]);
    assert!(CalendarDefinition::try_new(zone("UTC"), one.clone(), holidays(1_000)).is_ok());
    assert_eq!(
        field_of(CalendarDefinition::try_new(
            zone("UTC"),
            one,
            holidays(1_001)
        )),
        "holidays"
    );
}

#[test]
fn calendar_deserialization_validates() {
    let definition = calendar(
        "Europe/Paris",
        &WEEKDAYS,
        (9, 0),
        (17, 0),
        &[date(2026, 5, 1)],
    );
    let json = serde_json::to_value(&definition).expect("serialize");
    assert_eq!(json["time_zone"], "Europe/Paris");
    assert_eq!(json["weekly"][0]["day"], "Mon");
    assert_eq!(json["weekly"][0]["start"], 540);
    assert_eq!(json["holidays"][0], "2026-05-01");
    let back: CalendarDefinition = serde_json::from_value(json.clone()).expect("deserialize");
    assert_eq!(back, definition);
    assert_eq!(back.holidays().len(), 1);
    assert_eq!(back.time_zone(), zone("Europe/Paris"));
    let mut broken = json;
    broken["weekly"] = serde_json::json!([]);
    let error = serde_json::from_value::<CalendarDefinition>(broken).expect_err("no interval");
    assert!(error.to_string().contains("weekly"), "{error}");
}

fn policy(
    targets: Vec<(Priority, SlaTargets)>,
    lead: u32,
) -> Result<SlaPolicyDefinition, ValueError> {
    SlaPolicyDefinition::try_new(targets.into_iter().collect(), None, lead)
}

#[test]
fn a_policy_needs_a_target_within_a_year_and_a_smaller_lead() {
    let urgent = |t: SlaTargets| vec![(Priority::Urgent, t)];
    assert_eq!(field_of(policy(vec![], 0)), "targets");
    assert_eq!(
        field_of(policy(urgent(targets(None, None, None)), 0)),
        "targets"
    );
    assert_eq!(
        field_of(policy(urgent(targets(Some(0), None, None)), 0)),
        "targets"
    );
    assert_eq!(
        field_of(policy(urgent(targets(None, None, Some(525_601))), 0)),
        "targets"
    );
    assert!(policy(urgent(targets(Some(1), None, Some(525_600))), 0).is_ok());
    assert_eq!(
        field_of(policy(urgent(targets(Some(60), Some(10), None)), 10)),
        "warningLeadMinutes"
    );
    let ok = policy(
        vec![
            (Priority::Urgent, targets(Some(60), Some(11), None)),
            (Priority::Low, SlaTargets::default()),
        ],
        10,
    )
    .expect("valid");
    assert_eq!(
        ok.targets().len(),
        1,
        "a priority without targets is dropped"
    );
    assert_eq!(ok.targets_for(Priority::Low), None);
    assert_eq!(
        ok.targets_for(Priority::Urgent)
            .and_then(|t| t.get(SlaTargetKind::NextResponse)),
        Some(11)
    );
    assert_eq!(ok.warning_lead_minutes(), 10);
    assert_eq!(ok.calendar_id(), None);
}

#[test]
fn policy_deserialization_validates() {
    let definition = SlaPolicyDefinition::try_new(
        BTreeMap::from([(Priority::High, targets(Some(30), None, Some(600)))]),
        Some(CALENDAR),
        5,
    )
    .expect("valid");
    let json = serde_json::to_value(&definition).expect("serialize");
    assert_eq!(json["targets"]["HIGH"]["first_response"], 30);
    let back: SlaPolicyDefinition = serde_json::from_value(json.clone()).expect("deserialize");
    assert_eq!(back, definition);
    let mut broken = json;
    broken["warning_lead_minutes"] = serde_json::json!(30);
    let error = serde_json::from_value::<SlaPolicyDefinition>(broken).expect_err("lead");
    assert!(error.to_string().contains("warningLeadMinutes"), "{error}");
}
