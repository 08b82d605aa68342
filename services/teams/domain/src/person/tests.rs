use chrono::{DateTime, TimeDelta, Utc};
use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, assert_outcomes, replayed, t0, ADMIN, ORG, TEAM};
use crate::values::{
    Affiliation, DisplayName, Email, ExternalId, Reason, Responsibility, RoleFunction, RoleScope,
};

type PersonTest = TestFramework<Person>;

const PERSON: Uuid = Uuid::from_u128(0x9e);
const ASSIGNMENT_1: Uuid = Uuid::from_u128(0x1);
const ASSIGNMENT_2: Uuid = Uuid::from_u128(0x2);
const ASSIGNMENT_3: Uuid = Uuid::from_u128(0x3);

fn reason(raw: &str) -> Reason {
    Reason::try_from(raw).expect("valid reason")
}

fn added() -> PersonEvent {
    PersonEvent::PersonAdded {
        person_id: PERSON,
        organization_id: ORG,
        display_name: "Ada Lovelace".to_string(),
        email: "ada@example.com".to_string(),
        affiliation: Affiliation::Internal,
        external_id: None,
    }
}

fn offboarded() -> PersonEvent {
    PersonEvent::PersonOffboarded {
        reason: None,
        at: t0(),
    }
}

/// Social-media-manager role on the team, effective now.
fn assigned(assignment_id: Uuid) -> PersonEvent {
    PersonEvent::RoleAssigned {
        assignment_id,
        person_id: PERSON,
        function: RoleFunction::SocialMedia,
        responsibility: Some(Responsibility::SocialMediaManager),
        scope: RoleScope::team(TEAM),
        effective_from: t0(),
        reason: "runs the accounts".to_string(),
        granted_by: ADMIN,
    }
}

/// Organization-wide legal role without a responsibility, effective now.
fn assigned_legal(assignment_id: Uuid) -> PersonEvent {
    PersonEvent::RoleAssigned {
        assignment_id,
        person_id: PERSON,
        function: RoleFunction::Legal,
        responsibility: None,
        scope: RoleScope::organization(ORG),
        effective_from: t0(),
        reason: "reviews campaigns".to_string(),
        granted_by: ADMIN,
    }
}

fn revoked(assignment_id: Uuid, function: RoleFunction, scope: RoleScope) -> PersonEvent {
    PersonEvent::RoleRevoked {
        assignment_id,
        person_id: PERSON,
        function,
        scope,
        reason: "moved on".to_string(),
        revoked_by: ADMIN,
        at: t0() + TimeDelta::days(1),
    }
}

/// The revocation of [`assigned`]`(assignment_id)`, a day after it took effect.
fn revoked_assigned(assignment_id: Uuid) -> PersonEvent {
    revoked(
        assignment_id,
        RoleFunction::SocialMedia,
        RoleScope::team(TEAM),
    )
}

/// The command that records [`assigned`]`(assignment_id)`.
fn assign(assignment_id: Uuid) -> PersonCommand {
    assign_with(
        assignment_id,
        RoleFunction::SocialMedia,
        Some(Responsibility::SocialMediaManager),
        t0(),
    )
}

/// Assigns `function` (with `responsibility`) on the team from `effective_from`.
fn assign_with(
    assignment_id: Uuid,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
    effective_from: DateTime<Utc>,
) -> PersonCommand {
    PersonCommand::AssignRole {
        assignment_id,
        function,
        responsibility,
        scope: RoleScope::team(TEAM),
        effective_from,
        reason: reason("runs the accounts"),
        granted_by: ADMIN,
        now: t0(),
    }
}

fn revoke(assignment_id: Uuid, at: DateTime<Utc>) -> PersonCommand {
    PersonCommand::RevokeRole {
        assignment_id,
        reason: reason("moved on"),
        revoked_by: ADMIN,
        at,
    }
}

fn offboard(reason: Option<Reason>, at: DateTime<Utc>) -> PersonCommand {
    PersonCommand::OffboardPerson {
        reason,
        at,
        by: ADMIN,
    }
}

fn no_update() -> PersonCommand {
    PersonCommand::UpdatePerson {
        display_name: None,
        email: None,
        affiliation: None,
        external_id: None,
    }
}

// ---- AddPerson ----

