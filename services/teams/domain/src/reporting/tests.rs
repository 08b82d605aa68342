use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::testing::assert_events_round_trip;

type ReportingTest = TestFramework<ReportingLines>;

const A: Uuid = Uuid::from_u128(0xa);
const B: Uuid = Uuid::from_u128(0xb);
const C: Uuid = Uuid::from_u128(0xc);
const D: Uuid = Uuid::from_u128(0xd);

fn line(
    person_id: Uuid,
    manager_id: Uuid,
    previous_manager_id: Option<Uuid>,
) -> ReportingLinesEvent {
    ReportingLinesEvent::ReportingLineSet {
        person_id,
        manager_id,
        previous_manager_id,
    }
}

fn set(person_id: Uuid, manager_id: Uuid) -> ReportingLinesCommand {
    ReportingLinesCommand::SetReportingLine {
        person_id,
        manager_id,
    }
}

#[test]
fn set_first_reporting_line() {
    ReportingTest::with(())
        .given_no_previous_events()
        .when(set(A, B))
        .then_expect_events(vec![line(A, B, None)]);
}

#[test]
fn change_manager_records_previous_one() {
    ReportingTest::with(())
        .given(vec![line(A, B, None)])
        .when(set(A, C))
        .then_expect_events(vec![line(A, C, Some(B))]);
}

#[test]
fn self_reporting_is_refused() {
    ReportingTest::with(())
        .given_no_previous_events()
        .when(set(A, A))
        .then_expect_error(ReportingLinesError::SelfReporting);
}

#[test]
fn same_manager_again_is_no_change() {
    ReportingTest::with(())
        .given(vec![line(A, B, None)])
        .when(set(A, B))
        .then_expect_error(ReportingLinesError::Unchanged);
}

#[test]
fn direct_cycle_is_refused() {
    ReportingTest::with(())
        .given(vec![line(A, B, None)])
        .when(set(B, A))
        .then_expect_error(ReportingLinesError::Cycle { chain: vec![A, B] });
}

#[test]
fn cycle_a_b_c_a_is_refused_with_the_chain() {
    // A reports to B, B reports to C; C reporting to A would close the loop
    // A → B → C → A.
    ReportingTest::with(())
        .given(vec![line(A, B, None), line(B, C, None)])
        .when(set(C, A))
        .then_expect_error(ReportingLinesError::Cycle {
            chain: vec![A, B, C],
        });
}

#[test]
fn unrelated_chains_are_not_cycles() {
    // A → B → C and D alone: C reporting to D and D reporting to A are fine.
    ReportingTest::with(())
        .given(vec![line(A, B, None), line(B, C, None)])
        .when(set(C, D))
        .then_expect_events(vec![line(C, D, None)]);
    ReportingTest::with(())
        .given(vec![line(A, B, None), line(B, C, None)])
        .when(set(D, A))
        .then_expect_events(vec![line(D, A, None)]);
}

#[test]
fn cleared_line_no_longer_counts_for_cycles() {
    ReportingTest::with(())
        .given(vec![
            line(A, B, None),
            ReportingLinesEvent::ReportingLineCleared {
                person_id: A,
                previous_manager_id: B,
            },
        ])
        .when(set(B, A))
        .then_expect_events(vec![line(B, A, None)]);
}

#[test]
fn clear_reporting_line() {
    ReportingTest::with(())
        .given(vec![line(A, B, None)])
        .when(ReportingLinesCommand::ClearReportingLine { person_id: A })
        .then_expect_events(vec![ReportingLinesEvent::ReportingLineCleared {
            person_id: A,
            previous_manager_id: B,
        }]);
}

#[test]
fn clear_without_line_is_refused() {
    ReportingTest::with(())
        .given(vec![line(B, C, None)])
        .when(ReportingLinesCommand::ClearReportingLine { person_id: A })
        .then_expect_error(ReportingLinesError::NoReportingLine);
}

#[test]
fn apply_builds_state() {
    let mut lines = ReportingLines::default();
    cqrs_es::Aggregate::apply(&mut lines, line(A, B, None));
    cqrs_es::Aggregate::apply(&mut lines, line(A, C, Some(B)));
    assert_eq!(lines.manager_of(A), Some(C));
    assert_eq!(lines.manager_of(B), None);
    assert_eq!(lines.managers().len(), 1);
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        line(A, B, None),
        line(A, C, Some(B)),
        ReportingLinesEvent::ReportingLineCleared {
            person_id: A,
            previous_manager_id: C,
        },
    ];
    assert_events_round_trip(&events);
}
