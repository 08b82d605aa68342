use chorus_shared::refuse_if;
use chorus_teams_domain::values::{Responsibility, RoleFunction, ValueError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{LegalReviewCommand, LegalReviewError, LegalReviewEvent};
use crate::values::{ReviewKind, ReviewOutcome, ReviewSubjectKind, ReviewText};

/// Most references one review may list.
pub const MAX_REFERENCES: usize = 20;
/// The field each reference is reported as (static, as [`ValueError::field`] is).
const REFERENCE_FIELDS: [&str; MAX_REFERENCES] = [
    "references[0]",
    "references[1]",
    "references[2]",
    "references[3]",
    "references[4]",
    "references[5]",
    "references[6]",
    "references[7]",
    "references[8]",
    "references[9]",
    "references[10]",
    "references[11]",
    "references[12]",
    "references[13]",
    "references[14]",
    "references[15]",
    "references[16]",
    "references[17]",
    "references[18]",
    "references[19]",
];
/// Longest reference (and subject reference), in characters.
pub const MAX_REFERENCE_LEN: usize = 500;

/// State of one legal review, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LegalReview {
    review_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    subject_kind: Option<ReviewSubjectKind>,
    subject_id: Option<Uuid>,
    subject_reference: Option<String>,
    kind: Option<ReviewKind>,
    outcome: Option<ReviewOutcome>,
    conditions: Option<String>,
    notes: Option<String>,
    references: Vec<String>,
    reviewer_id: Option<Uuid>,
    reviewer_assignment_id: Option<Uuid>,
    reviewer_responsibility: Option<Responsibility>,
    at: Option<DateTime<Utc>>,
}

impl LegalReview {
    /// Id of the review, `None` until logged.
    pub fn review_id(&self) -> Option<Uuid> {
        self.review_id
    }

    /// Organization, `None` until logged.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Kind of subject, `None` until logged.
    pub fn subject_kind(&self) -> Option<ReviewSubjectKind> {
        self.subject_kind
    }

    /// Id of the subject in Chorus, if any.
    pub fn subject_id(&self) -> Option<Uuid> {
        self.subject_id
    }

    /// The reviewed post, when the subject is a post.
    pub fn post_id(&self) -> Option<Uuid> {
        match self.subject_kind {
            Some(ReviewSubjectKind::Post) => self.subject_id,
            _ => None,
        }
    }

    /// Reference to a subject outside Chorus, if any.
    pub fn subject_reference(&self) -> Option<&str> {
        self.subject_reference.as_deref()
    }

    /// Kind of review, `None` until logged.
    pub fn kind(&self) -> Option<ReviewKind> {
        self.kind
    }

    /// Outcome, `None` until logged.
    pub fn outcome(&self) -> Option<ReviewOutcome> {
        self.outcome
    }

    /// Conditions of the clearance, if any.
    pub fn conditions(&self) -> Option<&str> {
        self.conditions.as_deref()
    }

    /// Notes, if any.
    pub fn notes(&self) -> Option<&str> {
        self.notes.as_deref()
    }

    /// Supporting references.
    pub fn references(&self) -> &[String] {
        &self.references
    }

    /// Reviewer, `None` until logged.
    pub fn reviewer_id(&self) -> Option<Uuid> {
        self.reviewer_id
    }

    /// The reviewer's legal role assignment, `None` until logged.
    pub fn reviewer_assignment_id(&self) -> Option<Uuid> {
        self.reviewer_assignment_id
    }

    /// Responsibility of the reviewer's role, if any.
    pub fn reviewer_responsibility(&self) -> Option<Responsibility> {
        self.reviewer_responsibility
    }

    /// When the review was logged, `None` until logged.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.at
    }

    /// Whether the review has been logged.
    pub fn exists(&self) -> bool {
        self.review_id.is_some()
    }
}

