//! Routing: the built-in defaults row by row, whole-word term matching, first match wins,
//! each condition, and the fallback to the defaults.

use chorus_teams_domain::values::{RoleFunction, SocialNetwork};
use uuid::Uuid;

use super::*;
use crate::values::{CaseCategory, MatchTerm, Priority, RuleName, Visibility};

const CHANNEL: Uuid = Uuid::from_u128(0xc1);
const OTHER_CHANNEL: Uuid = Uuid::from_u128(0xc2);
const TEAM: Uuid = Uuid::from_u128(0x7e);
const SLA: Uuid = Uuid::from_u128(0x51);

fn name(raw: &str) -> RuleName {
    RuleName::try_from(raw).unwrap()
}

fn terms(raw: &[&str]) -> Vec<MatchTerm> {
    raw.iter()
        .map(|t| MatchTerm::try_from(*t).unwrap())
        .collect()
}

fn text(text: &str) -> CaseFacts<'_> {
    CaseFacts {
        text: Some(text),
        ..CaseFacts::default()
    }
}

fn given(category: CaseCategory) -> CaseFacts<'static> {
    CaseFacts {
        category: Some(category),
        ..CaseFacts::default()
    }
}

fn defaults(facts: &CaseFacts<'_>) -> RoutingDecision {
    route(&default_rules(), 0, facts)
}

/// What a rule's actions say, as a decision records them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Actions {
    category: CaseCategory,
    function: RoleFunction,
    priority: Priority,
    privately: bool,
    escalate_to: Option<RoleFunction>,
}

/// One expected decision of the defaults: the rule (index and name), the matched term and
/// the actions.
type Row = (u32, &'static str, Option<&'static str>, Actions);

fn row(decision: &RoutingDecision) -> (u32, String, Option<String>, Actions) {
    (
        decision.rule_index,
        decision.rule_name.to_string(),
        decision.matched_term.clone(),
        Actions {
            category: decision.category,
            function: decision.function,
            priority: decision.priority,
            privately: decision.handle_privately,
            escalate_to: decision.escalate_to,
        },
    )
}

const LEGAL: Actions = Actions {
    category: CaseCategory::LegalThreat,
    function: RoleFunction::Legal,
    priority: Priority::High,
    privately: false,
    escalate_to: None,
};
const CRISIS: Actions = Actions {
    category: CaseCategory::Crisis,
    function: RoleFunction::PublicRelations,
    priority: Priority::Urgent,
    privately: false,
    escalate_to: Some(RoleFunction::SeniorManagement),
};
const COMPLAINT: Actions = Actions {
    category: CaseCategory::Complaint,
    function: RoleFunction::CustomerService,
    priority: Priority::Normal,
    privately: true,
    escalate_to: None,
};
const PRICING: Actions = Actions {
    category: CaseCategory::PricingQuestion,
    function: RoleFunction::Sales,
    priority: Priority::Normal,
    privately: false,
    escalate_to: None,
};
const COMMON: Actions = Actions {
    category: CaseCategory::CommonQuestion,
    function: RoleFunction::SocialMedia,
    priority: Priority::Normal,
    privately: false,
    escalate_to: None,
};

/// `actions` decided by the rule at `index` named `rule`, which matched `term`.
fn at(actions: Actions, index: u32, rule: &'static str, term: Option<&'static str>) -> Row {
    (index, rule, term, actions)
}

#[test]
fn default_rules_are_valid() {
    let rules = default_rules();
    assert_eq!(validate_rules(&rules), Ok(()));
    assert_eq!(rules.len(), 10);
    let listed: Vec<usize> = rules.iter().map(|r| r.conditions.terms.len()).collect();
    assert_eq!(
        listed,
        [
            LEGAL_THREAT_TERMS.len(),
            0,
            CRISIS_TERMS.len(),
            0,
            COMPLAINT_TERMS.len(),
            0,
            PRICING_TERMS.len(),
            0,
            0,
            0
        ]
    );
    let last = rules.last().unwrap();
    assert_eq!(last.conditions, RuleConditions::default(), "a catch-all");
}

