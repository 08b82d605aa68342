//! What a routing rule says: the conditions a case must meet and what happens to it, and
//! the checks an organization's list of rules must pass.

use chorus_content_domain::lexicon::FoldedText;
use chorus_teams_domain::values::{RoleFunction, SocialNetwork};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{CaseCategory, MatchTerm, Priority, RuleName, ValueError, Visibility};

/// Fewest and most rules an organization's routing rules may have.
pub const RULE_COUNT: std::ops::RangeInclusive<usize> = 1..=200;
/// Most terms one rule may list.
pub const MAX_TERMS: usize = 100;
/// Most terms all the rules hold together: every message is searched for each term, so
/// this bounds the work one organization's rules put on each of its messages.
pub const MAX_TOTAL_TERMS: usize = 1_000;
/// Most channels one rule may list.
pub const MAX_CHANNELS: usize = 100;
/// The functions a case may be escalated to.
pub const ESCALATION_FUNCTIONS: [RoleFunction; 3] = [
    RoleFunction::PublicRelations,
    RoleFunction::Legal,
    RoleFunction::SeniorManagement,
];

/// One routing rule: when a case meets its conditions, its actions say where the case
/// goes. Rules are tried in order; the first that matches decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// Name of the rule, unique within the organization's rules.
    pub name: RuleName,
    /// When the rule applies.
    pub conditions: RuleConditions,
    /// What happens to a case the rule applies to.
    pub actions: RuleActions,
}

/// When a rule applies. Every condition that is given must hold; a list holds when any of
/// its items does; an empty list or `None` means "any". A condition on something the case
/// does not have (terms on a case without text, channels on a case from a CRM) does not
/// hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleConditions {
    /// The case's text contains one of these words or phrases (case-insensitive, whole
    /// words, whitespace runs matching single spaces), at most [`MAX_TERMS`].
    pub terms: Vec<MatchTerm>,
    /// The case came in on one of these channels, at most [`MAX_CHANNELS`].
    pub channels: Vec<Uuid>,
    /// The case came in on one of these networks.
    pub networks: Vec<SocialNetwork>,
    /// The message was public, or private.
    pub visibility: Option<Visibility>,
    /// The contact is a VIP (`true`), or is not (`false`).
    pub vip: Option<bool>,
    /// The category given at intake (by a CRM or a person) is one of these.
    pub categories: Vec<CaseCategory>,
}

/// What happens to a case a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleActions {
    /// The category the case gets; `None` keeps the one given at intake (`OTHER` when
    /// none was given).
    pub category: Option<CaseCategory>,
    /// The function whose holders handle the case.
    pub function: RoleFunction,
    /// The team whose queue the case goes to; `None` leaves it to the function's holders
    /// organization-wide.
    pub team_id: Option<Uuid>,
    /// How urgent the case is.
    pub priority: Priority,
    /// The SLA policy that sets its deadlines; `None` for the organization's default.
    pub sla_policy_id: Option<Uuid>,
    /// Answer in private (a direct message) rather than in public.
    pub handle_privately: bool,
    /// Escalate the case at once to this function: `PUBLIC_RELATIONS`, `LEGAL` or
    /// `SENIOR_MANAGEMENT` only.
    pub escalate_to: Option<RoleFunction>,
    /// When set, a reply to the case by a responder without delegated authority needs the
    /// approval of a holder of this function.
    pub reply_approver: Option<RoleFunction>,
}

/// Field names of the rule checks, in the API's spelling; the refusal's rule names the
/// routing rule (its position and name).
const RULES_FIELD: &str = "rules";
const NAME_FIELD: &str = "rules.name";
const TERMS_FIELD: &str = "rules.conditions.terms";
const CHANNELS_FIELD: &str = "rules.conditions.channels";
const ESCALATE_TO_FIELD: &str = "rules.actions.escalateTo";

/// A refusal of `field` of the rule at `index`, naming that rule.
fn refusal(field: &'static str, index: usize, rule: &RoutingRule, broken: &str) -> ValueError {
    ValueError::new(field, format!("rules[{index}] \"{}\": {broken}", rule.name))
}

