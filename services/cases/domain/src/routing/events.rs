use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RoutingRule;

/// Facts recorded by the [`RoutingRules`](super::RoutingRules) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum RoutingRulesEvent {
    /// The organization's routing rules were set: this version replaces the previous one.
    RoutingRulesSet {
        /// Organization the rules belong to.
        organization_id: Uuid,
        /// The new version: 1, 2, ...
        version: u64,
        /// The rules, in order.
        rules: Vec<RoutingRule>,
        /// Who set them.
        by: Uuid,
    },
}

chorus_shared::domain_event!(RoutingRulesEvent);