#[test]
fn add_person() {
    PersonTest::with(())
        .given_no_previous_events()
        .when(PersonCommand::AddPerson {
            person_id: PERSON,
            organization_id: ORG,
            display_name: DisplayName::try_from(" Ada Lovelace ").expect("valid"),
            email: Email::try_from("Ada@Example.com").expect("valid"),
            affiliation: Affiliation::Internal,
            external_id: None,
        })
        .then_expect_events(vec![added()]);
}

#[test]
fn add_person_with_external_id() {
    PersonTest::with(())
        .given_no_previous_events()
        .when(PersonCommand::AddPerson {
            person_id: PERSON,
            organization_id: ORG,
            display_name: DisplayName::try_from("Grace").expect("valid"),
            email: Email::try_from("grace@agency.example").expect("valid"),
            affiliation: Affiliation::Agency,
            external_id: Some(ExternalId::try_from("HR-7").expect("valid")),
        })
        .then_expect_events(vec![PersonEvent::PersonAdded {
            person_id: PERSON,
            organization_id: ORG,
            display_name: "Grace".to_string(),
            email: "grace@agency.example".to_string(),
            affiliation: Affiliation::Agency,
            external_id: Some("HR-7".to_string()),
        }]);
}

#[test]
fn add_person_refusals() {
    assert_outcomes::<Person>(vec![(
        "adding a person twice",
        vec![added()],
        PersonCommand::AddPerson {
            person_id: PERSON,
            organization_id: ORG,
            display_name: DisplayName::try_from("Ada").expect("valid"),
            email: Email::try_from("ada@example.com").expect("valid"),
            affiliation: Affiliation::Internal,
            external_id: None,
        },
        Err(PersonError::AlreadyExists),
    )]);
}

// ---- UpdatePerson ----

#[test]
fn update_person_records_only_changed_fields() {
    PersonTest::with(())
        .given(vec![added()])
        .when(PersonCommand::UpdatePerson {
            display_name: Some(DisplayName::try_from("Ada Lovelace").expect("valid")),
            email: Some(Email::try_from("ADA@example.com").expect("valid")),
            affiliation: Some(Affiliation::Consultant),
            external_id: Some(ExternalId::try_from("HR-1").expect("valid")),
        })
        .then_expect_events(vec![PersonEvent::PersonUpdated {
            display_name: None,
            email: None,
            affiliation: Some(Affiliation::Consultant),
            external_id: Some("HR-1".to_string()),
        }]);
}

#[test]
fn update_every_field() {
    PersonTest::with(())
        .given(vec![added()])
        .when(PersonCommand::UpdatePerson {
            display_name: Some(DisplayName::try_from("Ada King").expect("valid")),
            email: Some(Email::try_from("ada.king@example.com").expect("valid")),
            affiliation: Some(Affiliation::Freelancer),
            external_id: Some(ExternalId::try_from("HR-1").expect("valid")),
        })
        .then_expect_events(vec![PersonEvent::PersonUpdated {
            display_name: Some("Ada King".to_string()),
            email: Some("ada.king@example.com".to_string()),
            affiliation: Some(Affiliation::Freelancer),
            external_id: Some("HR-1".to_string()),
        }]);
}

#[test]
fn update_person_refusals() {
    assert_outcomes::<Person>(vec![
        (
            "an update with identical values is no change",
            vec![
                added(),
                PersonEvent::PersonUpdated {
                    display_name: None,
                    email: None,
                    affiliation: None,
                    external_id: Some("HR-1".to_string()),
                },
            ],
            PersonCommand::UpdatePerson {
                display_name: Some(DisplayName::try_from("Ada Lovelace").expect("valid")),
                email: Some(Email::try_from("ada@EXAMPLE.com").expect("valid")),
                affiliation: Some(Affiliation::Internal),
                external_id: Some(ExternalId::try_from("HR-1").expect("valid")),
            },
            Err(PersonError::NoChange),
        ),
        (
            "an empty update is no change",
            vec![added()],
            no_update(),
            Err(PersonError::NoChange),
        ),
        (
            "a missing person is not found",
            vec![],
            no_update(),
            Err(PersonError::NotFound),
        ),
        (
            "an offboarded person is not updated",
            vec![added(), offboarded()],
            PersonCommand::UpdatePerson {
                display_name: Some(DisplayName::try_from("Ada King").expect("valid")),
                email: None,
                affiliation: None,
                external_id: None,
            },
            Err(PersonError::Offboarded),
        ),
    ]);
}

// ---- OffboardPerson ----

