//! Review: a post is submitted under the policies that apply, signed off step by step
//! (four eyes, one signature per signer per step) or rejected, withdrawn, and blocked or
//! cleared by legal reviews; it is approved once every applicable step is complete.

use chorus_shared::refuse_if;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::drafting::check_schedule;
use super::{Decision, Post};
use crate::policy::evaluate::{self, StepStatus};
use crate::policy::PolicySnapshot;
use crate::post::{AppliedPolicy, PostError, PostEvent, VoidReason};
use crate::values::{Comment, HeldRole, PostStatus, ReviewOutcome, StepName, ValueError};

impl Post {
    pub(super) fn submit(
        &self,
        policies: Vec<PolicySnapshot>,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_author(by)?;
        self.ensure_status(&[PostStatus::Draft, PostStatus::Rejected])?;
        if policies.iter().enumerate().any(|(index, policy)| {
            policies[..index]
                .iter()
                .any(|other| other.policy_id == policy.policy_id)
        }) {
            return Err(ValueError::new("policies", "must not repeat a policy").into());
        }
        check_schedule(self.scheduled_at, now)?;
        let mut events: Vec<PostEvent> = self
            .voiding(VoidReason::Resubmitted, now)
            .into_iter()
            .collect();
        events.push(PostEvent::PostSubmitted {
            policies,
            by,
            at: now,
        });
        Ok(Decision::EventsThenApproval(events, now))
    }

    pub(super) fn withdraw(&self, by: Uuid, now: DateTime<Utc>) -> Result<Decision, PostError> {
        self.ensure_author(by)?;
        self.ensure_status(&[PostStatus::InReview])?;
        let mut events: Vec<PostEvent> = self
            .voiding(VoidReason::Withdrawn, now)
            .into_iter()
            .collect();
        events.push(PostEvent::PostWithdrawn { by, at: now });
        Ok(Decision::Events(events))
    }

