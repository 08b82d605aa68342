//! The content read models, built from the log: posts with their channels, timeline,
//! temporal status history, approvals, rejections and open review steps; the temporal
//! approval policies; the versioned lexicon; legal reviews.
//!
//! Every timestamp comes from the events (the payload's `at`, or the event's
//! `occurred_at` where the payload has none), so a rebuild reproduces every row.
//! The post read models are derived from the [`chorus_content_domain::Post`] aggregate itself,
//! folded event by event (kept in `post_states` between batches): the domain decides
//! what a status or an open step is, the projection only writes it down. The post
//! tables are written per batch by [`PostBatch`].

use async_trait::async_trait;
use chorus_content_domain::{
    ApprovalPolicyEvent, LegalReviewEvent, LexiconEvent, PostEvent, VoidReason,
};
use chorus_kernel::projection::projection_error;
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};

use super::post_batch::PostBatch;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Projects every content-context event into the read-model tables.
#[derive(Debug, Default)]
pub struct ContentProjection;

/// The tables [`ContentProjection`] owns (emptied on rebuild).
pub const CONTENT_TABLES: &[&str] = &[
    "posts",
    "post_states",
    "post_channels",
    "post_timeline",
    "post_status_history",
    "post_approvals",
    "post_rejections",
    "post_open_steps",
    "post_open_step_signers",
    "approval_policies",
    "lexicon_terms",
    "legal_reviews",
];

pub(super) fn aggregate_uuid(event: &RecordedEvent) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&event.aggregate_id)
        .map_err(|_| StoreError::Metadata("aggregate id is not a uuid"))
}

pub(super) fn version(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Metadata("version out of range"))
}

pub(super) fn count(value: usize) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Metadata("count out of range"))
}

#[async_trait]
impl chorus_kernel::Projection for ContentProjection {
    fn name(&self) -> &'static str {
        "content"
    }

    fn tables(&self) -> &'static [&'static str] {
        CONTENT_TABLES
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    /// Posts are folded in memory over the batch and written set-based at its end
    /// ([`PostBatch`]); the other aggregates' events are rare and applied in place.
    async fn apply_batch(&self, tx: &mut DbTx, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let mut posts = PostBatch::load(tx, events).await?;
        for event in events {
            let applied = match event.aggregate_type.as_str() {
                "post" => posts.apply(tx, event).await,
                "approval_policy" => apply_policy(tx, event).await,
                "lexicon" => apply_lexicon(tx, event).await,
                "legal_review" => apply_legal_review(tx, event).await,
                _ => Ok(()),
            };
            applied.map_err(|e| projection_error(self.name(), event, e))?;
        }
        posts.write(tx).await
    }
}

// ---------------------------------------------------------------------------------------
// Posts
// ---------------------------------------------------------------------------------------

/// The instant a post event happened, from its payload.
pub(super) fn post_event_at(event: &PostEvent) -> DateTime<Utc> {
    match event {
        PostEvent::PostDrafted { at, .. }
        | PostEvent::PostEdited { at, .. }
        | PostEvent::ApprovalsVoided { at, .. }
        | PostEvent::PostSubmitted { at, .. }
        | PostEvent::PostWithdrawn { at, .. }
        | PostEvent::PostSigned { at, .. }
        | PostEvent::PostApproved { at, .. }
        | PostEvent::PostRejected { at, .. }
        | PostEvent::PostScheduled { at, .. }
        | PostEvent::PostPublished { at, .. }
        | PostEvent::PostRetracted { at, .. }
        | PostEvent::PostExpired { at }
        | PostEvent::PostLegallyBlocked { at, .. }
        | PostEvent::PostLegallyCleared { at, .. } => *at,
    }
}

pub(super) fn void_reason(reason: VoidReason) -> &'static str {
    match reason {
        VoidReason::Edited => "EDITED",
        VoidReason::Withdrawn => "WITHDRAWN",
        VoidReason::Resubmitted => "RESUBMITTED",
        VoidReason::LegallyBlocked => "LEGALLY_BLOCKED",
    }
}

/// The role an event's actor acted under, when the event records one:
/// (assignment, function, responsibility).
pub(super) fn acted_under(
    event: &PostEvent,
) -> (Option<Uuid>, Option<&'static str>, Option<&'static str>) {
    match event {
        PostEvent::PostSigned {
            assignment_id,
            function,
            responsibility,
            ..
        }
        | PostEvent::PostRejected {
            assignment_id,
            function,
            responsibility,
            ..
        } => (
            Some(*assignment_id),
            Some(function.as_str()),
            responsibility.map(|r| r.as_str()),
        ),
        PostEvent::PostPublished {
            delegated_authority: Some(authority),
            ..
        } => (
            Some(authority.assignment_id),
            Some(authority.function.as_str()),
            authority.responsibility.map(|r| r.as_str()),
        ),
        _ => (None, None, None),
    }
}

/// The policy version an event was decided under, when it names exactly one.
pub(super) fn decided_under(event: &PostEvent) -> Option<(Uuid, u64)> {
    match event {
        PostEvent::PostSigned {
            policy_id,
            policy_version,
            ..
        }
        | PostEvent::PostRejected {
            policy_id,
            policy_version,
            ..
        } => Some((*policy_id, *policy_version)),
        PostEvent::PostPublished {
            delegated_authority: Some(authority),
            ..
        } => Some((authority.policy_id, authority.policy_version)),
        PostEvent::PostSubmitted { policies, .. } if policies.len() == 1 => {
            policies.first().map(|p| (p.policy_id, p.version))
        }
        PostEvent::PostApproved { policies, .. } if policies.len() == 1 => {
            policies.first().map(|p| (p.policy_id, p.version))
        }
        _ => None,
    }
}

