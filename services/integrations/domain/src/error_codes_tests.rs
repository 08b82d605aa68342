//! Pins the stable code of every refusal of the integrations aggregates (`docs/errors.md`).

use chorus_teams_domain::testing::assert_error_codes;
use chorus_teams_domain::{Responsibility, RoleFunction};

use super::*;

#[test]
fn every_refusal_has_its_pinned_code() {
    assert_error_codes(&[
        (&ScimUserError::OtherOrganization, "NOT_FOUND"),
        (&ScimGroupError::AlreadyExists, "ALREADY_EXISTS"),
        (&ScimGroupError::NotFound, "NOT_FOUND"),
        (&ScimGroupError::AlreadyLinked, "SCIM_GROUP_LINKED"),
        (&ScimGroupError::NoChange, "NO_CHANGE"),
        (
            &ScimGroupError::ResponsibilityNotInFunction {
                responsibility: Responsibility::SocialMediaManager,
                function: RoleFunction::Marketing,
            },
            "RESPONSIBILITY_NOT_IN_FUNCTION",
        ),
    ]);
}