/// A reference is read like a name: 1 to [`MAX_REFERENCE_LEN`] characters of one
/// line, without invisible characters ([`chorus_teams_domain::text::name`]).
fn reference(field: &'static str, raw: &str) -> Result<String, ValueError> {
    chorus_teams_domain::text::name(field, raw, 1, MAX_REFERENCE_LEN, false)
}

/// Drops an empty text.
fn non_empty(text: Option<ReviewText>) -> Option<String> {
    text.filter(|text| !text.is_empty()).map(String::from)
}

chorus_shared::aggregate!(
    LegalReview,
    "legal_review",
    LegalReviewCommand,
    LegalReviewEvent,
    LegalReviewError
);

impl LegalReview {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: LegalReviewCommand,
    ) -> Result<Vec<LegalReviewEvent>, LegalReviewError> {
        let events = match command {
            LegalReviewCommand::LogLegalReview {
                review_id,
                organization_id,
                subject_kind,
                subject_id,
                subject_reference,
                kind,
                outcome,
                conditions,
                notes,
                references,
                reviewer_id,
                reviewer_role,
                now,
            } => {
                refuse_if(self.exists(), LegalReviewError::AlreadyExists)?;
                refuse_if(
                    reviewer_role.function != RoleFunction::Legal,
                    LegalReviewError::NotLegal,
                )?;
                let subject_reference = subject_reference
                    .as_deref()
                    .map(|raw| reference("subjectReference", raw))
                    .transpose()?;
                match subject_kind {
                    ReviewSubjectKind::Post if subject_id.is_none() => {
                        return Err(
                            ValueError::new("subjectId", "is required for a post review").into(),
                        );
                    }
                    _ if subject_id.is_none() && subject_reference.is_none() => {
                        return Err(ValueError::new(
                            "subjectReference",
                            "a subject id or reference is required",
                        )
                        .into());
                    }
                    _ => {}
                }
                let conditions = non_empty(conditions);
                if outcome == ReviewOutcome::ClearedWithConditions && conditions.is_none() {
                    return Err(ValueError::new(
                        "conditions",
                        "are required when clearing with conditions",
                    )
                    .into());
                }
                if references.len() > MAX_REFERENCES {
                    return Err(ValueError::new(
                        "references",
                        format!("must list at most {MAX_REFERENCES} items"),
                    )
                    .into());
                }
                let references = references
                    .iter()
                    .enumerate()
                    .map(|(i, raw)| reference(REFERENCE_FIELDS[i], raw))
                    .collect::<Result<Vec<_>, _>>()?;
                vec![LegalReviewEvent::LegalReviewLogged {
                    review_id,
                    organization_id,
                    subject_kind,
                    subject_id,
                    subject_reference,
                    kind,
                    outcome,
                    conditions,
                    notes: non_empty(notes),
                    references,
                    reviewer_id,
                    reviewer_assignment_id: reviewer_role.assignment_id,
                    reviewer_responsibility: reviewer_role.responsibility,
                    at: now,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: LegalReviewEvent) {
        match event {
            LegalReviewEvent::LegalReviewLogged {
                review_id,
                organization_id,
                subject_kind,
                subject_id,
                subject_reference,
                kind,
                outcome,
                conditions,
                notes,
                references,
                reviewer_id,
                reviewer_assignment_id,
                reviewer_responsibility,
                at,
            } => {
                self.review_id = Some(review_id);
                self.organization_id = Some(organization_id);
                self.subject_kind = Some(subject_kind);
                self.subject_id = subject_id;
                self.subject_reference = subject_reference;
                self.kind = Some(kind);
                self.outcome = Some(outcome);
                self.conditions = conditions;
                self.notes = notes;
                self.references = references;
                self.reviewer_id = Some(reviewer_id);
                self.reviewer_assignment_id = Some(reviewer_assignment_id);
                self.reviewer_responsibility = reviewer_responsibility;
                self.at = Some(at);
            }
        }
    }
}