    pub(super) fn approve(
        &self,
        signer_id: Uuid,
        signer_roles: &[HeldRole],
        step: Option<StepName>,
        comment: Option<Comment>,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        let author_id = self.ensure_exists()?;
        self.ensure_status(&[PostStatus::InReview])?;
        self.ensure_not_blocked()?;
        refuse_if(
            self.scheduled_at.is_some_and(|at| now >= at),
            PostError::ApprovalAfterSchedule,
        )?;
        refuse_if(signer_id == author_id, PostError::FourEyes)?;
        let statuses = self.review_status();
        let candidates: Vec<StepStatus<'_>> = match &step {
            Some(name) => {
                let named: Vec<StepStatus<'_>> = statuses
                    .iter()
                    .filter(|status| status.step.name == *name)
                    .copied()
                    .collect();
                if named.is_empty() {
                    return Err(PostError::UnknownStep {
                        step: name.to_string(),
                    });
                }
                named
            }
            None => statuses,
        };
        let (chosen, role) = self.choose_step(&candidates, signer_id, signer_roles)?;
        let event = PostEvent::PostSigned {
            step: chosen.step.name.to_string(),
            policy_id: chosen.policy.policy_id,
            policy_version: chosen.policy.version,
            signer_id,
            assignment_id: role.assignment_id,
            function: role.function,
            responsibility: role.responsibility,
            comment: comment
                .filter(|comment| !comment.is_empty())
                .map(String::from),
            at: now,
        };
        Ok(Decision::EventsThenApproval(vec![event], now))
    }

    pub(super) fn reject(
        &self,
        signer_id: Uuid,
        signer_roles: &[HeldRole],
        comment: Comment,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        let author_id = self.ensure_exists()?;
        self.ensure_status(&[PostStatus::InReview])?;
        if comment.is_empty() {
            return Err(ValueError::new("comment", "must not be empty").into());
        }
        refuse_if(signer_id == author_id, PostError::FourEyes)?;
        let statuses = self.review_status();
        let pending: Vec<StepStatus<'_>> = statuses
            .iter()
            .filter(|status| !status.is_complete())
            .copied()
            .collect();
        let candidates = if pending.is_empty() {
            &statuses
        } else {
            &pending
        };
        let Some((status, role)) = candidates.iter().find_map(|status| {
            evaluate::entitled_role(status.step, signer_roles).map(|role| (status, role))
        }) else {
            return Err(PostError::NotEntitled {
                step: candidates
                    .first()
                    .map(|status| status.step.name.to_string())
                    .unwrap_or_default(),
            });
        };
        Ok(Decision::Events(vec![PostEvent::PostRejected {
            step: status.step.name.to_string(),
            policy_id: status.policy.policy_id,
            policy_version: status.policy.version,
            signer_id,
            assignment_id: role.assignment_id,
            function: role.function,
            responsibility: role.responsibility,
            comment: comment.into_inner(),
            at: now,
        }]))
    }

    pub(super) fn apply_legal_review(
        &self,
        review_id: Uuid,
        outcome: ReviewOutcome,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_exists()?;
        if outcome.is_clearing() {
            return Ok(Decision::EventsThenApproval(
                vec![PostEvent::PostLegallyCleared { review_id, at: now }],
                now,
            ));
        }
        let mut events = Vec::new();
        if matches!(self.status, PostStatus::Approved | PostStatus::Scheduled) {
            events.extend(self.voiding(VoidReason::LegallyBlocked, now));
        }
        events.push(PostEvent::PostLegallyBlocked { review_id, at: now });
        Ok(Decision::Events(events))
    }

    /// The event voiding the collected signatures, when there is anything
    /// (a signature or an approval) to void.
    pub(super) fn voiding(&self, reason: VoidReason, at: DateTime<Utc>) -> Option<PostEvent> {
        let approved = matches!(self.status, PostStatus::Approved | PostStatus::Scheduled);
        (approved || !self.signatures.is_empty()).then(|| PostEvent::ApprovalsVoided {
            voided: self.signatures.clone(),
            reason,
            at,
        })
    }

    /// `PostApproved` when the post is in review, unblocked and every
    /// applicable step is complete.
    pub(super) fn approval_if_complete(&self, at: DateTime<Utc>) -> Option<PostEvent> {
        let complete = self.status == PostStatus::InReview
            && self.legal_block.is_none()
            && evaluate::is_fully_approved(&self.review_status());
        complete.then(|| PostEvent::PostApproved {
            policies: self
                .policies
                .iter()
                .map(|policy| AppliedPolicy {
                    policy_id: policy.policy_id,
                    version: policy.version,
                })
                .collect(),
            at,
        })
    }

    /// Picks the step `signer_id` signs among `candidates` (steps with a
    /// given name, or every applicable step), applying the refusal order
    /// "not entitled", "already signed", "step complete".
    fn choose_step<'a>(
        &self,
        candidates: &[StepStatus<'a>],
        signer_id: Uuid,
        signer_roles: &'a [HeldRole],
    ) -> Result<(StepStatus<'a>, &'a HeldRole), PostError> {
        let entitled: Vec<(StepStatus<'a>, &'a HeldRole)> = candidates
            .iter()
            .filter_map(|status| {
                evaluate::entitled_role(status.step, signer_roles).map(|role| (*status, role))
            })
            .collect();
        if entitled.is_empty() {
            let step = candidates
                .iter()
                .find(|status| !status.is_complete())
                .or(candidates.first())
                .map(|status| status.step.name.to_string())
                .unwrap_or_default();
            return Err(PostError::NotEntitled { step });
        }
        if let Some(choice) = entitled.iter().find(|(status, _)| {
            !status.is_complete() && !status.signed_by(signer_id, &self.signatures)
        }) {
            return Ok(*choice);
        }
        if let Some((status, _)) = entitled
            .iter()
            .find(|(status, _)| status.signed_by(signer_id, &self.signatures))
        {
            return Err(PostError::AlreadySigned {
                step: status.step.name.to_string(),
            });
        }
        let step = entitled
            .first()
            .map(|(status, _)| status.step.name.to_string())
            .unwrap_or_default();
        Err(PostError::StepComplete { step })
    }
}
