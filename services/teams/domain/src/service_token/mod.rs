//! The service-token aggregate: one bearer token of an integration's service account,
//! registered when it is issued so that it can be listed and revoked on its own (rotating
//! the signing secret would revoke every token at once).

mod aggregate;
mod commands;
mod errors;
mod events;

#[cfg(test)]
mod tests;

pub use aggregate::ServiceToken;
pub use commands::ServiceTokenCommand;
pub use errors::ServiceTokenError;
pub use events::ServiceTokenEvent;

use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// What a service account's token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceScope {
    /// Read team structure (and everything else every member may read).
    #[serde(rename = "teams:read")]
    TeamsRead,
    /// Change team structure.
    #[serde(rename = "teams:write")]
    TeamsWrite,
    /// Mark approved posts as published (a publishing tool).
    #[serde(rename = "content:publish")]
    ContentPublish,
    /// Export the compliance history.
    #[serde(rename = "compliance:export")]
    ComplianceExport,
    /// Open cases from a channel or a CRM / help-desk system.
    #[serde(rename = "cases:intake")]
    CasesIntake,
    /// Read cases, their contacts and the SLA report.
    #[serde(rename = "cases:read")]
    CasesRead,
    /// Provision people and their group roles from an HR system over SCIM 2.0
    /// (`/scim/v2`; only through that door).
    #[serde(rename = "scim:provision")]
    ScimProvision,
}

impl ServiceScope {
    /// Every scope, in declaration order.
    pub const ALL: &'static [Self] = &[
        Self::TeamsRead,
        Self::TeamsWrite,
        Self::ContentPublish,
        Self::ComplianceExport,
        Self::CasesIntake,
        Self::CasesRead,
        Self::ScimProvision,
    ];

    /// The scope as written in tokens (`teams:read`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::TeamsRead => "teams:read",
            Self::TeamsWrite => "teams:write",
            Self::ContentPublish => "content:publish",
            Self::ComplianceExport => "compliance:export",
            Self::CasesIntake => "cases:intake",
            Self::CasesRead => "cases:read",
            Self::ScimProvision => "scim:provision",
        }
    }
}

impl std::str::FromStr for ServiceScope {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|scope| scope.as_str() == raw)
            .ok_or_else(|| {
                ValueError::new(
                    "scope",
                    format!(
                        "must be one of {}",
                        Self::ALL
                            .iter()
                            .map(ServiceScope::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

impl std::fmt::Display for ServiceScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
