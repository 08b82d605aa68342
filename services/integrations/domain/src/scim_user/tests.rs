use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::values::{Department, GivenName};

type Given = TestFramework<ScimUser>;

fn profile(department: &str) -> UserProfile {
    UserProfile::new(
        Some(GivenName::try_from("Ada".to_string()).unwrap_or_else(|e| panic!("{e}"))),
        None,
        None,
        Some(Department::try_from(department.to_string()).unwrap_or_else(|e| panic!("{e}"))),
    )
}

fn recorded(org: Uuid, department: &str) -> ScimUserEvent {
    ScimUserEvent::ScimProfileRecorded {
        person_id: Uuid::nil(),
        organization_id: org,
        profile: profile(department),
        by: Uuid::nil(),
    }
}

fn record(org: Uuid, department: &str) -> ScimUserCommand {
    ScimUserCommand::RecordProfile {
        person_id: Uuid::nil(),
        organization_id: org,
        profile: profile(department),
        by: Uuid::nil(),
    }
}

#[test]
fn a_profile_is_recorded_once_and_again_only_when_it_changes() {
    let org = Uuid::from_u128(1);
    Given::with(())
        .given_no_previous_events()
        .when(record(org, "Sales"))
        .then_expect_events(vec![recorded(org, "Sales")]);
    Given::with(())
        .given(vec![recorded(org, "Sales")])
        .when(record(org, "Sales"))
        .then_expect_events(vec![]);
    Given::with(())
        .given(vec![recorded(org, "Sales")])
        .when(record(org, "Legal"))
        .then_expect_events(vec![recorded(org, "Legal")]);
}

#[test]
fn another_organizations_person_is_refused() {
    Given::with(())
        .given(vec![recorded(Uuid::from_u128(1), "Sales")])
        .when(record(Uuid::from_u128(2), "Sales"))
        .then_expect_error(ScimUserError::OtherOrganization);
}
