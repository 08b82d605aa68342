use crate::values::ValueError;

/// Why the [`RoutingRules`](super::RoutingRules) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingRulesError {
    /// The rules are identical to the current version.
    #[error("The routing rules are the same as the current ones.")]
    Unchanged,
    /// The command names another organization than the one the rules belong to.
    #[error("The routing rules belong to another organization.")]
    WrongOrganization,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl RoutingRulesError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unchanged => "ROUTING_RULES_UNCHANGED",
            Self::WrongOrganization => "WRONG_ORGANIZATION",
            Self::Invalid(error) => error.code(),
        }
    }
}

impl chorus_shared::DomainCode for RoutingRulesError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }

    fn invalid_input(&self) -> Option<(&'static str, String)> {
        match self {
            Self::Invalid(error) => Some((error.field, error.rule.clone())),
            _ => None,
        }
    }
}
