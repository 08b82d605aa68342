use uuid::Uuid;

use super::RoutingRule;

/// Commands accepted by the [`RoutingRules`](super::RoutingRules) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum RoutingRulesCommand {
    /// Replace the organization's routing rules with `rules`, as the next version (the
    /// first set is version 1).
    SetRoutingRules {
        /// Organization the rules belong to (also the aggregate id).
        organization_id: Uuid,
        /// The rules, in order: the first a case meets decides.
        rules: Vec<RoutingRule>,
        /// Who set them.
        by: Uuid,
    },
}