#[test]
fn default_routing_follows_the_fields_practice() {
    let p = Some;
    let cases: Vec<(&str, CaseFacts<'_>, Row)> = vec![
        // pricing, discount, promotion: a sales lead
        (
            "What is the price of the blue one?",
            text("What is the price of the blue one?"),
            at(PRICING, 6, "Pricing, discount or promotion", p("price")),
        ),
        (
            "discount",
            text("Any DISCOUNT for students?"),
            at(PRICING, 6, "Pricing, discount or promotion", p("discount")),
        ),
        (
            "promo code",
            text("Is there a promo code this week?"),
            at(
                PRICING,
                6,
                "Pricing, discount or promotion",
                p("promo code"),
            ),
        ),
        (
            "promotion",
            text("When does the summer promotion end?"),
            at(PRICING, 6, "Pricing, discount or promotion", p("promotion")),
        ),
        (
            "given pricing",
            given(CaseCategory::PricingQuestion),
            at(PRICING, 7, "Pricing question (given at intake)", None),
        ),
        // complaint: customer service, in private
        (
            "refund",
            text("I want a refund for this order"),
            at(COMPLAINT, 4, "Complaint", p("refund")),
        ),
        (
            "broken",
            text("It arrived broken."),
            at(COMPLAINT, 4, "Complaint", p("broken")),
        ),
        (
            "given complaint",
            given(CaseCategory::Complaint),
            at(COMPLAINT, 5, "Complaint (given at intake)", None),
        ),
        // crisis: PR, escalated to senior management
        (
            "boycott",
            text("Everyone should #boycott this brand"),
            at(CRISIS, 2, "Crisis", p("boycott")),
        ),
        (
            "data breach",
            text("Was my card in your DATA BREACH?"),
            at(CRISIS, 2, "Crisis", p("data breach")),
        ),
        (
            "given crisis",
            given(CaseCategory::Crisis),
            at(CRISIS, 3, "Crisis (given at intake)", None),
        ),
        // legal threat: legal
        (
            "lawyer",
            text("My lawyer will hear about this"),
            at(LEGAL, 0, "Legal threat", p("lawyer")),
        ),
        (
            "sue you",
            text("I am going to sue you"),
            at(LEGAL, 0, "Legal threat", p("sue you")),
        ),
        (
            "given legal threat",
            given(CaseCategory::LegalThreat),
            at(LEGAL, 1, "Legal threat (given at intake)", None),
        ),
        // common question: the social media team
        (
            "opening hours",
            text("What time do you open on Sunday?"),
            at(COMMON, 9, "Common question", None),
        ),
        (
            "no text at all",
            CaseFacts::default(),
            at(COMMON, 9, "Common question", None),
        ),
        (
            "given common question",
            given(CaseCategory::CommonQuestion),
            at(COMMON, 9, "Common question", None),
        ),
        (
            "given other keeps other",
            given(CaseCategory::Other),
            at(
                Actions {
                    category: CaseCategory::Other,
                    ..COMMON
                },
                8,
                "Other (given at intake)",
                None,
            ),
        ),
    ];
    for (case, facts, (index, rule, term, actions)) in cases {
        let decision = defaults(&facts);
        assert_eq!(decision.rules_version, 0, "{case}");
        let (got_index, got_rule, got_term, got_actions) = row(&decision);
        assert_eq!(
            (got_index, got_rule.as_str()),
            (index, rule),
            "{case}: rule"
        );
        assert_eq!(got_term.as_deref(), term, "{case}: matched term");
        assert_eq!(got_actions, actions, "{case}: actions");
    }
}

#[test]
fn defaults_try_legal_threat_then_crisis_then_complaint_then_pricing() {
    let decision = defaults(&text(
        "Refund me at this price or my lawyer calls: what a scandal",
    ));
    assert_eq!(decision.category, CaseCategory::LegalThreat);
    let decision = defaults(&text("Refund me at this price: what a scandal"));
    assert_eq!(decision.category, CaseCategory::Crisis);
    let decision = defaults(&text("Refund me at this price"));
    assert_eq!(decision.category, CaseCategory::Complaint);
    // Terms beat a category given at intake when their rule comes first.
    let facts = CaseFacts {
        category: Some(CaseCategory::PricingQuestion),
        ..text("The new pricing is an outrage")
    };
    assert_eq!(defaults(&facts).category, CaseCategory::Crisis);
}

#[test]
fn terms_match_whole_words_only() {
    assert_eq!(
        defaults(&text("A priceless moment")).category,
        CaseCategory::CommonQuestion
    );
    assert_eq!(
        defaults(&text("Price?")).category,
        CaseCategory::PricingQuestion
    );
    assert_eq!(
        defaults(&text("prices!")).matched_term.as_deref(),
        Some("prices")
    );
    assert_eq!(
        defaults(&text("Be unbroken")).category,
        CaseCategory::CommonQuestion
    );
}

#[test]
fn phrases_match_across_line_breaks_and_whitespace_runs() {
    let decision = defaults(&text("We will take LEGAL\r\n   Action against you"));
    assert_eq!(decision.category, CaseCategory::LegalThreat);
    assert_eq!(decision.matched_term.as_deref(), Some("legal action"));
    assert_eq!(
        defaults(&text("legal\tactions")).category,
        CaseCategory::CommonQuestion
    );
}

#[test]
fn terms_are_case_insensitive() {
    for message in ["REFUND", "Refund", "rEfUnD"] {
        assert_eq!(
            defaults(&text(message)).matched_term.as_deref(),
            Some("refund"),
            "{message}"
        );
    }
}

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