/// Checks an organization's routing rules as a whole: [`RULE_COUNT`] rules with unique
/// names, each listing at most [`MAX_TERMS`] terms and [`MAX_CHANNELS`] channels and
/// escalating, if at all, only to one of [`ESCALATION_FUNCTIONS`]. The first broken rule
/// is reported, naming the field and the rule.
pub fn validate_rules(rules: &[RoutingRule]) -> Result<(), ValueError> {
    if !RULE_COUNT.contains(&rules.len()) {
        return Err(ValueError::new(
            RULES_FIELD,
            format!(
                "must have {} to {} rules",
                RULE_COUNT.start(),
                RULE_COUNT.end()
            ),
        ));
    }
    let total: usize = rules.iter().map(|rule| rule.conditions.terms.len()).sum();
    if total > MAX_TOTAL_TERMS {
        return Err(ValueError::new(
            TERMS_FIELD,
            format!("must have at most {MAX_TOTAL_TERMS} terms in all the rules together"),
        ));
    }
    for (index, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..index].iter().position(|r| r.name == rule.name) {
            return Err(refusal(
                NAME_FIELD,
                index,
                rule,
                &format!("must be unique within the rules (rules[{first}] has the same name)"),
            ));
        }
        if rule.conditions.terms.len() > MAX_TERMS {
            return Err(refusal(
                TERMS_FIELD,
                index,
                rule,
                &format!("must have at most {MAX_TERMS} terms"),
            ));
        }
        if rule.conditions.channels.len() > MAX_CHANNELS {
            return Err(refusal(
                CHANNELS_FIELD,
                index,
                rule,
                &format!("must have at most {MAX_CHANNELS} channels"),
            ));
        }
        if let Some(function) = rule.actions.escalate_to {
            if !ESCALATION_FUNCTIONS.contains(&function) {
                return Err(refusal(
                    ESCALATE_TO_FIELD,
                    index,
                    rule,
                    &format!(
                        "must be PUBLIC_RELATIONS, LEGAL or SENIOR_MANAGEMENT (not {function})"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What routing knows about a case when it routes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFacts<'a> {
    /// The contact's message, when there is one.
    pub text: Option<&'a str>,
    /// The channel the case came in on, when it came in on one.
    pub channel_id: Option<Uuid>,
    /// The network the case came in on, when known.
    pub network: Option<SocialNetwork>,
    /// Whether the message was public or private, when known.
    pub visibility: Option<Visibility>,
    /// Whether the contact is a VIP.
    pub vip: bool,
    /// The category given at intake by a CRM or a person, if any.
    pub category: Option<CaseCategory>,
}

impl RuleConditions {
    /// Whether a case with these facts (its text folded once in `text`) meets every
    /// condition: `None` when it does not, else the term that matched (the one earliest in
    /// the text, the longer on a tie, the first listed after that), `Some(None)` when the
    /// rule lists no terms.
    pub(super) fn evaluate(
        &self,
        facts: &CaseFacts<'_>,
        text: Option<&FoldedText>,
    ) -> Option<Option<String>> {
        let holds = |listed: bool, held: bool| !listed || held;
        let channel_ok = holds(
            !self.channels.is_empty(),
            facts.channel_id.is_some_and(|c| self.channels.contains(&c)),
        );
        let network_ok = holds(
            !self.networks.is_empty(),
            facts.network.is_some_and(|n| self.networks.contains(&n)),
        );
        let visibility_ok = self
            .visibility
            .is_none_or(|wanted| facts.visibility == Some(wanted));
        let vip_ok = self.vip.is_none_or(|wanted| facts.vip == wanted);
        let category_ok = holds(
            !self.categories.is_empty(),
            facts.category.is_some_and(|c| self.categories.contains(&c)),
        );
        if !(channel_ok && network_ok && visibility_ok && vip_ok && category_ok) {
            return None;
        }
        if self.terms.is_empty() {
            return Some(None);
        }
        let text = text?;
        let mut best: Option<(usize, std::cmp::Reverse<usize>, &MatchTerm)> = None;
        for term in &self.terms {
            if let Some(position) = text.find(term.as_str()) {
                let candidate = (
                    position,
                    std::cmp::Reverse(term.as_str().chars().count()),
                    term,
                );
                if best
                    .as_ref()
                    .is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1))
                {
                    best = Some(candidate);
                }
            }
        }
        best.map(|(_, _, term)| Some(term.as_str().to_owned()))
    }
}
