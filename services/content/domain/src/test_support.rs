//! Helpers shared by the aggregates' tests.

use chorus_teams_domain::values::{Responsibility, RoleFunction, RoleScope, ScopeKind};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use cqrs_es::DomainEvent;
use uuid::Uuid;

use crate::policy::{
    Delegation, PolicyDefinition, PolicyScope, PolicySnapshot, PolicyStep, SignerRule,
    StepConditions,
};
use crate::values::{HeldRole, StepName};

/// Checks that every event survives a JSON round trip unchanged, is stored in
/// serde's externally tagged form under its `event_type()`, and has version 1.0.
pub(crate) fn assert_events_round_trip<E: DomainEvent>(events: &[E]) {
    for event in events {
        let json = serde_json::to_value(event).expect("event serializes");
        let tags: Vec<&String> = json
            .as_object()
            .expect("externally tagged events are JSON objects")
            .keys()
            .collect();
        assert_eq!(tags, vec![&event.event_type()], "tag of {event:?}");
        let back: E = serde_json::from_value(json).expect("event deserializes");
        assert_eq!(&back, event);
        assert_eq!(event.event_version(), "1.0");
    }
}

/// Extracts the variant name from an event's `Debug` output, so tests can
/// check `event_type()` against the Rust variant name independently of serde.
pub(crate) fn variant_name<E: std::fmt::Debug>(event: &E) -> String {
    let debug = format!("{event:?}");
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or_default()
        .to_string()
}

// ---- fixtures shared by the aggregates' tests ----

pub(crate) const ORG: Uuid = Uuid::from_u128(0x0a);
pub(crate) const TEAM: Uuid = Uuid::from_u128(0x7e);

/// Fixed reference time of every test.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .expect("valid fixed time")
}

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
