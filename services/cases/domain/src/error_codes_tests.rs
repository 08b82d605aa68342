//! Pins the stable code of every refusal of the case and contact aggregates: clients
//! branch on these codes (`docs/errors.md`), so changing one breaks them. The routing and
//! SLA aggregates pin theirs in their own folders.

use chorus_teams_domain::testing::assert_error_codes;

use super::*;
use crate::values::CaseStatus;

#[test]
fn every_refusal_has_its_pinned_code() {
    let function = || "SALES".to_string();
    assert_error_codes(&[
        (&CaseError::NotFound, "NOT_FOUND"),
        (&CaseError::OtherOrganization, "NOT_FOUND"),
        (
            &CaseError::InvalidStatus {
                status: CaseStatus::Resolved,
            },
            "INVALID_STATUS",
        ),
        (&CaseError::ReopenWindowClosed, "REOPEN_WINDOW_CLOSED"),
        (
            &CaseError::NotQualified {
                function: function(),
            },
            "NOT_ENTITLED",
        ),
        (&CaseError::AlreadyAssigned, "ALREADY_ASSIGNED"),
        (&CaseError::NotAssigned, "NOT_ASSIGNED"),
        (&CaseError::ReplyMustBePrivate, "REPLY_MUST_BE_PRIVATE"),
        (&CaseError::ReplyExists, "ALREADY_EXISTS"),
        (&CaseError::ReplyNotPending, "REPLY_NOT_PENDING"),
        (&CaseError::ReplyNotSent, "REPLY_NOT_SENT"),
        (&CaseError::NotResponder, "NOT_RESPONDER"),
        (&CaseError::FourEyes, "FOUR_EYES"),
        (&CaseError::ReplyPending, "REPLY_PENDING"),
        (
            &CaseError::AlreadyEscalated {
                function: function(),
            },
            "ALREADY_ESCALATED",
        ),
        (&CaseError::MergeIntoItself, "MERGE_INTO_ITSELF"),
        (
            &CaseError::Invalid(chorus_shared::ValueError::new("to", "must be PR")),
            "BAD_USER_INPUT",
        ),
        (&ContactError::NotFound, "NOT_FOUND"),
        (&ContactError::OtherOrganization, "NOT_FOUND"),
        (&ContactError::Unchanged, "NO_CHANGE"),
    ]);
}
