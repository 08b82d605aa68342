//! Routing by an organization's own rules: first match wins, the matched term, each kind
//! of condition, and the fall-back to the defaults.

use chorus_teams_domain::values::{RoleFunction, SocialNetwork};
use uuid::Uuid;

use super::route_tests::{defaults, given, name, terms, text, CHANNEL, OTHER_CHANNEL, SLA, TEAM};
use super::*;
use crate::values::{CaseCategory, Priority, Visibility};

/// A rule `rule_name` with `conditions`, sending cases to `function`.
fn custom(rule_name: &str, conditions: RuleConditions, function: RoleFunction) -> RoutingRule {
    RoutingRule {
        name: name(rule_name),
        conditions,
        actions: RuleActions {
            category: None,
            function,
            team_id: Some(TEAM),
            priority: Priority::Low,
            sla_policy_id: Some(SLA),
            handle_privately: false,
            escalate_to: None,
            reply_approver: Some(RoleFunction::Legal),
        },
    }
}

fn with_terms(raw: &[&str]) -> RuleConditions {
    RuleConditions {
        terms: terms(raw),
        ..RuleConditions::default()
    }
}

#[test]
fn the_matched_term_is_the_earliest_in_the_text_then_the_longer() {
    let rules = [custom(
        "Words",
        with_terms(&["late", "order", "late order", "never"]),
        RoleFunction::CustomerService,
    )];
    let matched = |message| route(&rules, 4, &text(message)).matched_term;
    assert_eq!(
        matched("My order is late, never again").as_deref(),
        Some("order")
    );
    assert_eq!(
        matched("A late order, never again").as_deref(),
        Some("late order")
    );
    assert_eq!(
        matched("Never mind the late order").as_deref(),
        Some("never")
    );
}

#[test]
fn the_first_matching_rule_wins_and_its_actions_are_recorded() {
    let rules = [
        custom(
            "Shipping",
            with_terms(&["delivery"]),
            RoleFunction::Production,
        ),
        custom(
            "Anything",
            RuleConditions::default(),
            RoleFunction::Marketing,
        ),
        custom(
            "Refunds",
            with_terms(&["refund"]),
            RoleFunction::CustomerService,
        ),
    ];
    let decision = route(&rules, 7, &text("Refund my delivery"));
    assert_eq!(
        decision,
        RoutingDecision {
            rules_version: 7,
            rule_index: 0,
            rule_name: name("Shipping"),
            matched_term: Some("delivery".into()),
            category: CaseCategory::Other,
            function: RoleFunction::Production,
            team_id: Some(TEAM),
            priority: Priority::Low,
            sla_policy_id: Some(SLA),
            handle_privately: false,
            escalate_to: None,
            reply_approver: Some(RoleFunction::Legal),
        }
    );
    let decision = route(&rules, 7, &text("Refund please"));
    assert_eq!(
        (decision.rule_index, decision.function),
        (1, RoleFunction::Marketing)
    );
    assert_eq!(decision.matched_term, None);
}

#[test]
fn a_rule_without_a_category_keeps_the_one_given_at_intake() {
    let rules = [custom(
        "Anything",
        RuleConditions::default(),
        RoleFunction::SocialMedia,
    )];
    assert_eq!(
        route(&rules, 1, &given(CaseCategory::Complaint)).category,
        CaseCategory::Complaint
    );
    assert_eq!(
        route(&rules, 1, &CaseFacts::default()).category,
        CaseCategory::Other
    );
    let mut set = rules[0].clone();
    set.actions.category = Some(CaseCategory::Crisis);
    assert_eq!(
        route(&[set], 1, &given(CaseCategory::Complaint)).category,
        CaseCategory::Crisis
    );
}

/// Which rule `facts` go to: the single-condition rule (index 0) or the catch-all (1).
fn index_with(conditions: RuleConditions, facts: &CaseFacts<'_>) -> u32 {
    let rules = [
        custom("Condition", conditions, RoleFunction::Sales),
        custom(
            "Catch-all",
            RuleConditions::default(),
            RoleFunction::SocialMedia,
        ),
    ];
    route(&rules, 1, facts).rule_index
}

