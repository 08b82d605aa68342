//! The `RoutingRules` aggregate: versions, validation, refusals (which record nothing),
//! stored names and error codes.

use chorus_teams_domain::testing::{
    assert_error_codes, assert_events_round_trip, assert_outcomes, records, refused, replayed,
    ADMIN, ORG,
};
use chorus_teams_domain::values::RoleFunction;
use cqrs_es::Aggregate;
use strum::VariantNames;
use uuid::Uuid;

use super::*;
use crate::values::{CaseCategory, MatchTerm, Priority, RuleName, ValueError};

const OTHER_ORG: Uuid = Uuid::from_u128(0x0b);

fn name(raw: &str) -> RuleName {
    RuleName::try_from(raw).unwrap()
}

fn term(raw: &str) -> MatchTerm {
    MatchTerm::try_from(raw).unwrap()
}

/// A rule named `rule_name` sending cases that mention "refund" to customer service.
fn rule(rule_name: &str) -> RoutingRule {
    RoutingRule {
        name: name(rule_name),
        conditions: RuleConditions {
            terms: vec![term("refund")],
            ..RuleConditions::default()
        },
        actions: RuleActions {
            category: Some(CaseCategory::Complaint),
            function: RoleFunction::CustomerService,
            team_id: None,
            priority: Priority::Normal,
            sla_policy_id: None,
            handle_privately: true,
            escalate_to: None,
            reply_approver: None,
        },
    }
}

fn v1() -> Vec<RoutingRule> {
    vec![rule("Refunds")]
}

fn v2() -> Vec<RoutingRule> {
    vec![rule("Refunds"), rule("Everything else")]
}

fn set(rules: Vec<RoutingRule>) -> RoutingRulesCommand {
    set_for(ORG, rules)
}

fn set_for(organization_id: Uuid, rules: Vec<RoutingRule>) -> RoutingRulesCommand {
    RoutingRulesCommand::SetRoutingRules {
        organization_id,
        rules,
        by: ADMIN,
    }
}

fn rules_set(version: u64, rules: Vec<RoutingRule>) -> RoutingRulesEvent {
    RoutingRulesEvent::RoutingRulesSet {
        organization_id: ORG,
        version,
        rules,
        by: ADMIN,
    }
}

/// The refusal of `field` whose rule reads `rule`.
fn invalid(field: &'static str, rule: &str) -> Result<Vec<RoutingRulesEvent>, RoutingRulesError> {
    Err(RoutingRulesError::Invalid(ValueError::new(field, rule)))
}

// ---- SetRoutingRules ----

#[test]
fn set_routing_rules_numbers_the_versions() {
    assert_outcomes::<RoutingRules>(vec![
        (
            "the first set is version 1",
            vec![],
            set(v1()),
            Ok(vec![rules_set(1, v1())]),
        ),
        (
            "the next set is version 2",
            vec![rules_set(1, v1())],
            set(v2()),
            Ok(vec![rules_set(2, v2())]),
        ),
        (
            "setting earlier rules again is a new version",
            vec![rules_set(1, v1()), rules_set(2, v2())],
            set(v1()),
            Ok(vec![rules_set(3, v1())]),
        ),
    ]);
}

#[test]
fn rules_identical_to_the_current_ones_are_refused() {
    let error = refused::<RoutingRules>(vec![rules_set(1, v1()), rules_set(2, v2())], set(v2()));
    assert_eq!(error, RoutingRulesError::Unchanged);
    assert_eq!(error.code(), "ROUTING_RULES_UNCHANGED");
}

#[test]
fn another_organizations_id_is_refused() {
    assert_outcomes::<RoutingRules>(vec![
        (
            "other organization",
            vec![rules_set(1, v1())],
            set_for(OTHER_ORG, v2()),
            Err(RoutingRulesError::WrongOrganization),
        ),
        (
            "other organization, even with valid unchanged rules",
            vec![rules_set(1, v1())],
            set_for(OTHER_ORG, v1()),
            Err(RoutingRulesError::WrongOrganization),
        ),
    ]);
}

