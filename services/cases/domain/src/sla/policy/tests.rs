use std::collections::BTreeMap;

use chorus_teams_domain::testing::{
    assert_error_codes, assert_events_round_trip, assert_outcomes, replayed, ADMIN, ORG,
};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::sla::test_support::{calendar_snapshot, office, targets, CALENDAR, POLICY};
use crate::sla::{CalendarSnapshot, SlaPolicyDefinition, SlaPolicyName};
use crate::values::Priority;

type PolicyTest = TestFramework<SlaPolicy>;

fn definition(calendar_id: Option<uuid::Uuid>, lead: u32) -> SlaPolicyDefinition {
    SlaPolicyDefinition::try_new(
        BTreeMap::from([
            (Priority::Urgent, targets(Some(15), Some(30), Some(240))),
            (Priority::Normal, targets(Some(240), None, Some(2_400))),
            (Priority::Low, targets(None, None, None)),
        ]),
        calendar_id,
        lead,
    )
    .expect("valid")
}

fn v1() -> SlaPolicyDefinition {
    definition(Some(CALENDAR), 10)
}

fn v2() -> SlaPolicyDefinition {
    definition(None, 5)
}

fn name() -> SlaPolicyName {
    SlaPolicyName::try_from("Customer care").expect("valid")
}

fn define() -> SlaPolicyCommand {
    SlaPolicyCommand::DefineSlaPolicy {
        policy_id: POLICY,
        organization_id: ORG,
        name: name(),
        definition: v1(),
        by: ADMIN,
    }
}

fn defined() -> SlaPolicyEvent {
    SlaPolicyEvent::SlaPolicyDefined {
        policy_id: POLICY,
        organization_id: ORG,
        name: name(),
        version: 1,
        definition: v1(),
        by: ADMIN,
    }
}

fn revise(definition: SlaPolicyDefinition) -> SlaPolicyCommand {
    SlaPolicyCommand::ReviseSlaPolicy {
        definition,
        by: ADMIN,
    }
}

fn revised(version: u64, definition: SlaPolicyDefinition) -> SlaPolicyEvent {
    SlaPolicyEvent::SlaPolicyRevised {
        version,
        definition,
        by: ADMIN,
    }
}

fn retire() -> SlaPolicyCommand {
    SlaPolicyCommand::RetireSlaPolicy { by: ADMIN }
}

fn retired(version: u64) -> SlaPolicyEvent {
    SlaPolicyEvent::SlaPolicyRetired { version, by: ADMIN }
}

#[test]
fn define_policy_starts_at_version_one() {
    PolicyTest::with(())
        .given_no_previous_events()
        .when(define())
        .then_expect_events(vec![defined()]);
}

#[test]
fn revise_bumps_the_version() {
    PolicyTest::with(())
        .given(vec![defined()])
        .when(revise(v2()))
        .then_expect_events(vec![revised(2, v2())]);
}

#[test]
fn retire_records_the_last_version() {
    PolicyTest::with(())
        .given(vec![defined(), revised(2, v2())])
        .when(retire())
        .then_expect_events(vec![retired(2)]);
}

#[test]
fn commands_and_their_outcomes() {
    assert_outcomes::<SlaPolicy>(vec![
        (
            "define twice",
            vec![defined()],
            define(),
            Err(SlaPolicyError::AlreadyExists),
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
            Err(SlaPolicyError::Unchanged),
        ),
        (
            "revise a missing policy",
            vec![],
            revise(v2()),
            Err(SlaPolicyError::NotFound),
        ),
        (
            "revise a retired policy",
            vec![defined(), retired(1)],
            revise(v2()),
            Err(SlaPolicyError::Retired),
        ),
        (
            "retire twice",
            vec![defined(), retired(1)],
            retire(),
            Err(SlaPolicyError::Retired),
        ),
        (
            "retire a missing policy",
            vec![],
            retire(),
            Err(SlaPolicyError::NotFound),
        ),
    ]);
}

fn paris() -> CalendarSnapshot {
    calendar_snapshot(3, office("Europe/Paris"))
}

#[test]
fn snapshot_for_a_priority_records_its_targets_and_the_calendar() {
    let policy: SlaPolicy = replayed([defined()]);
    let snapshot = policy
        .snapshot_for(Priority::Urgent, Some(paris()))
        .expect("urgent has targets");
    assert_eq!(
        snapshot,
        SlaSnapshot {
            policy_id: POLICY,
            version: 1,
            priority: Priority::Urgent,
            targets: targets(Some(15), Some(30), Some(240)),
            warning_lead_minutes: 10,
            calendar: Some(paris()),
        }
    );
    assert_eq!(
        policy.snapshot_for(Priority::Low, Some(paris())),
        None,
        "no targets for low"
    );
    assert_eq!(policy.snapshot_for(Priority::High, Some(paris())), None);
    assert_eq!(
        policy.snapshot_for(Priority::Urgent, None),
        None,
        "the named calendar is missing"
    );
    let other = CalendarSnapshot {
        calendar_id: uuid::Uuid::from_u128(0xbad),
        ..paris()
    };
    assert_eq!(policy.snapshot_for(Priority::Urgent, Some(other)), None);
}

#[test]
fn an_around_the_clock_policy_ignores_the_calendar() {
    let policy: SlaPolicy = replayed([defined(), revised(2, v2())]);
    let snapshot = policy
        .snapshot_for(Priority::Normal, Some(paris()))
        .expect("normal has targets");
    assert_eq!(snapshot.version, 2);
    assert_eq!(snapshot.calendar, None);
    assert_eq!(snapshot.warning_lead_minutes, 5);
    let retired: SlaPolicy = replayed([defined(), revised(2, v2()), retired(2)]);
    assert!(retired.is_retired());
    assert_eq!(retired.snapshot_for(Priority::Normal, None), None);
    assert_eq!(
        SlaPolicy::default().snapshot_for(Priority::Normal, None),
        None
    );
}

#[test]
fn state_accessors() {
    let policy: SlaPolicy = replayed([defined(), revised(2, v2())]);
    assert!(policy.exists());
    assert_eq!(policy.policy_id(), Some(POLICY));
    assert_eq!(policy.organization_id(), Some(ORG));
    assert_eq!(policy.name(), Some(&name()));
    assert_eq!(policy.version(), 2);
    assert_eq!(policy.definition(), Some(&v2()));
}

#[test]
fn stored_names_errors_and_round_trips() {
    assert_eq!(<SlaPolicy as Aggregate>::TYPE, "sla_policy");
    assert_events_round_trip(&[defined(), revised(2, v2()), retired(2)]);
    let state: SlaPolicy = replayed([defined(), revised(2, v2())]);
    let json = serde_json::to_string(&state).expect("serialize");
    assert_eq!(
        serde_json::from_str::<SlaPolicy>(&json).expect("deserialize"),
        state
    );
    let invalid = SlaPolicyError::from(crate::values::ValueError::new("targets", "rule"));
    assert_error_codes(&[
        (&SlaPolicyError::AlreadyExists, "SLA_POLICY_EXISTS"),
        (&SlaPolicyError::NotFound, "SLA_POLICY_NOT_FOUND"),
        (&SlaPolicyError::Retired, "SLA_POLICY_RETIRED"),
        (&SlaPolicyError::Unchanged, "NO_CHANGE"),
        (&invalid, "BAD_USER_INPUT"),
    ]);
    assert_eq!(
        chorus_shared::DomainCode::invalid_input(&invalid),
        Some(("targets", "rule".to_string()))
    );
    assert_eq!(
        SlaPolicyError::Retired.to_string(),
        "The SLA policy is retired."
    );
}
