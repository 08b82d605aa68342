//! Routing: the built-in defaults row by row, whole-word term matching, first match wins,
//! each condition, and the fallback to the defaults.

use chorus_teams_domain::values::RoleFunction;
use uuid::Uuid;

use super::*;
use crate::values::{CaseCategory, MatchTerm, Priority, RuleName};

pub(super) const CHANNEL: Uuid = Uuid::from_u128(0xc1);
pub(super) const OTHER_CHANNEL: Uuid = Uuid::from_u128(0xc2);
pub(super) const TEAM: Uuid = Uuid::from_u128(0x7e);
pub(super) const SLA: Uuid = Uuid::from_u128(0x51);

pub(super) fn name(raw: &str) -> RuleName {
    RuleName::try_from(raw).unwrap()
}

pub(super) fn terms(raw: &[&str]) -> Vec<MatchTerm> {
    raw.iter()
        .map(|t| MatchTerm::try_from(*t).unwrap())
        .collect()
}

pub(super) fn text(text: &str) -> CaseFacts<'_> {
    CaseFacts {
        text: Some(text),
        ..CaseFacts::default()
    }
}

pub(super) fn given(category: CaseCategory) -> CaseFacts<'static> {
    CaseFacts {
        category: Some(category),
        ..CaseFacts::default()
    }
}

pub(super) fn defaults(facts: &CaseFacts<'_>) -> RoutingDecision {
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