#[test]
fn invalid_rules_are_refused_naming_the_field_and_the_rule() {
    let too_many: Vec<RoutingRule> = (0..201).map(|i| rule(&format!("Rule {i}"))).collect();
    let at_most: Vec<RoutingRule> = (0..200).map(|i| rule(&format!("Rule {i}"))).collect();
    let mut many_terms = rule("Many terms");
    many_terms.conditions.terms = (0..101).map(|i| term(&format!("word{i}"))).collect();
    let mut many_channels = rule("Many channels");
    many_channels.conditions.channels = (0..101).map(Uuid::from_u128).collect();
    let mut to_sales = rule("Escalate to sales");
    to_sales.actions.escalate_to = Some(RoleFunction::Sales);
    assert_outcomes::<RoutingRules>(vec![
        (
            "no rules",
            vec![],
            set(vec![]),
            invalid("rules", "must have 1 to 200 rules"),
        ),
        (
            "201 rules",
            vec![rules_set(1, v1())],
            set(too_many),
            invalid("rules", "must have 1 to 200 rules"),
        ),
        (
            "200 rules are accepted",
            vec![],
            set(at_most.clone()),
            Ok(vec![rules_set(1, at_most)]),
        ),
        (
            "a repeated name",
            vec![],
            set(vec![rule("Refunds"), rule("Other"), rule("Refunds")]),
            invalid(
                "rules.name",
                "rules[2] \"Refunds\": must be unique within the rules (rules[0] has the same name)",
            ),
        ),
        (
            "101 terms",
            vec![],
            set(vec![rule("First"), many_terms]),
            invalid(
                "rules.conditions.terms",
                "rules[1] \"Many terms\": must have at most 100 terms",
            ),
        ),
        (
            "1,001 terms in eleven rules of 91",
            vec![],
            set((0..11)
                .map(|n| {
                    let mut r = rule(&format!("Terms {n}"));
                    r.conditions.terms = (0..91).map(|i| term(&format!("w{n}x{i}"))).collect();
                    r
                })
                .collect()),
            invalid(
                "rules.conditions.terms",
                "must have at most 1000 terms in all the rules together",
            ),
        ),
        (
            "101 channels",
            vec![],
            set(vec![many_channels]),
            invalid(
                "rules.conditions.channels",
                "rules[0] \"Many channels\": must have at most 100 channels",
            ),
        ),
        (
            "escalation to sales",
            vec![],
            set(vec![rule("First"), to_sales]),
            invalid(
                "rules.actions.escalateTo",
                "rules[1] \"Escalate to sales\": must be PUBLIC_RELATIONS, LEGAL or \
                 SENIOR_MANAGEMENT (not SALES)",
            ),
        ),
    ]);
}

#[test]
fn rules_at_the_limits_are_accepted() {
    let mut full = rule("Full");
    full.conditions.terms = (0..100).map(|i| term(&format!("word{i}"))).collect();
    full.conditions.channels = (0..100).map(Uuid::from_u128).collect();
    for function in ESCALATION_FUNCTIONS {
        let mut rule = full.clone();
        rule.actions.escalate_to = Some(function);
        let rules = vec![rule];
        assert_eq!(
            records::<RoutingRules>(vec![], set(rules.clone())),
            vec![rules_set(1, rules)]
        );
    }
}

#[test]
fn the_state_follows_the_versions() {
    let state: RoutingRules = replayed([rules_set(1, v1()), rules_set(2, v2())]);
    assert_eq!(state.organization_id(), Some(ORG));
    assert_eq!(state.version(), 2);
    assert_eq!(state.rules(), v2().as_slice());
    assert_eq!(
        state.snapshot(),
        RoutingRulesSnapshot {
            version: 2,
            rules: v2()
        }
    );
}

#[test]
fn an_organization_without_rules_routes_with_the_defaults() {
    let state = RoutingRules::default();
    assert!(!state.exists());
    assert_eq!(
        state.snapshot(),
        RoutingRulesSnapshot {
            version: 0,
            rules: default_rules()
        }
    );
}

#[test]
fn the_snapshot_routes_with_its_version() {
    let state: RoutingRules = replayed([rules_set(1, v1()), rules_set(2, v2())]);
    let facts = CaseFacts {
        text: Some("I want a REFUND"),
        ..CaseFacts::default()
    };
    let decision = state.snapshot().route(&facts);
    assert_eq!(decision.rules_version, 2);
    assert_eq!(decision.rule_index, 0);
    assert_eq!(decision.rule_name, name("Refunds"));
    assert_eq!(decision.matched_term.as_deref(), Some("refund"));
}

// ---- stored names, events and codes ----

#[test]
fn stored_names_are_pinned() {
    assert_eq!(RoutingRules::TYPE, "routing_rules");
    assert_eq!(RoutingRulesEvent::VARIANTS, ["RoutingRulesSet"]);
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let mut detailed = rule("Detailed");
    detailed.conditions = RuleConditions {
        terms: vec![term("legal action")],
        channels: vec![Uuid::from_u128(0xc1)],
        networks: vec![chorus_teams_domain::values::SocialNetwork::Facebook],
        visibility: Some(crate::values::Visibility::Private),
        vip: Some(true),
        categories: vec![CaseCategory::LegalThreat],
    };
    detailed.actions.team_id = Some(Uuid::from_u128(0x7e));
    detailed.actions.sla_policy_id = Some(Uuid::from_u128(0x51));
    detailed.actions.escalate_to = Some(RoleFunction::Legal);
    detailed.actions.reply_approver = Some(RoleFunction::Legal);
    assert_events_round_trip(&[rules_set(1, vec![detailed]), rules_set(2, default_rules())]);
}

#[test]
fn every_refusal_has_its_pinned_code() {
    assert_error_codes(&[
        (&RoutingRulesError::Unchanged, "ROUTING_RULES_UNCHANGED"),
        (&RoutingRulesError::WrongOrganization, "WRONG_ORGANIZATION"),
        (
            &RoutingRulesError::Invalid(ValueError::new("rules", "must have 1 to 200 rules")),
            "BAD_USER_INPUT",
        ),
    ]);
    let invalid = RoutingRulesError::Invalid(ValueError::new("rules.name", "must be unique"));
    assert_eq!(
        chorus_shared::DomainCode::invalid_input(&invalid),
        Some(("rules.name", "must be unique".to_string()))
    );
    assert_eq!(
        chorus_shared::DomainCode::invalid_input(&RoutingRulesError::Unchanged),
        None
    );
}