#[test]
fn offboarding_revokes_every_active_role_in_one_command() {
    let at = t0() + TimeDelta::days(30);
    PersonTest::with(())
        .given(vec![
            added(),
            assigned(ASSIGNMENT_1),
            assigned_legal(ASSIGNMENT_2),
            assigned(ASSIGNMENT_3),
        ])
        .and(vec![revoked_assigned(ASSIGNMENT_1)])
        .when(offboard(None, at))
        .then_expect_events(vec![
            PersonEvent::RoleRevoked {
                assignment_id: ASSIGNMENT_2,
                person_id: PERSON,
                function: RoleFunction::Legal,
                scope: RoleScope::organization(ORG),
                reason: "person offboarded".to_string(),
                revoked_by: ADMIN,
                at,
            },
            PersonEvent::RoleRevoked {
                assignment_id: ASSIGNMENT_3,
                person_id: PERSON,
                function: RoleFunction::SocialMedia,
                scope: RoleScope::team(TEAM),
                reason: "person offboarded".to_string(),
                revoked_by: ADMIN,
                at,
            },
            PersonEvent::PersonOffboarded { reason: None, at },
        ]);
}

#[test]
fn offboarding_reason_is_used_for_revocations() {
    let at = t0() + TimeDelta::days(30);
    PersonTest::with(())
        .given(vec![added(), assigned(ASSIGNMENT_1)])
        .when(offboard(Some(reason("contract ended")), at))
        .then_expect_events(vec![
            PersonEvent::RoleRevoked {
                assignment_id: ASSIGNMENT_1,
                person_id: PERSON,
                function: RoleFunction::SocialMedia,
                scope: RoleScope::team(TEAM),
                reason: "contract ended".to_string(),
                revoked_by: ADMIN,
                at,
            },
            PersonEvent::PersonOffboarded {
                reason: Some("contract ended".to_string()),
                at,
            },
        ]);
}

#[test]
fn offboarding_without_roles() {
    PersonTest::with(())
        .given(vec![added()])
        .when(offboard(None, t0()))
        .then_expect_events(vec![offboarded()]);
}

#[test]
fn offboarding_is_not_blocked_by_a_future_grant() {
    let later = t0() + TimeDelta::days(7);
    let future_grant = PersonEvent::RoleAssigned {
        assignment_id: ASSIGNMENT_1,
        person_id: PERSON,
        function: RoleFunction::Marketing,
        responsibility: None,
        scope: RoleScope::team(TEAM),
        effective_from: later,
        reason: "starts next week".to_string(),
        granted_by: ADMIN,
    };
    PersonTest::with(())
        .given(vec![added(), future_grant])
        .when(offboard(None, t0()))
        .then_expect_events(vec![
            PersonEvent::RoleRevoked {
                assignment_id: ASSIGNMENT_1,
                person_id: PERSON,
                function: RoleFunction::Marketing,
                scope: RoleScope::team(TEAM),
                reason: "person offboarded".to_string(),
                revoked_by: ADMIN,
                at: t0(),
            },
            offboarded(),
        ]);
}

#[test]
fn offboard_person_refusals() {
    assert_outcomes::<Person>(vec![
        (
            "a missing person is not found",
            vec![],
            offboard(None, t0()),
            Err(PersonError::NotFound),
        ),
        (
            "offboarding twice",
            vec![added(), offboarded()],
            offboard(None, t0()),
            Err(PersonError::Offboarded),
        ),
    ]);
}

// ---- AssignRole ----

#[test]
fn assign_role() {
    PersonTest::with(())
        .given(vec![added()])
        .when(assign(ASSIGNMENT_1))
        .then_expect_events(vec![assigned(ASSIGNMENT_1)]);
}

#[test]
fn assign_role_without_responsibility() {
    PersonTest::with(())
        .given(vec![added()])
        .when(PersonCommand::AssignRole {
            assignment_id: ASSIGNMENT_1,
            function: RoleFunction::Legal,
            responsibility: None,
            scope: RoleScope::organization(ORG),
            effective_from: t0(),
            reason: reason("reviews campaigns"),
            granted_by: ADMIN,
            now: t0(),
        })
        .then_expect_events(vec![assigned_legal(ASSIGNMENT_1)]);
}

#[test]
fn reassign_after_revoke_is_allowed() {
    PersonTest::with(())
        .given(vec![
            added(),
            assigned(ASSIGNMENT_1),
            revoked_assigned(ASSIGNMENT_1),
        ])
        .when(assign(ASSIGNMENT_2))
        .then_expect_events(vec![assigned(ASSIGNMENT_2)]);
}

