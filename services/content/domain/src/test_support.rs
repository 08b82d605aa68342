//! Helpers shared by the aggregates' tests.

use chorus_teams_domain::values::{Responsibility, RoleFunction, RoleScope, ScopeKind};
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::policy::{
    Delegation, PolicyDefinition, PolicyScope, PolicySnapshot, PolicyStep, SignerRule,
    StepConditions,
};
use crate::values::{ContentFlag, HeldRole, StepName};

pub(crate) use chorus_teams_domain::testing::{
    assert_events_round_trip, assert_outcomes, replayed, t0, ADMIN, ORG, TEAM,
};

// ---- fixtures shared by the aggregates' tests ----

/// `minutes` after [`t0`].
pub(crate) fn at(minutes: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(minutes)
}

/// An organization-wide role.
pub(crate) fn held(
    assignment: u128,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
) -> HeldRole {
    HeldRole {
        assignment_id: Uuid::from_u128(assignment),
        function,
        responsibility,
        scope: RoleScope::organization(ORG),
    }
}

pub(crate) fn rule(function: RoleFunction, responsibility: Option<Responsibility>) -> SignerRule {
    SignerRule {
        function,
        responsibility,
    }
}

/// Social-media-manager signer rule.
pub(crate) fn manager_rule() -> SignerRule {
    rule(
        RoleFunction::SocialMedia,
        Some(Responsibility::SocialMediaManager),
    )
}

/// Applies when the post mentions pricing or makes a regulated claim.
pub(crate) fn pricing_or_claims() -> StepConditions {
    StepConditions {
        flags_any: vec![ContentFlag::MentionsPricing, ContentFlag::RegulatedClaim],
        ..StepConditions::default()
    }
}

/// Applies when the post targets one of `channel_ids`.
pub(crate) fn on_channels(channel_ids: Vec<Uuid>) -> StepConditions {
    StepConditions {
        channel_ids,
        ..StepConditions::default()
    }
}

/// The step every standard policy starts with: one social-media manager, always.
pub(crate) fn manager_step() -> PolicyStep {
    step(
        "manager",
        StepConditions::default(),
        vec![manager_rule()],
        1,
    )
}

/// Legal counsel's step: one lawyer, on pricing or regulated claims.
pub(crate) fn legal_step() -> PolicyStep {
    step(
        "legal",
        pricing_or_claims(),
        vec![rule(RoleFunction::Legal, None)],
        1,
    )
}

pub(crate) fn step_name(raw: &str) -> StepName {
    StepName::try_from(raw).expect("valid step name")
}

pub(crate) fn step(
    name: &str,
    conditions: StepConditions,
    signers: Vec<SignerRule>,
    required_signatures: u8,
) -> PolicyStep {
    PolicyStep {
        name: step_name(name),
        conditions,
        signers,
        required_signatures,
    }
}

pub(crate) fn definition(
    steps: Vec<PolicyStep>,
    delegation: Option<Delegation>,
) -> PolicyDefinition {
    PolicyDefinition::new(steps, delegation).expect("valid policy definition")
}

pub(crate) fn org_scope() -> PolicyScope {
    PolicyScope {
        kind: ScopeKind::Organization,
        id: ORG,
    }
}

pub(crate) fn snapshot(
    policy_id: Uuid,
    version: u64,
    definition: PolicyDefinition,
) -> PolicySnapshot {
    PolicySnapshot {
        policy_id,
        version,
        scope: org_scope(),
        definition,
    }
}
