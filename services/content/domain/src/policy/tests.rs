use chorus_teams_domain::values::{Responsibility, RoleFunction, ScopeKind};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;
use uuid::Uuid;

use super::*;
use crate::test_support::{
    assert_events_round_trip, definition, manager_rule, org_scope, rule, step, ADMIN, ORG, TEAM,
};
use crate::values::ContentFlag;

type PolicyTest = TestFramework<ApprovalPolicy>;

const POLICY: Uuid = Uuid::from_u128(0xb0);

fn any() -> StepConditions {
    StepConditions::default()
}

fn v1() -> PolicyDefinition {
    definition(vec![step("manager", any(), vec![manager_rule()], 1)], None)
}

fn v2() -> PolicyDefinition {
    definition(
        vec![
            step("manager", any(), vec![manager_rule()], 2),
            step(
                "legal",
                StepConditions {
                    flags_any: vec![ContentFlag::RegulatedClaim],
                    ..StepConditions::default()
                },
                vec![rule(RoleFunction::Legal, None)],
                1,
            ),
        ],
        Some(Delegation {
            holders: vec![manager_rule()],
        }),
    )
}

fn defined() -> ApprovalPolicyEvent {
    ApprovalPolicyEvent::PolicyDefined {
        policy_id: POLICY,
        organization_id: ORG,
        scope: org_scope(),
        version: 1,
        definition: v1(),
        by: ADMIN,
    }
}

fn revised() -> ApprovalPolicyEvent {
    ApprovalPolicyEvent::PolicyRevised {
        version: 2,
        definition: v2(),
        by: ADMIN,
    }
}

fn define(scope: PolicyScope) -> ApprovalPolicyCommand {
    ApprovalPolicyCommand::DefinePolicy {
        policy_id: POLICY,
        organization_id: ORG,
        scope,
        definition: v1(),
        by: ADMIN,
    }
}

fn revise(definition: PolicyDefinition) -> ApprovalPolicyCommand {
    ApprovalPolicyCommand::RevisePolicy {
        definition,
        by: ADMIN,
    }
}

fn retire() -> ApprovalPolicyCommand {
    ApprovalPolicyCommand::RetirePolicy { by: ADMIN }
}

/// The policy was retired at `version`.
fn retired(version: u64) -> ApprovalPolicyEvent {
    ApprovalPolicyEvent::PolicyRetired { version, by: ADMIN }
}

// ---- DefinePolicy ----

#[test]
fn define_policy_starts_at_version_one() {
    PolicyTest::with(())
        .given_no_previous_events()
        .when(define(org_scope()))
        .then_expect_events(vec![defined()]);
}

#[test]
fn define_team_policy() {
    let scope = PolicyScope {
        kind: ScopeKind::Team,
        id: TEAM,
    };
    PolicyTest::with(())
        .given_no_previous_events()
        .when(define(scope))
        .then_expect_events(vec![ApprovalPolicyEvent::PolicyDefined {
            policy_id: POLICY,
            organization_id: ORG,
            scope,
            version: 1,
            definition: v1(),
            by: ADMIN,
        }]);
}

#[test]
fn organization_scope_must_name_the_organization() {
    let scope = PolicyScope {
        kind: ScopeKind::Organization,
        id: TEAM,
    };
    let error = PolicyTest::with(())
        .given_no_previous_events()
        .when(define(scope))
        .inspect_result()
        .expect_err("foreign organization scope is refused");
    assert_eq!(error.code(), "BAD_USER_INPUT");
    assert!(matches!(error, ApprovalPolicyError::Invalid(ref e) if e.field == "scope"));
}

#[test]
fn define_twice_is_refused() {
    PolicyTest::with(())
        .given(vec![defined()])
        .when(define(org_scope()))
        .then_expect_error(ApprovalPolicyError::AlreadyExists);
}

// ---- RevisePolicy ----

#[test]
fn revise_bumps_the_version() {
    PolicyTest::with(())
        .given(vec![defined()])
        .when(revise(v2()))
        .then_expect_events(vec![revised()]);
}

