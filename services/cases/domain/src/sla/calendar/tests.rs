use chorus_teams_domain::testing::{
    assert_error_codes, assert_events_round_trip, assert_outcomes, records, refused, replayed,
    ADMIN, ORG,
};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::sla::test_support::{calendar, office, CALENDAR, WEEKDAYS};
use crate::sla::{CalendarDefinition, CalendarName};

type CalendarTest = TestFramework<BusinessCalendar>;

fn v1() -> CalendarDefinition {
    office("Europe/Paris")
}

fn v2() -> CalendarDefinition {
    calendar("Europe/Paris", &WEEKDAYS, (8, 0), (18, 0), &[])
}

fn name() -> CalendarName {
    CalendarName::try_from("Paris office").expect("valid")
}

fn define() -> BusinessCalendarCommand {
    BusinessCalendarCommand::DefineCalendar {
        calendar_id: CALENDAR,
        organization_id: ORG,
        name: name(),
        definition: v1(),
        by: ADMIN,
    }
}

fn defined() -> BusinessCalendarEvent {
    BusinessCalendarEvent::CalendarDefined {
        calendar_id: CALENDAR,
        organization_id: ORG,
        name: name(),
        version: 1,
        definition: v1(),
        by: ADMIN,
    }
}

fn revise(definition: CalendarDefinition) -> BusinessCalendarCommand {
    BusinessCalendarCommand::ReviseCalendar {
        definition,
        by: ADMIN,
    }
}

fn revised(version: u64, definition: CalendarDefinition) -> BusinessCalendarEvent {
    BusinessCalendarEvent::CalendarRevised {
        version,
        definition,
        by: ADMIN,
    }
}

fn retire() -> BusinessCalendarCommand {
    BusinessCalendarCommand::RetireCalendar { by: ADMIN }
}

fn retired(version: u64) -> BusinessCalendarEvent {
    BusinessCalendarEvent::CalendarRetired { version, by: ADMIN }
}

#[test]
fn define_calendar_starts_at_version_one() {
    CalendarTest::with(())
        .given_no_previous_events()
        .when(define())
        .then_expect_events(vec![defined()]);
}

#[test]
fn revise_bumps_the_version() {
    CalendarTest::with(())
        .given(vec![defined()])
        .when(revise(v2()))
        .then_expect_events(vec![revised(2, v2())]);
}

#[test]
fn retire_records_the_last_version() {
    CalendarTest::with(())
        .given(vec![defined(), revised(2, v2())])
        .when(retire())
        .then_expect_events(vec![retired(2)]);
}

#[test]
fn commands_and_their_outcomes() {
    assert_outcomes::<BusinessCalendar>(vec![
        (
            "define twice",
            vec![defined()],
            define(),
            Err(BusinessCalendarError::AlreadyExists),
        ),
        (
            "every revision bumps the version",
            vec![defined(), revised(2, v2())],
            revise(v1()),
            Ok(vec![revised(3, v1())]),
        ),
        (
            "identical revision",
            vec![defined()],
            revise(v1()),
            Err(BusinessCalendarError::Unchanged),
        ),
        (
            "revise a missing calendar",
            vec![],
            revise(v2()),
            Err(BusinessCalendarError::NotFound),
        ),
        (
            "revise a retired calendar",
            vec![defined(), retired(1)],
            revise(v2()),
            Err(BusinessCalendarError::Retired),
        ),
        (
            "retire twice",
            vec![defined(), retired(1)],
            retire(),
            Err(BusinessCalendarError::Retired),
        ),
        (
            "retire a missing calendar",
            vec![],
            retire(),
            Err(BusinessCalendarError::NotFound),
        ),
    ]);
}

#[test]
fn kit_helpers_agree() {
    assert_eq!(
        records::<BusinessCalendar>(vec![], define()),
        vec![defined()]
    );
    assert_eq!(
        refused::<BusinessCalendar>(vec![defined()], define()),
        BusinessCalendarError::AlreadyExists
    );
}

#[test]
fn state_and_snapshot_track_the_version() {
    let mut cal = BusinessCalendar::default();
    assert!(!cal.exists());
    assert_eq!(cal.snapshot(), None);
    cal.apply(defined());
    let first = cal.snapshot().expect("defined");
    assert_eq!((first.calendar_id, first.version), (CALENDAR, 1));
    assert_eq!(first.definition, v1());
    cal.apply(revised(2, v2()));
    assert_eq!(cal.calendar_id(), Some(CALENDAR));
    assert_eq!(cal.organization_id(), Some(ORG));
    assert_eq!(cal.name(), Some(&name()));
    assert_eq!(cal.version(), 2);
    assert_eq!(cal.definition(), Some(&v2()));
    assert_eq!(cal.snapshot().map(|s| s.version), Some(2));
    cal.apply(retired(2));
    assert!(cal.is_retired());
    assert_eq!(cal.snapshot(), None, "a retired calendar counts nothing");
}

#[test]
fn stored_names_errors_and_round_trips() {
    assert_eq!(<BusinessCalendar as Aggregate>::TYPE, "business_calendar");
    assert_events_round_trip(&[defined(), revised(2, v2()), retired(2)]);
    let state: BusinessCalendar = replayed([defined(), revised(2, v2())]);
    let json = serde_json::to_string(&state).expect("serialize");
    assert_eq!(
        serde_json::from_str::<BusinessCalendar>(&json).expect("deserialize"),
        state
    );
    let invalid = BusinessCalendarError::from(crate::values::ValueError::new("weekly", "rule"));
    assert_error_codes(&[
        (&BusinessCalendarError::AlreadyExists, "CALENDAR_EXISTS"),
        (&BusinessCalendarError::NotFound, "CALENDAR_NOT_FOUND"),
        (&BusinessCalendarError::Retired, "CALENDAR_RETIRED"),
        (&BusinessCalendarError::Unchanged, "NO_CHANGE"),
        (&invalid, "BAD_USER_INPUT"),
    ]);
    assert_eq!(
        chorus_shared::DomainCode::invalid_input(&invalid),
        Some(("weekly", "rule".to_string()))
    );
    assert_eq!(
        BusinessCalendarError::Retired.to_string(),
        "The business calendar is retired."
    );
}