#[test]
fn same_function_in_another_scope_or_responsibility_is_not_a_duplicate() {
    let other_team = Uuid::from_u128(0x7f);
    PersonTest::with(())
        .given(vec![added(), assigned(ASSIGNMENT_1)])
        .when(PersonCommand::AssignRole {
            assignment_id: ASSIGNMENT_2,
            function: RoleFunction::SocialMedia,
            responsibility: Some(Responsibility::SocialMediaManager),
            scope: RoleScope::team(other_team),
            effective_from: t0(),
            reason: reason("covers the other team"),
            granted_by: ADMIN,
            now: t0(),
        })
        .then_expect_events(vec![PersonEvent::RoleAssigned {
            assignment_id: ASSIGNMENT_2,
            person_id: PERSON,
            function: RoleFunction::SocialMedia,
            responsibility: Some(Responsibility::SocialMediaManager),
            scope: RoleScope::team(other_team),
            effective_from: t0(),
            reason: "covers the other team".to_string(),
            granted_by: ADMIN,
        }]);
    PersonTest::with(())
        .given(vec![added(), assigned(ASSIGNMENT_1)])
        .when(assign_with(
            ASSIGNMENT_2,
            RoleFunction::SocialMedia,
            Some(Responsibility::ContentDeveloper),
            t0(),
        ))
        .inspect_result()
        .expect("a different responsibility is a different role");
}

#[test]
fn effective_from_within_tolerance_or_future_is_allowed() {
    for effective_from in [
        t0() - TimeDelta::minutes(5),
        t0() - TimeDelta::seconds(30),
        t0() + TimeDelta::days(7),
    ] {
        PersonTest::with(())
            .given(vec![added()])
            .when(assign_with(
                ASSIGNMENT_2,
                RoleFunction::Marketing,
                None,
                effective_from,
            ))
            .then_expect_events(vec![PersonEvent::RoleAssigned {
                assignment_id: ASSIGNMENT_2,
                person_id: PERSON,
                function: RoleFunction::Marketing,
                responsibility: None,
                scope: RoleScope::team(TEAM),
                effective_from,
                reason: "runs the accounts".to_string(),
                granted_by: ADMIN,
            }]);
    }
}

#[test]
fn assign_role_refusals() {
    assert_outcomes::<Person>(vec![
        (
            "a missing person is not found",
            vec![],
            assign(ASSIGNMENT_1),
            Err(PersonError::NotFound),
        ),
        (
            "an offboarded person gets no role",
            vec![added(), offboarded()],
            assign(ASSIGNMENT_1),
            Err(PersonError::Offboarded),
        ),
        (
            "the same role twice at once",
            vec![added(), assigned(ASSIGNMENT_1)],
            assign(ASSIGNMENT_2),
            Err(PersonError::DuplicateActiveAssignment {
                existing_assignment_id: ASSIGNMENT_1,
            }),
        ),
        (
            "an assignment id already taken by another role",
            vec![added(), assigned_legal(ASSIGNMENT_1)],
            assign(ASSIGNMENT_1),
            Err(PersonError::AssignmentIdTaken),
        ),
        (
            "an assignment id taken even when that assignment is revoked",
            vec![
                added(),
                assigned(ASSIGNMENT_1),
                revoked_assigned(ASSIGNMENT_1),
            ],
            assign(ASSIGNMENT_1),
            Err(PersonError::AssignmentIdTaken),
        ),
        (
            "a responsibility outside the function",
            vec![added()],
            assign_with(
                ASSIGNMENT_2,
                RoleFunction::Legal,
                Some(Responsibility::SocialMediaManager),
                t0(),
            ),
            Err(PersonError::ResponsibilityNotInFunction {
                responsibility: Responsibility::SocialMediaManager,
                function: RoleFunction::Legal,
            }),
        ),
        (
            "an effective date backdated beyond the tolerance",
            vec![added()],
            assign_with(
                ASSIGNMENT_2,
                RoleFunction::Marketing,
                None,
                t0() - TimeDelta::minutes(5) - TimeDelta::seconds(1),
            ),
            Err(PersonError::EffectiveFromInPast),
        ),
    ]);
}

// ---- RevokeRole ----

#[test]
fn revoke_role() {
    PersonTest::with(())
        .given(vec![added(), assigned(ASSIGNMENT_1)])
        .when(revoke(ASSIGNMENT_1, t0() + TimeDelta::days(1)))
        .then_expect_events(vec![revoked_assigned(ASSIGNMENT_1)]);
}

