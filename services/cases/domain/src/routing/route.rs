//! Routing a case: the first rule whose conditions the case meets decides where it goes.

use chorus_content_domain::lexicon::FoldedText;
use chorus_teams_domain::values::RoleFunction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::defaults::{catch_all, default_rules};
use super::rule::{CaseFacts, RoutingRule};
use crate::values::{CaseCategory, Priority, RuleName};

/// Where routing sent a case and why: the rules version and the rule that decided, the
/// term that matched, and everything the rule's actions said. A case records it, so an
/// auditor can see why it went where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// Version of the organization's rules that decided; 0 for the built-in defaults
    /// (the organization has set no rules, or none of its rules matched).
    pub rules_version: u64,
    /// Position of the deciding rule in those rules, from 0.
    pub rule_index: u32,
    /// Name of the deciding rule.
    pub rule_name: RuleName,
    /// The rule's term found in the case's text; `None` when the rule lists no terms.
    pub matched_term: Option<String>,
    /// The category the case gets: the rule's, else the one given at intake, else
    /// `OTHER`.
    pub category: CaseCategory,
    /// The function whose holders handle the case.
    pub function: RoleFunction,
    /// The team whose queue the case goes to, if the rule names one.
    pub team_id: Option<Uuid>,
    /// How urgent the case is.
    pub priority: Priority,
    /// The SLA policy the rule names, if any.
    pub sla_policy_id: Option<Uuid>,
    /// Answer in private rather than in public.
    pub handle_privately: bool,
    /// The function the case is escalated to at once, if any.
    pub escalate_to: Option<RoleFunction>,
    /// The function whose holder must approve replies by responders without delegated
    /// authority, if any.
    pub reply_approver: Option<RoleFunction>,
}

impl RoutingDecision {
    /// The decision of `rule`, at `index` of the rules of `version`, for a case with
    /// `facts` (the term that matched in `matched_term`).
    fn of(
        version: u64,
        index: usize,
        rule: &RoutingRule,
        matched_term: Option<String>,
        facts: &CaseFacts<'_>,
    ) -> Self {
        let actions = &rule.actions;
        Self {
            rules_version: version,
            rule_index: u32::try_from(index).unwrap_or(u32::MAX),
            rule_name: rule.name.clone(),
            matched_term,
            category: actions
                .category
                .or(facts.category)
                .unwrap_or(CaseCategory::Other),
            function: actions.function,
            team_id: actions.team_id,
            priority: actions.priority,
            sla_policy_id: actions.sla_policy_id,
            handle_privately: actions.handle_privately,
            escalate_to: actions.escalate_to,
            reply_approver: actions.reply_approver,
        }
    }
}

/// The decision of the first of `rules` (version `version`) that a case with `facts`
/// meets, or `None`.
fn first_match(
    rules: &[RoutingRule],
    version: u64,
    facts: &CaseFacts<'_>,
    text: Option<&FoldedText>,
) -> Option<RoutingDecision> {
    rules.iter().enumerate().find_map(|(index, rule)| {
        rule.conditions
            .evaluate(facts, text)
            .map(|term| RoutingDecision::of(version, index, rule, term, facts))
    })
}

/// Routes a case: the first of `rules` (the organization's rules, version `version`)
/// whose conditions the case meets decides. When none does (an organization's rules may
/// have no catch-all), the built-in [`default_rules`] decide, and the decision says so
/// (`rules_version` 0).
pub fn route(rules: &[RoutingRule], version: u64, facts: &CaseFacts<'_>) -> RoutingDecision {
    let text = facts.text.map(FoldedText::new);
    first_match(rules, version, facts, text.as_ref()).unwrap_or_else(|| {
        let defaults = default_rules();
        first_match(&defaults, 0, facts, text.as_ref()).unwrap_or_else(|| {
            // The defaults end with a catch-all, so this is never reached.
            RoutingDecision::of(
                0,
                defaults.len().saturating_sub(1),
                &catch_all(),
                None,
                facts,
            )
        })
    })
}
