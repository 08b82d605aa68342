//! Publication and after: a post is scheduled, published (approved, or under a policy's
//! delegated authority when it carries no flag), retracted once live, or expires when its
//! time passes before approval.

use chorus_shared::refuse_if;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::drafting::check_schedule;
use super::{Decision, Post};
use crate::policy::evaluate;
use crate::policy::PolicySnapshot;
use crate::post::{DelegatedAuthority, PostError, PostEvent};
use crate::values::{Comment, HeldRole, NetworkPostId, PostStatus, PublishedUrl, ValueError};

impl Post {
    pub(super) fn schedule(
        &self,
        scheduled_at: DateTime<Utc>,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_author(by)?;
        self.ensure_status(&[
            PostStatus::Draft,
            PostStatus::InReview,
            PostStatus::Approved,
            PostStatus::Scheduled,
        ])?;
        check_schedule(Some(scheduled_at), now)?;
        Ok(Decision::Events(vec![PostEvent::PostScheduled {
            scheduled_at,
            by,
            at: now,
        }]))
    }

    pub(super) fn mark_published(
        &self,
        publisher_id: Uuid,
        publisher_roles: &[HeldRole],
        network_post_id: NetworkPostId,
        url: PublishedUrl,
        delegation_policies: &[PolicySnapshot],
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_exists()?;
        refuse_if(self.status == PostStatus::Expired, PostError::PostExpired)?;
        if matches!(self.status, PostStatus::Published | PostStatus::Retracted) {
            return Err(PostError::InvalidStatus {
                status: self.status,
            });
        }
        self.ensure_not_blocked()?;
        let delegated_authority = match self.status {
            PostStatus::Approved | PostStatus::Scheduled => None,
            PostStatus::Draft | PostStatus::InReview if self.flags.is_empty() => {
                let authority = self
                    .policies
                    .iter()
                    .chain(delegation_policies.iter())
                    .find_map(|policy| {
                        evaluate::delegation_role(policy, publisher_roles).map(|role| {
                            DelegatedAuthority {
                                policy_id: policy.policy_id,
                                policy_version: policy.version,
                                assignment_id: role.assignment_id,
                                function: role.function,
                                responsibility: role.responsibility,
                            }
                        })
                    })
                    .ok_or(PostError::NotApproved)?;
                Some(authority)
            }
            _ => return Err(PostError::NotApproved),
        };
        Ok(Decision::Events(vec![PostEvent::PostPublished {
            publisher_id,
            network_post_id: network_post_id.into_inner(),
            url: url.into_inner(),
            delegated_authority,
            at: now,
        }]))
    }

    pub(super) fn retract(
        &self,
        reason: Comment,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Decision, PostError> {
        self.ensure_exists()?;
        self.ensure_status(&[PostStatus::Published])?;
        if reason.is_empty() {
            return Err(ValueError::new("reason", "must not be empty").into());
        }
        Ok(Decision::Events(vec![PostEvent::PostRetracted {
            reason: reason.into_inner(),
            by,
            at: now,
        }]))
    }

    pub(super) fn expire(&self, now: DateTime<Utc>) -> Result<Decision, PostError> {
        self.ensure_exists()?;
        let due = self.scheduled_at.is_some_and(|at| at <= now);
        let open = matches!(
            self.status,
            PostStatus::Draft | PostStatus::InReview | PostStatus::Rejected
        );
        refuse_if(!(due && open), PostError::NotExpirable)?;
        Ok(Decision::Events(vec![PostEvent::PostExpired { at: now }]))
    }
}