#[test]
fn every_revision_bumps_the_version() {
    PolicyTest::with(())
        .given(vec![defined(), revised()])
        .when(revise(v1()))
        .then_expect_events(vec![ApprovalPolicyEvent::PolicyRevised {
            version: 3,
            definition: v1(),
            by: ADMIN,
        }]);
}

#[test]
fn identical_revision_is_no_change() {
    PolicyTest::with(())
        .given(vec![defined()])
        .when(revise(v1()))
        .then_expect_error(ApprovalPolicyError::Unchanged);
}

#[test]
fn revise_missing_policy_is_not_found() {
    PolicyTest::with(())
        .given_no_previous_events()
        .when(revise(v2()))
        .then_expect_error(ApprovalPolicyError::NotFound);
}

#[test]
fn revise_retired_policy_is_refused() {
    PolicyTest::with(())
        .given(vec![defined(), retired(1)])
        .when(revise(v2()))
        .then_expect_error(ApprovalPolicyError::Retired);
}

// ---- RetirePolicy ----

#[test]
fn retire_records_the_last_version() {
    PolicyTest::with(())
        .given(vec![defined(), revised()])
        .when(retire())
        .then_expect_events(vec![retired(2)]);
}

#[test]
fn retire_twice_is_refused() {
    PolicyTest::with(())
        .given(vec![defined(), retired(1)])
        .when(retire())
        .then_expect_error(ApprovalPolicyError::Retired);
}

#[test]
fn retire_missing_policy_is_not_found() {
    PolicyTest::with(())
        .given_no_previous_events()
        .when(retire())
        .then_expect_error(ApprovalPolicyError::NotFound);
}

// ---- state and snapshots ----

#[test]
fn apply_builds_state_and_snapshot_tracks_the_version() {
    let mut policy = ApprovalPolicy::default();
    assert!(!policy.exists());
    assert_eq!(policy.snapshot(), None);
    policy.apply(defined());
    let first = policy.snapshot().expect("defined policy has a snapshot");
    assert_eq!(first.version, 1);
    assert_eq!(first.definition, v1());
    policy.apply(revised());
    assert_eq!(policy.policy_id(), Some(POLICY));
    assert_eq!(policy.organization_id(), Some(ORG));
    assert_eq!(policy.scope(), Some(org_scope()));
    assert_eq!(policy.version(), 2);
    assert_eq!(policy.definition(), &v2());
    let second = policy.snapshot().expect("revised policy has a snapshot");
    assert_eq!(second.version, 2);
    assert_eq!(first.version, 1, "an earlier snapshot is unaffected");
    policy.apply(retired(2));
    assert!(policy.is_retired());
    assert_eq!(
        policy.snapshot(),
        None,
        "a retired policy applies to nothing"
    );
}

// ---- definition rules ----

fn field_of(result: Result<PolicyDefinition, chorus_teams_domain::ValueError>) -> &'static str {
    result.expect_err("definition should be rejected").field
}

#[test]
fn empty_definition_is_valid() {
    let empty = PolicyDefinition::new(vec![], None).expect("no steps is valid");
    assert!(empty.steps().is_empty());
    assert!(empty.delegation().is_none());
    assert_eq!(empty, PolicyDefinition::default());
}

#[test]
fn definition_accessors() {
    let definition = v2();
    assert_eq!(definition.steps().len(), 2);
    assert_eq!(
        definition.step("legal").map(|s| s.required_signatures),
        Some(1)
    );
    assert!(definition.step("nope").is_none());
    assert_eq!(definition.delegation().map(|d| d.holders.len()), Some(1));
}

#[test]
fn at_most_twenty_steps() {
    let steps = |n: usize| -> Vec<PolicyStep> {
        (0..n)
            .map(|i| step(&format!("s{i}"), any(), vec![manager_rule()], 1))
            .collect()
    };
    assert!(PolicyDefinition::new(steps(20), None).is_ok());
    assert_eq!(field_of(PolicyDefinition::new(steps(21), None)), "steps");
}

