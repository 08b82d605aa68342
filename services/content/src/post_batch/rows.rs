//! The rows a batch writes besides `post_states`: timeline entries, decisions, the
//! `posts` row and the open review steps.

use chorus_content_domain::policy::evaluate;
use chorus_content_domain::{PostEvent, PostStatus};
use chorus_kernel::{RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{status_of, CachedPost};
use crate::projection::{count, version};

pub(super) struct TimelineRow {
    pub(super) post_id: Uuid,
    pub(super) sequence: i64,
    pub(super) organization_id: Uuid,
    pub(super) global_position: i64,
    pub(super) event_type: String,
    pub(super) actor_kind: &'static str,
    pub(super) actor_id: Option<Uuid>,
    pub(super) assignment_id: Option<Uuid>,
    pub(super) function: Option<&'static str>,
    pub(super) responsibility: Option<&'static str>,
    pub(super) occurred_at: DateTime<Utc>,
    pub(super) policy_id: Option<Uuid>,
    pub(super) policy_version: Option<i64>,
    pub(super) details: String,
}

/// A signature (`post_approvals`) or a refusal (`post_rejections`): same columns, except
/// that only approvals can be voided.
pub(super) struct DecisionRow {
    pub(super) post_id: Uuid,
    pub(super) sequence: i64,
    pub(super) organization_id: Uuid,
    pub(super) signer_id: Uuid,
    pub(super) assignment_id: Uuid,
    pub(super) function: &'static str,
    pub(super) responsibility: Option<&'static str>,
    pub(super) step: String,
    pub(super) policy_id: Uuid,
    pub(super) policy_version: i64,
    pub(super) at: DateTime<Utc>,
    pub(super) comment: Option<String>,
    pub(super) voided_at: Option<DateTime<Utc>>,
    pub(super) void_reason: Option<&'static str>,
}

impl DecisionRow {
    /// The row of a `PostSigned` or `PostRejected` (both record the same decision fields).
    pub(super) fn new(
        post_id: Uuid,
        event: &RecordedEvent,
        decoded: &PostEvent,
    ) -> Result<Self, StoreError> {
        // Only the comment differs: optional on a signature, required on a rejection.
        let comment = match decoded {
            PostEvent::PostSigned { comment, .. } => comment.clone(),
            PostEvent::PostRejected { comment, .. } => Some(comment.clone()),
            _ => None,
        };
        let (PostEvent::PostSigned {
            step,
            policy_id,
            policy_version,
            signer_id,
            assignment_id,
            function,
            responsibility,
            at,
            ..
        }
        | PostEvent::PostRejected {
            step,
            policy_id,
            policy_version,
            signer_id,
            assignment_id,
            function,
            responsibility,
            at,
            ..
        }) = decoded
        else {
            return Err(StoreError::Metadata("not a signature or a rejection"));
        };
        Ok(Self {
            post_id,
            sequence: event.sequence,
            organization_id: event.metadata.organization_id,
            signer_id: *signer_id,
            assignment_id: *assignment_id,
            function: function.as_str(),
            responsibility: responsibility.map(|r| r.as_str()),
            step: step.clone(),
            policy_id: *policy_id,
            policy_version: version(*policy_version)?,
            at: *at,
            comment,
            voided_at: None,
            void_reason: None,
        })
    }
}

/// The `posts` row of a post, from its state and the batch's columns.
pub(super) struct PostRow<'a> {
    pub(super) id: Uuid,
    pub(super) organization_id: Uuid,
    pub(super) author_id: Uuid,
    pub(super) status: &'static str,
    pub(super) text: &'a str,
    pub(super) media: String,
    pub(super) campaign: Option<&'a str>,
    pub(super) scheduled_at: Option<DateTime<Utc>>,
    pub(super) flags: String,
    pub(super) author_roles: String,
    pub(super) legal_block_review_id: Option<Uuid>,
    pub(super) legally_blocked_at: Option<DateTime<Utc>>,
    pub(super) approved_at: Option<DateTime<Utc>>,
    pub(super) approved_under: String,
    pub(super) published_by: Option<Uuid>,
    pub(super) published_network_post_id: Option<&'a str>,
    pub(super) published_url: Option<&'a str>,
    pub(super) published_at: Option<DateTime<Utc>>,
    pub(super) delegated_policy_id: Option<Uuid>,
    pub(super) delegated_policy_version: Option<i64>,
    pub(super) delegated_assignment_id: Option<Uuid>,
    pub(super) delegated_function: Option<&'static str>,
    pub(super) delegated_responsibility: Option<&'static str>,
    pub(super) retracted_at: Option<DateTime<Utc>>,
    pub(super) retracted_by: Option<Uuid>,
    pub(super) retraction_reason: Option<&'a str>,
    pub(super) expired_at: Option<DateTime<Utc>>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) last_sequence: i64,
}