#[test]
fn channel_network_visibility_vip_and_category_conditions() {
    let on = |channel_id, network, visibility, vip| CaseFacts {
        channel_id,
        network,
        visibility,
        vip,
        ..CaseFacts::default()
    };
    let channels = RuleConditions {
        channels: vec![OTHER_CHANNEL, CHANNEL],
        ..RuleConditions::default()
    };
    assert_eq!(
        index_with(channels.clone(), &on(Some(CHANNEL), None, None, false)),
        0
    );
    assert_eq!(
        index_with(
            channels.clone(),
            &on(Some(Uuid::from_u128(0xc3)), None, None, false)
        ),
        1
    );
    assert_eq!(
        index_with(channels, &on(None, None, None, false)),
        1,
        "no channel (CRM)"
    );

    let networks = RuleConditions {
        networks: vec![SocialNetwork::X, SocialNetwork::Facebook],
        ..RuleConditions::default()
    };
    assert_eq!(
        index_with(
            networks.clone(),
            &on(None, Some(SocialNetwork::Facebook), None, false)
        ),
        0
    );
    assert_eq!(
        index_with(
            networks.clone(),
            &on(None, Some(SocialNetwork::Instagram), None, false)
        ),
        1
    );
    assert_eq!(index_with(networks, &on(None, None, None, false)), 1);

    let private = RuleConditions {
        visibility: Some(Visibility::Private),
        ..RuleConditions::default()
    };
    assert_eq!(
        index_with(
            private.clone(),
            &on(None, None, Some(Visibility::Private), false)
        ),
        0
    );
    assert_eq!(
        index_with(
            private.clone(),
            &on(None, None, Some(Visibility::Public), false)
        ),
        1
    );
    assert_eq!(index_with(private, &on(None, None, None, false)), 1);

    let vip = RuleConditions {
        vip: Some(true),
        ..RuleConditions::default()
    };
    assert_eq!(index_with(vip.clone(), &on(None, None, None, true)), 0);
    assert_eq!(index_with(vip, &on(None, None, None, false)), 1);
    let not_vip = RuleConditions {
        vip: Some(false),
        ..RuleConditions::default()
    };
    assert_eq!(index_with(not_vip.clone(), &on(None, None, None, false)), 0);
    assert_eq!(index_with(not_vip, &on(None, None, None, true)), 1);

    let categories = RuleConditions {
        categories: vec![CaseCategory::Crisis, CaseCategory::Complaint],
        ..RuleConditions::default()
    };
    assert_eq!(
        index_with(categories.clone(), &given(CaseCategory::Complaint)),
        0
    );
    assert_eq!(
        index_with(categories.clone(), &given(CaseCategory::Other)),
        1
    );
    assert_eq!(index_with(categories, &CaseFacts::default()), 1);

    let with_words = with_terms(&["refund"]);
    assert_eq!(index_with(with_words.clone(), &text("refund")), 0);
    assert_eq!(index_with(with_words, &CaseFacts::default()), 1, "no text");
}

#[test]
fn every_given_condition_must_hold() {
    let all = RuleConditions {
        terms: terms(&["refund"]),
        channels: vec![CHANNEL],
        networks: vec![SocialNetwork::X],
        visibility: Some(Visibility::Public),
        vip: Some(true),
        categories: vec![CaseCategory::Complaint],
    };
    let facts = CaseFacts {
        text: Some("Refund now"),
        channel_id: Some(CHANNEL),
        network: Some(SocialNetwork::X),
        visibility: Some(Visibility::Public),
        vip: true,
        category: Some(CaseCategory::Complaint),
    };
    assert_eq!(index_with(all.clone(), &facts), 0);
    let broken: [CaseFacts<'_>; 6] = [
        CaseFacts {
            text: Some("Thanks"),
            ..facts
        },
        CaseFacts {
            channel_id: Some(OTHER_CHANNEL),
            ..facts
        },
        CaseFacts {
            network: Some(SocialNetwork::Reddit),
            ..facts
        },
        CaseFacts {
            visibility: Some(Visibility::Private),
            ..facts
        },
        CaseFacts {
            vip: false,
            ..facts
        },
        CaseFacts {
            category: Some(CaseCategory::Crisis),
            ..facts
        },
    ];
    for (i, facts) in broken.iter().enumerate() {
        assert_eq!(index_with(all.clone(), facts), 1, "condition {i} broken");
    }
}

#[test]
fn when_no_rule_matches_the_defaults_decide_and_say_so() {
    let rules = [custom(
        "VIPs only",
        RuleConditions {
            vip: Some(true),
            ..RuleConditions::default()
        },
        RoleFunction::SeniorManagement,
    )];
    let decision = route(&rules, 3, &text("What is your best price?"));
    assert_eq!(decision, defaults(&text("What is your best price?")));
    assert_eq!(decision.rules_version, 0);
    assert_eq!(decision.rule_name, name("Pricing, discount or promotion"));
    assert_eq!(decision.function, RoleFunction::Sales);
    assert_eq!(decision.matched_term.as_deref(), Some("price"));
    assert_eq!(
        route(&[], 3, &CaseFacts::default()).rule_name,
        name("Common question")
    );

    let vip = CaseFacts {
        vip: true,
        ..text("What is your best price?")
    };
    let decision = route(&rules, 3, &vip);
    assert_eq!(
        (decision.rules_version, decision.function),
        (3, RoleFunction::SeniorManagement)
    );
}

#[test]
fn decisions_round_trip_through_json() {
    let decision = defaults(&text("Your data breach is a scandal"));
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["rules_version"], 0);
    assert_eq!(json["category"], "CRISIS");
    assert_eq!(json["escalate_to"], "SENIOR_MANAGEMENT");
    assert_eq!(json["matched_term"], "data breach");
    let back: RoutingDecision = serde_json::from_value(json).unwrap();
    assert_eq!(back, decision);
}
