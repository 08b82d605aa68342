//! The built-in routing rules (version 0), used when an organization has set none, and
//! when none of its rules matches. They follow the field's practice: legal threats to
//! legal, crises to PR (escalated to senior management), complaints to customer service
//! (answered in private rather than in public), pricing, discount and promotion questions
//! to sales, and common questions to the social media team.
//!
//! Conditions are AND-ed, so each "these words, or this category given at intake" group is
//! two rules: the terms, then the category.

use chorus_teams_domain::values::RoleFunction;

use super::rule::{RoutingRule, RuleActions, RuleConditions};
use crate::values::{CaseCategory, MatchTerm, Priority, ValueError};

/// Words and phrases of a threat of legal action.
pub const LEGAL_THREAT_TERMS: &[&str] = &[
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "solicitor",
    "lawsuit",
    "sue you",
    "sue your",
    "suing",
    "legal action",
    "class action",
    "take you to court",
    "see you in court",
    "cease and desist",
];

/// Words and phrases of something that may become a public crisis.
pub const CRISIS_TERMS: &[&str] = &[
    "boycott",
    "outrage",
    "outraged",
    "recall",
    "data breach",
    "security breach",
    "hacked",
    "leaked",
    "scandal",
    "food poisoning",
    "injured",
    "unsafe",
    "dangerous",
    "racist",
    "discrimination",
    "harassment",
];

/// Words and phrases of a complaint.
pub const COMPLAINT_TERMS: &[&str] = &[
    "complaint",
    "complain",
    "refund",
    "broken",
    "terrible",
    "worst",
    "disappointed",
    "disappointing",
    "awful",
    "horrible",
    "unacceptable",
    "faulty",
    "defective",
    "damaged",
    "never arrived",
    "not working",
    "does not work",
    "doesn't work",
    "rude",
    "waste of money",
];

/// Words and phrases of a question on pricing, a discount or a promotion.
pub const PRICING_TERMS: &[&str] = &[
    "price",
    "prices",
    "pricing",
    "priced",
    "how much",
    "cost",
    "discount",
    "discounts",
    "promo",
    "promo code",
    "promotion",
    "promotions",
    "coupon",
    "coupons",
    "voucher",
    "offer",
    "offers",
    "deal",
    "deals",
    "sale",
];

/// Parses a name or a term written in this file. Every one of them is parsed by the
/// tests (`default_rules_are_valid`), so the refusal is never reached.
#[allow(
    clippy::expect_used,
    reason = "the literals of this file, each one parsed by the tests"
)]
fn literal<T: TryFrom<&'static str, Error = ValueError>>(raw: &'static str) -> T {
    T::try_from(raw).expect("the default rules' literals are valid")
}

fn terms(raw: &[&'static str]) -> Vec<MatchTerm> {
    raw.iter().map(|term| literal(term)).collect()
}

fn actions(
    category: Option<CaseCategory>,
    function: RoleFunction,
    priority: Priority,
) -> RuleActions {
    RuleActions {
        category,
        function,
        team_id: None,
        priority,
        sla_policy_id: None,
        handle_privately: false,
        escalate_to: None,
        reply_approver: None,
    }
}

/// Two rules sending a case to `actions`: one when its text contains one of `raw_terms`,
/// one when `category` was given at intake.
fn group(
    name: &'static str,
    given_name: &'static str,
    raw_terms: &[&'static str],
    category: CaseCategory,
    actions: RuleActions,
) -> [RoutingRule; 2] {
    [
        RoutingRule {
            name: literal(name),
            conditions: RuleConditions {
                terms: terms(raw_terms),
                ..RuleConditions::default()
            },
            actions: actions.clone(),
        },
        RoutingRule {
            name: literal(given_name),
            conditions: RuleConditions {
                categories: vec![category],
                ..RuleConditions::default()
            },
            actions,
        },
    ]
}

/// The last default rule: every case meets it. A common question, for the social media
/// team.
pub(super) fn catch_all() -> RoutingRule {
    RoutingRule {
        name: literal("Common question"),
        conditions: RuleConditions::default(),
        actions: actions(
            Some(CaseCategory::CommonQuestion),
            RoleFunction::SocialMedia,
            Priority::Normal,
        ),
    }
}

/// The built-in routing rules (version 0), in order: legal threat (terms, then the
/// category given) to LEGAL at HIGH; crisis to PUBLIC_RELATIONS at URGENT, escalated to
/// SENIOR_MANAGEMENT; complaint to CUSTOMER_SERVICE, handled privately; pricing, discount
/// or promotion to SALES; a case given OTHER at intake to SOCIAL_MEDIA keeping OTHER; and
/// the catch-all: a COMMON_QUESTION for SOCIAL_MEDIA. Every rule but crisis at NORMAL.
pub fn default_rules() -> Vec<RoutingRule> {
    let legal = group(
        "Legal threat",
        "Legal threat (given at intake)",
        LEGAL_THREAT_TERMS,
        CaseCategory::LegalThreat,
        actions(
            Some(CaseCategory::LegalThreat),
            RoleFunction::Legal,
            Priority::High,
        ),
    );
    let crisis = group(
        "Crisis",
        "Crisis (given at intake)",
        CRISIS_TERMS,
        CaseCategory::Crisis,
        RuleActions {
            escalate_to: Some(RoleFunction::SeniorManagement),
            ..actions(
                Some(CaseCategory::Crisis),
                RoleFunction::PublicRelations,
                Priority::Urgent,
            )
        },
    );
    let complaint = group(
        "Complaint",
        "Complaint (given at intake)",
        COMPLAINT_TERMS,
        CaseCategory::Complaint,
        RuleActions {
            handle_privately: true,
            ..actions(
                Some(CaseCategory::Complaint),
                RoleFunction::CustomerService,
                Priority::Normal,
            )
        },
    );
    let pricing = group(
        "Pricing, discount or promotion",
        "Pricing question (given at intake)",
        PRICING_TERMS,
        CaseCategory::PricingQuestion,
        actions(
            Some(CaseCategory::PricingQuestion),
            RoleFunction::Sales,
            Priority::Normal,
        ),
    );
    let other = RoutingRule {
        name: literal("Other (given at intake)"),
        conditions: RuleConditions {
            categories: vec![CaseCategory::Other],
            ..RuleConditions::default()
        },
        actions: actions(None, RoleFunction::SocialMedia, Priority::Normal),
    };
    [legal, crisis, complaint, pricing]
        .into_iter()
        .flatten()
        .chain([other, catch_all()])
        .collect()
}