/// The event's fields as JSON; a submission lists its policy versions and scopes
/// rather than repeating every definition (those are in `approval_policies`).
pub(super) fn timeline_details(
    event: &RecordedEvent,
    decoded: &PostEvent,
) -> Result<String, StoreError> {
    let mut details = event
        .payload
        .as_object()
        .and_then(|variant| variant.values().next())
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    if let PostEvent::PostSubmitted { policies, .. } = decoded {
        if let Some(object) = details.as_object_mut() {
            object.insert(
                "policies".to_owned(),
                serde_json::Value::Array(
                    policies
                        .iter()
                        .map(|p| {
                            serde_json::json!({
                                "policy_id": p.policy_id,
                                "version": p.version,
                                "scope": p.scope,
                            })
                        })
                        .collect(),
                ),
            );
        }
    }
    Ok(serde_json::to_string(&details)?)
}

// ---------------------------------------------------------------------------------------
// Approval policies, lexicon, legal reviews
// ---------------------------------------------------------------------------------------

async fn apply_policy(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let policy_id = aggregate_uuid(event)?;
    // Policy events carry no time of their own: the event's is the change's.
    let at = event.metadata.occurred_at;
    match event.decode::<ApprovalPolicyEvent>()? {
        ApprovalPolicyEvent::PolicyDefined {
            policy_id: defined,
            organization_id,
            scope,
            version: v,
            definition,
            by,
        } => {
            let definition = serde_json::to_string(&definition)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO approval_policies (policy_id, version, organization_id, scope_kind, scope_id, \
                     definition, defined_by, valid_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(defined).bind(version(v)?).bind(organization_id).bind(scope.kind.as_str())
                .bind(scope.id).bind(&definition).bind(by).bind(at)
                .execute(c).await?;
            });
        }
        ApprovalPolicyEvent::PolicyRevised {
            version: v,
            definition,
            by,
        } => {
            let definition = serde_json::to_string(&definition)?;
            let new_version = version(v)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO approval_policies (policy_id, version, organization_id, scope_kind, scope_id, \
                     definition, defined_by, valid_from) \
                     SELECT policy_id, $1, organization_id, scope_kind, scope_id, $2, $3, $4 \
                     FROM approval_policies WHERE policy_id = $5 AND valid_to IS NULL AND version < $1",
                )
                .bind(new_version).bind(&definition).bind(by).bind(at).bind(policy_id)
                .execute(&mut *c).await?;
                sqlx::query(
                    "UPDATE approval_policies SET valid_to = $1 WHERE policy_id = $2 AND valid_to IS NULL AND version < $3",
                )
                .bind(at).bind(policy_id).bind(new_version)
                .execute(&mut *c).await?;
            });
        }
        ApprovalPolicyEvent::PolicyRetired { version: v, by } => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE approval_policies SET valid_to = $1, retired_at = $1, retired_by = $2 \
                 WHERE policy_id = $3 AND version = $4",
            )
            .bind(at).bind(by).bind(policy_id).bind(version(v)?)
            .execute(c).await?;
        }),
    }
    Ok(())
}

async fn apply_lexicon(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let org = event.metadata.organization_id;
    let at = event.metadata.occurred_at;
    match event.decode::<LexiconEvent>()? {
        LexiconEvent::LexiconTermAdded {
            organization_id,
            version: v,
            flag,
            term,
            by,
        } => on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO lexicon_terms (organization_id, flag, term, added_in_version, added_at, added_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(organization_id).bind(flag.as_str()).bind(&term).bind(version(v)?).bind(at).bind(by)
            .execute(c).await?;
        }),
        LexiconEvent::LexiconTermRemoved {
            version: v,
            flag,
            term,
            by,
        } => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE lexicon_terms SET removed_in_version = $1, removed_at = $2, removed_by = $3 \
                 WHERE organization_id = $4 AND flag = $5 AND term = $6 AND removed_in_version IS NULL",
            )
            .bind(version(v)?).bind(at).bind(by).bind(org).bind(flag.as_str()).bind(&term)
            .execute(c).await?;
        }),
    }
    Ok(())
}

async fn apply_legal_review(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    match event.decode::<LegalReviewEvent>()? {
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
            let references = serde_json::to_string(&references)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO legal_reviews (id, organization_id, subject_kind, subject_id, subject_reference, kind, \
                     outcome, conditions, notes, review_references, reviewer_id, reviewer_assignment_id, \
                     reviewer_responsibility, reviewed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(review_id).bind(organization_id).bind(subject_kind.as_str()).bind(subject_id)
                .bind(&subject_reference).bind(kind.as_str()).bind(outcome.as_str()).bind(&conditions)
                .bind(&notes).bind(&references).bind(reviewer_id).bind(reviewer_assignment_id)
                .bind(reviewer_responsibility.map(|r| r.as_str())).bind(at)
                .execute(c).await?;
            });
        }
    }
    Ok(())
}
