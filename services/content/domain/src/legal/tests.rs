use chorus_teams_domain::values::{Responsibility, RoleFunction};
use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::test_support::{assert_events_round_trip, assert_outcomes, held, replayed, t0, ORG};
use crate::values::{HeldRole, ReviewKind, ReviewOutcome, ReviewSubjectKind, ReviewText};

type ReviewTest = TestFramework<LegalReview>;

const REVIEW: Uuid = Uuid::from_u128(0xe0);
const POST: Uuid = Uuid::from_u128(0x90);
const LAWYER: Uuid = Uuid::from_u128(0x1a);
const COUNSEL_ASSIGNMENT: u128 = 0x301;

fn counsel() -> HeldRole {
    held(
        COUNSEL_ASSIGNMENT,
        RoleFunction::Legal,
        Some(Responsibility::LegalUgcCounsel),
    )
}

fn text(raw: &str) -> ReviewText {
    ReviewText::try_from(raw).expect("valid review text")
}

/// A blocked post review with notes and one reference.
fn log_post_review() -> LegalReviewCommand {
    log_with(|_| {})
}

fn post_review_logged() -> LegalReviewEvent {
    LegalReviewEvent::LegalReviewLogged {
        review_id: REVIEW,
        organization_id: ORG,
        subject_kind: ReviewSubjectKind::Post,
        subject_id: Some(POST),
        subject_reference: None,
        kind: ReviewKind::AdvertisingClaim,
        outcome: ReviewOutcome::Blocked,
        conditions: None,
        notes: Some("Claim is unsubstantiated.".to_string()),
        references: vec!["https://wiki.example.com/claims".to_string()],
        reviewer_id: LAWYER,
        reviewer_assignment_id: Uuid::from_u128(COUNSEL_ASSIGNMENT),
        reviewer_responsibility: Some(Responsibility::LegalUgcCounsel),
        at: t0(),
    }
}

fn ugc_review_logged() -> LegalReviewEvent {
    LegalReviewEvent::LegalReviewLogged {
        review_id: REVIEW,
        organization_id: ORG,
        subject_kind: ReviewSubjectKind::UserGeneratedContent,
        subject_id: None,
        subject_reference: Some("https://instagram.com/p/abc".to_string()),
        kind: ReviewKind::UgcRights,
        outcome: ReviewOutcome::ClearedWithConditions,
        conditions: Some("Credit @fan in the caption.".to_string()),
        notes: None,
        references: vec![],
        reviewer_id: LAWYER,
        reviewer_assignment_id: Uuid::from_u128(COUNSEL_ASSIGNMENT),
        reviewer_responsibility: Some(Responsibility::LegalUgcCounsel),
        at: t0(),
    }
}

/// What a test may vary in a [`LegalReviewCommand::LogLegalReview`]; the review, its
/// organization, its reviewer and the time stay those of every test.
struct LogFields {
    subject_kind: ReviewSubjectKind,
    subject_id: Option<Uuid>,
    subject_reference: Option<String>,
    kind: ReviewKind,
    outcome: ReviewOutcome,
    conditions: Option<ReviewText>,
    notes: Option<ReviewText>,
    references: Vec<String>,
    reviewer_role: HeldRole,
}

/// [`log_post_review`] with `change` applied to its fields.
fn log_with(change: impl FnOnce(&mut LogFields)) -> LegalReviewCommand {
    let mut fields = LogFields {
        subject_kind: ReviewSubjectKind::Post,
        subject_id: Some(POST),
        subject_reference: None,
        kind: ReviewKind::AdvertisingClaim,
        outcome: ReviewOutcome::Blocked,
        conditions: None,
        notes: Some(text(" Claim is unsubstantiated. ")),
        references: vec![" https://wiki.example.com/claims ".to_string()],
        reviewer_role: counsel(),
    };
    change(&mut fields);
    LegalReviewCommand::LogLegalReview {
        review_id: REVIEW,
        organization_id: ORG,
        subject_kind: fields.subject_kind,
        subject_id: fields.subject_id,
        subject_reference: fields.subject_reference,
        kind: fields.kind,
        outcome: fields.outcome,
        conditions: fields.conditions,
        notes: fields.notes,
        references: fields.references,
        reviewer_id: LAWYER,
        reviewer_role: fields.reviewer_role,
        now: t0(),
    }
}

fn invalid_field(command: LegalReviewCommand) -> &'static str {
    let error = ReviewTest::with(())
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect_err("command should be refused");
    assert_eq!(error.code(), "BAD_USER_INPUT", "{error:?}");
    match error {
        LegalReviewError::Invalid(value_error) => value_error.field,
        other => panic!("expected a value error, got {other:?}"),
    }
}

#[test]
fn log_post_review_records_everything() {
    ReviewTest::with(())
        .given_no_previous_events()
        .when(log_post_review())
        .then_expect_events(vec![post_review_logged()]);
}

#[test]
fn log_ugc_review_with_conditions() {
    ReviewTest::with(())
        .given_no_previous_events()
        .when(log_with(|f| {
            f.subject_kind = ReviewSubjectKind::UserGeneratedContent;
            f.subject_id = None;
            f.subject_reference = Some(" https://instagram.com/p/abc ".to_string());
            f.kind = ReviewKind::UgcRights;
            f.outcome = ReviewOutcome::ClearedWithConditions;
            f.conditions = Some(
                ReviewText::parse_field("conditions", "Credit @fan in the caption.")
                    .expect("valid"),
            );
            f.notes = Some(text("   "));
            f.references = vec![];
        }))
        .then_expect_events(vec![ugc_review_logged()]);
}

