//! Pins the stable code of every refusal of the teams context: clients branch on these
//! codes (`docs/errors.md`), so changing one breaks them. One table for every aggregate.

use uuid::Uuid;

use super::*;
use crate::testing::assert_error_codes;

#[test]
fn every_refusal_has_its_pinned_code() {
    assert_error_codes(&[
        (&OrganizationError::AlreadyExists, "ALREADY_EXISTS"),
        (&OrganizationError::NotFound, "NOT_FOUND"),
        (&OrganizationError::NameUnchanged, "NO_CHANGE"),
        (&TeamError::AlreadyExists, "ALREADY_EXISTS"),
        (&TeamError::NotFound, "NOT_FOUND"),
        (&TeamError::Archived, "TEAM_ARCHIVED"),
        (&TeamError::NameUnchanged, "NO_CHANGE"),
        (&TeamError::ParentIsSelf, "INVALID_PARENT"),
        (&PersonError::AlreadyExists, "ALREADY_EXISTS"),
        (&PersonError::NotFound, "NOT_FOUND"),
        (&PersonError::Offboarded, "PERSON_OFFBOARDED"),
        (&PersonError::NoChange, "NO_CHANGE"),
        (
            &PersonError::DuplicateActiveAssignment {
                existing_assignment_id: Uuid::from_u128(0x1),
            },
            "DUPLICATE_ACTIVE_ASSIGNMENT",
        ),
        (&PersonError::AssignmentIdTaken, "ALREADY_EXISTS"),
        (&PersonError::AssignmentNotFound, "ASSIGNMENT_NOT_FOUND"),
        (&PersonError::AssignmentNotActive, "ASSIGNMENT_NOT_ACTIVE"),
        (
            &PersonError::ResponsibilityNotInFunction {
                responsibility: Responsibility::Strategist,
                function: RoleFunction::Legal,
            },
            "RESPONSIBILITY_NOT_IN_FUNCTION",
        ),
        (&PersonError::EffectiveFromInPast, "EFFECTIVE_FROM_IN_PAST"),
        (
            &PersonError::RevokeBeforeEffective,
            "REVOKE_BEFORE_EFFECTIVE",
        ),
        (&ReportingLinesError::SelfReporting, "SELF_REPORTING"),
        (
            &ReportingLinesError::Cycle { chain: vec![] },
            "REPORTING_CYCLE",
        ),
        (&ReportingLinesError::Unchanged, "NO_CHANGE"),
        (&ReportingLinesError::NoReportingLine, "NO_REPORTING_LINE"),
        (&ChannelError::AlreadyExists, "ALREADY_EXISTS"),
        (&ChannelError::NotFound, "NOT_FOUND"),
        (&ChannelError::Retired, "CHANNEL_RETIRED"),
    ]);
}
