use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, assert_outcomes, replayed};

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

fn cleared(person_id: Uuid, previous_manager_id: Uuid) -> ReportingLinesEvent {
    ReportingLinesEvent::ReportingLineCleared {
        person_id,
        previous_manager_id,
    }
}

fn clear(person_id: Uuid) -> ReportingLinesCommand {
    ReportingLinesCommand::ClearReportingLine { person_id }
}

#[test]
fn set_reporting_line() {
    // A reports to B and B to C: the chain A → B → C.
    let chain = || vec![line(A, B, None), line(B, C, None)];
    assert_outcomes::<ReportingLines>(vec![
        (
            "a first line",
            vec![],
            set(A, B),
            Ok(vec![line(A, B, None)]),
        ),
        (
            "a new manager records the previous one",
            vec![line(A, B, None)],
            set(A, C),
            Ok(vec![line(A, C, Some(B))]),
        ),
        (
            "reporting to oneself",
            vec![],
            set(A, A),
            Err(ReportingLinesError::SelfReporting),
        ),
        (
            "the same manager again is no change",
            vec![line(A, B, None)],
            set(A, B),
            Err(ReportingLinesError::Unchanged),
        ),
        (
            "a direct cycle",
            vec![line(A, B, None)],
            set(B, A),
            Err(ReportingLinesError::Cycle { chain: vec![A, B] }),
        ),
        (
            "C reporting to A would close the loop A → B → C → A",
            chain(),
            set(C, A),
            Err(ReportingLinesError::Cycle {
                chain: vec![A, B, C],
            }),
        ),
        (
            "C reporting to D, alone, is no cycle",
            chain(),
            set(C, D),
            Ok(vec![line(C, D, None)]),
        ),
        (
            "D, alone, reporting to A is no cycle",
            chain(),
            set(D, A),
            Ok(vec![line(D, A, None)]),
        ),
        (
            "a cleared line no longer counts for cycles",
            vec![line(A, B, None), cleared(A, B)],
            set(B, A),
            Ok(vec![line(B, A, None)]),
        ),
    ]);
}

#[test]
fn clear_reporting_line() {
    assert_outcomes::<ReportingLines>(vec![
        (
            "a line is cleared",
            vec![line(A, B, None)],
            clear(A),
            Ok(vec![cleared(A, B)]),
        ),
        (
            "a person without a line",
            vec![line(B, C, None)],
            clear(A),
            Err(ReportingLinesError::NoReportingLine),
        ),
    ]);
}

#[test]
fn apply_builds_state() {
    let lines: ReportingLines = replayed([line(A, B, None), line(A, C, Some(B))]);
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