#[test]
fn revoke_at_effective_from_is_allowed() {
    PersonTest::with(())
        .given(vec![added(), assigned(ASSIGNMENT_1)])
        .when(revoke(ASSIGNMENT_1, t0()))
        .inspect_result()
        .expect("revoking exactly at the start is allowed");
}

#[test]
fn revoke_role_refusals() {
    assert_outcomes::<Person>(vec![
        (
            "a missing person is not found",
            vec![],
            revoke(ASSIGNMENT_1, t0()),
            Err(PersonError::NotFound),
        ),
        (
            "an offboarded person's role",
            vec![added(), assigned(ASSIGNMENT_1), offboarded()],
            revoke(ASSIGNMENT_1, t0()),
            Err(PersonError::Offboarded),
        ),
        (
            "an unknown assignment",
            vec![added(), assigned(ASSIGNMENT_1)],
            revoke(ASSIGNMENT_2, t0()),
            Err(PersonError::AssignmentNotFound),
        ),
        (
            "an assignment already revoked",
            vec![
                added(),
                assigned(ASSIGNMENT_1),
                revoked_assigned(ASSIGNMENT_1),
            ],
            revoke(ASSIGNMENT_1, t0() + TimeDelta::days(2)),
            Err(PersonError::AssignmentNotActive),
        ),
        (
            "a revocation before the role took effect",
            vec![added(), assigned(ASSIGNMENT_1)],
            revoke(ASSIGNMENT_1, t0() - TimeDelta::seconds(1)),
            Err(PersonError::RevokeBeforeEffective),
        ),
    ]);
}

// ---- state, errors, events ----

#[test]
fn apply_builds_state() {
    assert!(!Person::default().exists());
    let person: Person = replayed([
        added(),
        PersonEvent::PersonUpdated {
            display_name: Some("Ada King".to_string()),
            email: None,
            affiliation: Some(Affiliation::Consultant),
            external_id: Some("HR-1".to_string()),
        },
        assigned(ASSIGNMENT_1),
        assigned_legal(ASSIGNMENT_2),
        revoked_assigned(ASSIGNMENT_1),
    ]);
    assert_eq!(person.person_id(), Some(PERSON));
    assert_eq!(person.organization_id(), Some(ORG));
    assert_eq!(person.display_name(), "Ada King");
    assert_eq!(person.email(), "ada@example.com");
    assert_eq!(person.affiliation(), Some(Affiliation::Consultant));
    assert_eq!(person.external_id(), Some("HR-1"));
    assert!(!person.is_offboarded());
    let assignments = person.assignments();
    assert_eq!(assignments.len(), 2);
    assert_eq!(
        assignments.get(&ASSIGNMENT_1).and_then(|a| a.revoked_at),
        Some(t0() + TimeDelta::days(1))
    );
    assert!(assignments
        .get(&ASSIGNMENT_2)
        .is_some_and(|a| a.is_active()));
}

#[test]
fn error_messages_are_client_safe_sentences() {
    let error = PersonError::ResponsibilityNotInFunction {
        responsibility: Responsibility::SocialMediaManager,
        function: RoleFunction::Legal,
    };
    assert_eq!(
        error.to_string(),
        "The responsibility SOCIAL_MEDIA_MANAGER does not belong to the function LEGAL."
    );
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        added(),
        PersonEvent::PersonUpdated {
            display_name: Some("Ada King".to_string()),
            email: None,
            affiliation: Some(Affiliation::Freelancer),
            external_id: None,
        },
        offboarded(),
        PersonEvent::PersonOffboarded {
            reason: Some("left".to_string()),
            at: t0(),
        },
        assigned(ASSIGNMENT_1),
        assigned_legal(ASSIGNMENT_2),
        revoked_assigned(ASSIGNMENT_1),
    ];
    assert_events_round_trip(&events);
}

#[test]
fn role_assigned_json_shape_is_stable() {
    let json = serde_json::to_value(assigned(ASSIGNMENT_1)).expect("serialize");
    let body = &json["RoleAssigned"];
    assert_eq!(body["function"], "SOCIAL_MEDIA");
    assert_eq!(body["responsibility"], "SOCIAL_MEDIA_MANAGER");
    assert_eq!(body["scope"]["kind"], "TEAM");
    assert_eq!(body["granted_by"], ADMIN.to_string());
    assert_eq!(body["effective_from"], "2025-03-01T12:00:00Z");
}
