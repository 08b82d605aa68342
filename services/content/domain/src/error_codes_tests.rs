//! Pins the stable code of every refusal of the content context: clients branch on these
//! codes (`docs/errors.md`), so changing one breaks them. One table for every aggregate.

use uuid::Uuid;

use super::*;
use chorus_teams_domain::testing::assert_error_codes;

#[test]
fn every_refusal_has_its_pinned_code() {
    let step = || "manager".to_string();
    let invalid = |field| chorus_teams_domain::ValueError::new(field, "must not be empty");
    assert_error_codes(&[
        (&PostError::AlreadyExists, "ALREADY_EXISTS"),
        (&PostError::NotFound, "NOT_FOUND"),
        (&PostError::NotAuthor, "NOT_AUTHOR"),
        (
            &PostError::InvalidStatus {
                status: PostStatus::Draft,
            },
            "INVALID_STATUS",
        ),
        (&PostError::FourEyes, "FOUR_EYES"),
        (&PostError::NotEntitled { step: step() }, "NOT_ENTITLED"),
        (&PostError::AlreadySigned { step: step() }, "ALREADY_SIGNED"),
        (&PostError::StepComplete { step: step() }, "STEP_COMPLETE"),
        (&PostError::UnknownStep { step: step() }, "UNKNOWN_STEP"),
        (&PostError::ApprovalAfterSchedule, "APPROVAL_AFTER_SCHEDULE"),
        (&PostError::ScheduleInPast, "SCHEDULE_IN_PAST"),
        (
            &PostError::LegalBlock {
                review_id: Uuid::from_u128(0xe0),
            },
            "LEGAL_BLOCK",
        ),
        (&PostError::NotApproved, "NOT_APPROVED"),
        (&PostError::PostExpired, "POST_EXPIRED"),
        (&PostError::NotExpirable, "NOT_EXPIRABLE"),
        (&PostError::Invalid(invalid("comment")), "BAD_USER_INPUT"),
        (&ApprovalPolicyError::AlreadyExists, "ALREADY_EXISTS"),
        (&ApprovalPolicyError::NotFound, "NOT_FOUND"),
        (&ApprovalPolicyError::Retired, "POLICY_RETIRED"),
        (&ApprovalPolicyError::Unchanged, "NO_CHANGE"),
        (
            &ApprovalPolicyError::Invalid(invalid("scope")),
            "BAD_USER_INPUT",
        ),
        (&LegalReviewError::AlreadyExists, "ALREADY_EXISTS"),
        (&LegalReviewError::NotLegal, "NOT_LEGAL"),
        (
            &LegalReviewError::Invalid(invalid("conditions")),
            "BAD_USER_INPUT",
        ),
        (&LexiconError::TermExists, "ALREADY_EXISTS"),
        (&LexiconError::TermNotFound, "NOT_FOUND"),
    ]);
}