#[test]
fn log_refusals() {
    assert_outcomes::<LegalReview>(vec![
        (
            "logging a review twice",
            vec![post_review_logged()],
            log_post_review(),
            Err(LegalReviewError::AlreadyExists),
        ),
        (
            "only legal role holders review",
            vec![],
            log_with(|f| f.reviewer_role = held(0x302, RoleFunction::PublicRelations, None)),
            Err(LegalReviewError::NotLegal),
        ),
    ]);
}

#[test]
fn log_accepts_these_variations() {
    for (case, command) in [
        (
            "a legal role without a responsibility",
            log_with(|f| f.reviewer_role = held(0x303, RoleFunction::Legal, None)),
        ),
        (
            "a campaign named by its id alone",
            log_with(|f| {
                f.subject_kind = ReviewSubjectKind::Campaign;
                f.subject_id = Some(Uuid::from_u128(0xc4));
            }),
        ),
        (
            "twenty references of 500 characters",
            log_with(|f| f.references = vec!["r".repeat(500); 20]),
        ),
    ] {
        let events = ReviewTest::with(())
            .given_no_previous_events()
            .when(command)
            .inspect_result()
            .expect(case);
        assert_eq!(events.len(), 1, "{case}");
    }
}

#[test]
fn invalid_input_is_refused_naming_its_field() {
    for (case, command, field) in [
        (
            "a post review needs the post id",
            log_with(|f| {
                f.subject_id = None;
                f.subject_reference = Some("post 42".to_string());
            }),
            "subjectId",
        ),
        (
            "another review needs an id or a reference",
            log_with(|f| {
                f.subject_kind = ReviewSubjectKind::Contract;
                f.subject_id = None;
            }),
            "subjectReference",
        ),
        (
            "a subject reference is at most 500 characters",
            log_with(|f| f.subject_reference = Some("r".repeat(501))),
            "subjectReference",
        ),
        (
            "a subject reference is not blank",
            log_with(|f| f.subject_reference = Some("  ".to_string())),
            "subjectReference",
        ),
        (
            "a conditional clearance needs conditions",
            log_with(|f| {
                f.outcome = ReviewOutcome::ClearedWithConditions;
                f.conditions = None;
            }),
            "conditions",
        ),
        (
            "a conditional clearance needs conditions that are not blank",
            log_with(|f| {
                f.outcome = ReviewOutcome::ClearedWithConditions;
                f.conditions = Some(text(" "));
            }),
            "conditions",
        ),
        (
            "at most twenty references",
            log_with(|f| f.references = vec!["doc".to_string(); 21]),
            "references",
        ),
        (
            "a reference is at most 500 characters",
            log_with(|f| f.references = vec!["r".repeat(501)]),
            "references[0]",
        ),
        (
            "a reference is not empty",
            log_with(|f| f.references = vec!["ok".into(), String::new()]),
            "references[1]",
        ),
    ] {
        assert_eq!(invalid_field(command), field, "{case}");
    }
}

#[test]
fn apply_builds_state() {
    assert!(!LegalReview::default().exists());
    let review: LegalReview = replayed([post_review_logged()]);
    assert_eq!(review.review_id(), Some(REVIEW));
    assert_eq!(review.organization_id(), Some(ORG));
    assert_eq!(review.subject_kind(), Some(ReviewSubjectKind::Post));
    assert_eq!(review.subject_id(), Some(POST));
    assert_eq!(review.post_id(), Some(POST));
    assert_eq!(review.subject_reference(), None);
    assert_eq!(review.kind(), Some(ReviewKind::AdvertisingClaim));
    assert_eq!(review.outcome(), Some(ReviewOutcome::Blocked));
    assert_eq!(review.conditions(), None);
    assert_eq!(review.notes(), Some("Claim is unsubstantiated."));
    assert_eq!(review.references(), ["https://wiki.example.com/claims"]);
    assert_eq!(review.reviewer_id(), Some(LAWYER));
    assert_eq!(
        review.reviewer_assignment_id(),
        Some(Uuid::from_u128(COUNSEL_ASSIGNMENT))
    );
    assert_eq!(
        review.reviewer_responsibility(),
        Some(Responsibility::LegalUgcCounsel)
    );
    assert_eq!(review.at(), Some(t0()));

    let ugc: LegalReview = replayed([ugc_review_logged()]);
    assert_eq!(ugc.post_id(), None);
    assert_eq!(ugc.subject_reference(), Some("https://instagram.com/p/abc"));
    assert_eq!(ugc.conditions(), Some("Credit @fan in the caption."));
}

#[test]
fn invalid_input_message_names_the_field_and_the_rule() {
    let invalid = LegalReviewError::Invalid(chorus_teams_domain::ValueError {
        field: "conditions",
        rule: "are required when clearing with conditions".to_string(),
    });
    assert_eq!(
        invalid.to_string(),
        "conditions: are required when clearing with conditions"
    );
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![post_review_logged(), ugc_review_logged()];
    assert_events_round_trip(&events);
    let json = serde_json::to_value(ugc_review_logged()).expect("serialize");
    let body = &json["LegalReviewLogged"];
    assert_eq!(body["subject_kind"], "USER_GENERATED_CONTENT");
    assert_eq!(body["outcome"], "CLEARED_WITH_CONDITIONS");
    assert_eq!(body["kind"], "UGC_RIGHTS");
    assert_eq!(body["at"], "2025-03-01T12:00:00Z");
}