impl<'a> PostRow<'a> {
    pub(super) fn new(id: Uuid, post: &'a CachedPost) -> Result<Self, StoreError> {
        let state = &post.state;
        let publication = state.publication();
        let delegated = publication.and_then(|p| p.delegated_authority);
        let retraction = state.retraction();
        Ok(Self {
            id,
            organization_id: post.organization_id,
            author_id: state
                .author_id()
                .ok_or(StoreError::Metadata("post event before PostDrafted"))?,
            status: status_of(post),
            text: state.text(),
            media: serde_json::to_string(state.media())?,
            campaign: state.campaign(),
            scheduled_at: state.scheduled_at(),
            flags: serde_json::to_string(state.flags())?,
            author_roles: serde_json::to_string(state.author_roles())?,
            legal_block_review_id: state.legal_block(),
            legally_blocked_at: post.legally_blocked_at,
            approved_at: post.approved_at,
            approved_under: serde_json::to_string(state.approved_under())?,
            published_by: publication.map(|p| p.publisher_id),
            published_network_post_id: publication.map(|p| p.network_post_id.as_str()),
            published_url: publication.map(|p| p.url.as_str()),
            published_at: publication.map(|p| p.at),
            delegated_policy_id: delegated.map(|d| d.policy_id),
            delegated_policy_version: delegated.map(|d| version(d.policy_version)).transpose()?,
            delegated_assignment_id: delegated.map(|d| d.assignment_id),
            delegated_function: delegated.map(|d| d.function.as_str()),
            delegated_responsibility: delegated.and_then(|d| d.responsibility).map(|r| r.as_str()),
            retracted_at: retraction.map(|r| r.at),
            retracted_by: retraction.map(|r| r.by),
            retraction_reason: retraction.map(|r| r.reason.as_str()),
            expired_at: post.expired_at,
            created_at: post.created_at,
            updated_at: post.updated_at,
            last_sequence: post.last_sequence,
        })
    }
}

pub(super) struct OpenStepRow {
    pub(super) post_id: Uuid,
    pub(super) policy_id: Uuid,
    pub(super) step: String,
    pub(super) organization_id: Uuid,
    pub(super) policy_version: i64,
    pub(super) order: i64,
    pub(super) required: i64,
    pub(super) signed: i64,
}

pub(super) struct OpenSignerRow {
    pub(super) post_id: Uuid,
    pub(super) policy_id: Uuid,
    pub(super) step: String,
    pub(super) rule_index: i64,
    pub(super) organization_id: Uuid,
    pub(super) function: &'static str,
    pub(super) responsibility: Option<&'static str>,
}

#[derive(Default)]
pub(super) struct OpenSteps {
    pub(super) steps: Vec<OpenStepRow>,
    pub(super) signers: Vec<OpenSignerRow>,
}

/// Every applicable, incomplete step of the policy versions recorded at submission, for
/// the posts left in review, with the policy engine.
pub(super) fn open_steps(posts: &[(Uuid, &CachedPost)]) -> Result<OpenSteps, StoreError> {
    let mut open = OpenSteps::default();
    for (post_id, post) in posts {
        let state = &post.state;
        if state.status() != Some(PostStatus::InReview) {
            continue;
        }
        let statuses = evaluate::review_status(
            state.policies(),
            &state.flag_values(),
            state.channel_ids(),
            state.author_roles(),
            state.signatures(),
        );
        for (order, step) in statuses.iter().enumerate() {
            if step.is_complete() {
                continue;
            }
            for (index, rule) in step.step.signers.iter().enumerate() {
                open.signers.push(OpenSignerRow {
                    post_id: *post_id,
                    policy_id: step.policy.policy_id,
                    step: step.step.name.as_str().to_owned(),
                    rule_index: count(index)?,
                    organization_id: post.organization_id,
                    function: rule.function.as_str(),
                    responsibility: rule.responsibility.map(|r| r.as_str()),
                });
            }
            open.steps.push(OpenStepRow {
                post_id: *post_id,
                policy_id: step.policy.policy_id,
                step: step.step.name.as_str().to_owned(),
                organization_id: post.organization_id,
                policy_version: version(step.policy.version)?,
                order: count(order)?,
                required: count(step.required)?,
                signed: count(step.signed)?,
            });
        }
    }
    Ok(open)
}
