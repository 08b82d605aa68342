//! Routing rules: versioned per organization, ordered, first match wins.
//!
//! An organization's rules are one [`RoutingRules`] aggregate (the aggregate id is the
//! organization id); an organization that has set none routes with the built-in
//! [`default_rules`] (version 0). Routing itself is the pure function [`route`]: the
//! application layer takes the rules in force ([`RoutingRules::snapshot`]) and the case's
//! [`CaseFacts`], and records the [`RoutingDecision`] on the case.

mod aggregate;
mod commands;
mod defaults;
mod errors;
mod events;
mod route;
mod rule;

#[cfg(test)]
mod route_custom_tests;
#[cfg(test)]
mod route_tests;
#[cfg(test)]
mod tests;

pub use aggregate::{RoutingRules, RoutingRulesSnapshot};
pub use commands::RoutingRulesCommand;
pub use defaults::{
    default_rules, COMPLAINT_TERMS, CRISIS_TERMS, LEGAL_THREAT_TERMS, PRICING_TERMS,
};
pub use errors::RoutingRulesError;
pub use events::RoutingRulesEvent;
pub use route::{route, RoutingDecision};
pub use rule::{
    validate_rules, CaseFacts, RoutingRule, RuleActions, RuleConditions, ESCALATION_FUNCTIONS,
    MAX_CHANNELS, MAX_TERMS, MAX_TOTAL_TERMS, RULE_COUNT,
};
