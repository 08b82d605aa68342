use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    default_rules, route, validate_rules, CaseFacts, RoutingDecision, RoutingRule,
    RoutingRulesCommand, RoutingRulesError, RoutingRulesEvent,
};

/// State of one organization's routing rules, rebuilt from their events. The aggregate id
/// is the organization id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoutingRules {
    organization_id: Option<Uuid>,
    version: u64,
    rules: Vec<RoutingRule>,
}

/// The routing rules in force, as routing applies them and a case records their version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRulesSnapshot {
    /// Version of the rules; 0 for the built-in defaults.
    pub version: u64,
    /// The rules, in order.
    pub rules: Vec<RoutingRule>,
}

impl RoutingRulesSnapshot {
    /// Routes a case with these rules (see [`route`]).
    pub fn route(&self, facts: &CaseFacts<'_>) -> RoutingDecision {
        route(&self.rules, self.version, facts)
    }
}

impl RoutingRules {
    /// Organization the rules belong to, `None` until first set.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Current version (0 until first set).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The current rules, in order (empty until first set).
    pub fn rules(&self) -> &[RoutingRule] {
        &self.rules
    }

    /// Whether the organization has set rules.
    pub fn exists(&self) -> bool {
        self.organization_id.is_some()
    }

    /// The rules in force: the current version, or the built-in defaults (version 0) when
    /// the organization has set none.
    pub fn snapshot(&self) -> RoutingRulesSnapshot {
        if self.exists() {
            RoutingRulesSnapshot {
                version: self.version,
                rules: self.rules.clone(),
            }
        } else {
            RoutingRulesSnapshot {
                version: 0,
                rules: default_rules(),
            }
        }
    }
}

chorus_shared::aggregate!(
    RoutingRules,
    "routing_rules",
    RoutingRulesCommand,
    RoutingRulesEvent,
    RoutingRulesError
);

impl RoutingRules {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: RoutingRulesCommand,
    ) -> Result<Vec<RoutingRulesEvent>, RoutingRulesError> {
        let events = match command {
            RoutingRulesCommand::SetRoutingRules {
                organization_id,
                rules,
                by,
            } => {
                refuse_if(
                    self.organization_id
                        .is_some_and(|owner| owner != organization_id),
                    RoutingRulesError::WrongOrganization,
                )?;
                validate_rules(&rules)?;
                refuse_if(
                    self.exists() && rules == self.rules,
                    RoutingRulesError::Unchanged,
                )?;
                vec![RoutingRulesEvent::RoutingRulesSet {
                    organization_id,
                    version: self.version + 1,
                    rules,
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: RoutingRulesEvent) {
        match event {
            RoutingRulesEvent::RoutingRulesSet {
                organization_id,
                version,
                rules,
                ..
            } => {
                self.organization_id.get_or_insert(organization_id);
                self.version = version;
                self.rules = rules;
            }
        }
    }
}
