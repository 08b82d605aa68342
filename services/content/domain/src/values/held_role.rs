//! A role the actor holds at a command's instant, as the application layer passes it in.

use chorus_teams_domain::values::{Responsibility, RoleFunction, RoleScope};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A role assignment the actor holds at the command's instant.
///
/// The application layer reads it from the role history and passes only
/// assignments whose scope covers the post (the organization, the team of
/// one of the post's channels, or one of its channels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeldRole {
    /// The role assignment.
    pub assignment_id: Uuid,
    /// Function of the role.
    pub function: RoleFunction,
    /// Responsibility within the function, if any.
    pub responsibility: Option<Responsibility>,
    /// Where the role applies.
    pub scope: RoleScope,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_role_round_trips() {
        let role = HeldRole {
            assignment_id: Uuid::from_u128(1),
            function: RoleFunction::Legal,
            responsibility: Some(Responsibility::LegalUgcCounsel),
            scope: RoleScope::organization(Uuid::from_u128(2)),
        };
        let json = serde_json::to_value(role).expect("serialize");
        assert_eq!(json["function"], "LEGAL");
        assert_eq!(json["responsibility"], "LEGAL_UGC_COUNSEL");
        assert_eq!(json["scope"]["kind"], "ORGANIZATION");
        let back: HeldRole = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, role);
    }
}