#[test]
fn step_names_are_unique() {
    let result = PolicyDefinition::new(
        vec![
            step("manager", any(), vec![manager_rule()], 1),
            step("legal", any(), vec![manager_rule()], 1),
            step("manager", any(), vec![manager_rule()], 1),
        ],
        None,
    );
    assert_eq!(field_of(result), "steps[2].name");
}

#[test]
fn required_signatures_between_one_and_ten() {
    let with = |required: u8| {
        PolicyDefinition::new(
            vec![
                step("first", any(), vec![manager_rule()], 1),
                step("second", any(), vec![manager_rule()], required),
            ],
            None,
        )
    };
    assert!(with(1).is_ok());
    assert!(with(10).is_ok());
    let error = with(0).expect_err("zero is refused");
    assert_eq!(error.field, "steps[1].requiredSignatures");
    assert_eq!(error.rule, "must be 1 to 10");
    assert_eq!(field_of(with(11)), "steps[1].requiredSignatures");
}

#[test]
fn steps_need_signers() {
    let result = PolicyDefinition::new(vec![step("manager", any(), vec![], 1)], None);
    assert_eq!(field_of(result), "steps[0].signers");
    let many = vec![manager_rule(); 21];
    let result = PolicyDefinition::new(vec![step("manager", any(), many, 1)], None);
    assert_eq!(field_of(result), "steps[0].signers");
}

#[test]
fn signer_responsibility_must_belong_to_function() {
    let result = PolicyDefinition::new(
        vec![step(
            "legal",
            any(),
            vec![rule(
                RoleFunction::Sales,
                Some(Responsibility::LegalUgcCounsel),
            )],
            1,
        )],
        None,
    );
    let error = result.expect_err("mismatched responsibility is refused");
    assert_eq!(error.field, "steps[0].signers");
    assert_eq!(
        error.rule,
        "responsibility LEGAL_UGC_COUNSEL does not belong to function SALES"
    );
}

#[test]
fn delegation_needs_holders() {
    let result = PolicyDefinition::new(vec![], Some(Delegation { holders: vec![] }));
    assert_eq!(field_of(result), "delegation.holders");
}

#[test]
fn definition_deserialization_validates() {
    let json = serde_json::to_value(v2()).expect("serialize");
    let back: PolicyDefinition = serde_json::from_value(json.clone()).expect("deserialize");
    assert_eq!(back, v2());
    let mut broken = json;
    broken["steps"][0]["required_signatures"] = serde_json::json!(0);
    let error = serde_json::from_value::<PolicyDefinition>(broken).expect_err("invalid");
    assert!(
        error.to_string().contains("steps[0].requiredSignatures"),
        "{error}"
    );
}

#[test]
fn definition_json_shape_is_stable() {
    let json = serde_json::to_value(v2()).expect("serialize");
    assert_eq!(json["steps"][1]["name"], "legal");
    assert_eq!(
        json["steps"][1]["conditions"]["flags_any"],
        serde_json::json!(["REGULATED_CLAIM"])
    );
    assert_eq!(json["steps"][1]["signers"][0]["function"], "LEGAL");
    assert_eq!(
        json["delegation"]["holders"][0]["responsibility"],
        "SOCIAL_MEDIA_MANAGER"
    );
}

// ---- errors and events ----

#[test]
fn error_message_is_a_client_safe_sentence() {
    assert_eq!(
        ApprovalPolicyError::Retired.to_string(),
        "The approval policy is retired."
    );
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![defined(), revised(), retired(2)];
    assert_events_round_trip(&events);
}

#[test]
fn aggregate_state_round_trips() {
    let mut policy = ApprovalPolicy::default();
    policy.apply(defined());
    policy.apply(revised());
    let json = serde_json::to_string(&policy).expect("serialize");
    let back: ApprovalPolicy = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, policy);
}
