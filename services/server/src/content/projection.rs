//! The content read models, built from the log: posts with their channels, timeline,
//! temporal status history, approvals, rejections and open review steps; the temporal
//! approval policies; the versioned lexicon; legal reviews.
//!
//! Every timestamp comes from the events (the payload's `at`, or the event's
//! `occurred_at` where the payload has none), so a rebuild reproduces every row.
//! The post read models are derived from the [`Post`] aggregate itself, folded event by
//! event in `post_states`: the domain decides what a status or an open step is, the
//! projection only writes it down.

use async_trait::async_trait;
use chorus_content::policy::evaluate;
use chorus_content::{
    ApprovalPolicyEvent, LegalReviewEvent, LexiconEvent, Post, PostEvent, PostStatus, VoidReason,
};
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
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

fn aggregate_uuid(event: &RecordedEvent) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&event.aggregate_id)
        .map_err(|_| StoreError::Metadata("aggregate id is not a uuid"))
}

fn version(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Metadata("version out of range"))
}

fn count(value: usize) -> Result<i64, StoreError> {
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
        match event.aggregate_type.as_str() {
            "post" => apply_post(tx, event).await,
            "approval_policy" => apply_policy(tx, event).await,
            "lexicon" => apply_lexicon(tx, event).await,
            "legal_review" => apply_legal_review(tx, event).await,
            _ => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Posts
// ---------------------------------------------------------------------------------------

/// The instant a post event happened, from its payload.
fn post_event_at(event: &PostEvent) -> DateTime<Utc> {
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

fn void_reason(reason: VoidReason) -> &'static str {
    match reason {
        VoidReason::Edited => "EDITED",
        VoidReason::Withdrawn => "WITHDRAWN",
        VoidReason::Resubmitted => "RESUBMITTED",
        VoidReason::LegallyBlocked => "LEGALLY_BLOCKED",
    }
}

/// The role an event's actor acted under, when the event records one:
/// (assignment, function, responsibility).
fn acted_under(event: &PostEvent) -> (Option<Uuid>, Option<&'static str>, Option<&'static str>) {
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
fn decided_under(event: &PostEvent) -> Option<(Uuid, u64)> {
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
fn timeline_details(event: &RecordedEvent, decoded: &PostEvent) -> Result<String, StoreError> {
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

async fn apply_post(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let post_id = aggregate_uuid(event)?;
    let org = event.metadata.organization_id;
    let decoded: PostEvent = event.decode()?;
    let at = post_event_at(&decoded);

    // Fold the aggregate one event further.
    let stored: Option<String> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT state FROM post_states WHERE post_id = $1")
            .bind(post_id)
            .fetch_optional(c)
            .await?
    });
    let mut state: Post = match stored {
        Some(json) => serde_json::from_str(&json)?,
        None => Post::default(),
    };
    let before = state.status();
    state.apply(decoded.clone());
    let status = state
        .status()
        .ok_or(StoreError::Metadata("post event before PostDrafted"))?;
    let state_json = serde_json::to_string(&state)?;
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO post_states (post_id, organization_id, state) VALUES ($1, $2, $3) \
             ON CONFLICT (post_id) DO UPDATE SET state = excluded.state",
        )
        .bind(post_id).bind(org).bind(&state_json)
        .execute(c).await?;
    });

    // Rows created by the event itself.
    match &decoded {
        PostEvent::PostDrafted {
            author_id,
            author_roles,
            channel_ids,
            ..
        } => {
            let roles = serde_json::to_string(author_roles)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO posts (id, organization_id, author_id, status, text, media, flags, author_roles, \
                     approved_under, created_at, updated_at, last_sequence) \
                     VALUES ($1, $2, $3, $4, '', '[]', '[]', $5, '[]', $6, $6, $7)",
                )
                .bind(post_id).bind(org).bind(author_id).bind(status.as_str()).bind(&roles)
                .bind(at).bind(event.sequence)
                .execute(&mut *c).await?;
                for (index, channel_id) in channel_ids.iter().enumerate() {
                    // The owning team, from the teams read model in the same transaction.
                    let team_id: Option<Uuid> = sqlx::query_scalar("SELECT team_id FROM channels WHERE id = $1")
                        .bind(channel_id)
                        .fetch_optional(&mut *c).await?;
                    sqlx::query(
                        "INSERT INTO post_channels (post_id, channel_id, organization_id, team_id, channel_order, status) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(post_id).bind(channel_id).bind(org).bind(team_id)
                    .bind(count(index)?).bind(status.as_str())
                    .execute(&mut *c).await?;
                }
            });
        }
        PostEvent::PostSigned {
            step,
            policy_id,
            policy_version,
            signer_id,
            assignment_id,
            function,
            responsibility,
            comment,
            at: signed_at,
        } => on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO post_approvals (post_id, sequence, organization_id, signer_id, assignment_id, function, \
                 responsibility, step, policy_id, policy_version, signed_at, comment) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(post_id).bind(event.sequence).bind(org).bind(signer_id).bind(assignment_id)
            .bind(function.as_str()).bind(responsibility.map(|r| r.as_str())).bind(step)
            .bind(policy_id).bind(version(*policy_version)?).bind(signed_at).bind(comment)
            .execute(c).await?;
        }),
        PostEvent::PostRejected {
            step,
            policy_id,
            policy_version,
            signer_id,
            assignment_id,
            function,
            responsibility,
            comment,
            at: rejected_at,
        } => on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO post_rejections (post_id, sequence, organization_id, signer_id, assignment_id, function, \
                 responsibility, step, policy_id, policy_version, rejected_at, comment) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(post_id).bind(event.sequence).bind(org).bind(signer_id).bind(assignment_id)
            .bind(function.as_str()).bind(responsibility.map(|r| r.as_str())).bind(step)
            .bind(policy_id).bind(version(*policy_version)?).bind(rejected_at).bind(comment)
            .execute(c).await?;
        }),
        PostEvent::ApprovalsVoided { voided, reason, .. } => on_tx!(tx, c => {
            for signature in voided {
                sqlx::query(
                    "UPDATE post_approvals SET voided_at = $1, void_reason = $2 \
                     WHERE post_id = $3 AND policy_id = $4 AND step = $5 AND signer_id = $6 AND voided_at IS NULL",
                )
                .bind(at).bind(void_reason(*reason)).bind(post_id).bind(signature.policy_id)
                .bind(&signature.step).bind(signature.signer_id)
                .execute(&mut *c).await?;
            }
            sqlx::query("UPDATE posts SET approved_at = NULL WHERE id = $1")
                .bind(post_id).execute(&mut *c).await?;
        }),
        PostEvent::PostApproved { .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE posts SET approved_at = $1 WHERE id = $2")
                .bind(at).bind(post_id).execute(c).await?;
        }),
        PostEvent::PostLegallyBlocked { .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE posts SET legally_blocked_at = $1 WHERE id = $2")
                .bind(at).bind(post_id).execute(c).await?;
        }),
        PostEvent::PostLegallyCleared { .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE posts SET legally_blocked_at = NULL WHERE id = $1")
                .bind(post_id).execute(c).await?;
        }),
        PostEvent::PostExpired { .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE posts SET expired_at = $1 WHERE id = $2")
                .bind(at).bind(post_id).execute(c).await?;
        }),
        _ => {}
    }

    write_post_row(tx, post_id, &state, status, at, event.sequence).await?;
    write_timeline(tx, event, &decoded, post_id, org, at).await?;
    if before != Some(status) {
        write_status_change(tx, post_id, org, status, at).await?;
    }
    write_open_steps(tx, post_id, org, &state, status).await?;
    Ok(())
}

/// Writes the post's current state (and its channels' copy of status and schedule).
async fn write_post_row(
    tx: &mut DbTx,
    post_id: Uuid,
    state: &Post,
    status: PostStatus,
    at: DateTime<Utc>,
    sequence: i64,
) -> Result<(), StoreError> {
    let media = serde_json::to_string(state.media())?;
    let flags = serde_json::to_string(state.flags())?;
    let approved_under = serde_json::to_string(state.approved_under())?;
    let publication = state.publication();
    let delegated = publication.and_then(|p| p.delegated_authority);
    let delegated_version = delegated.map(|d| version(d.policy_version)).transpose()?;
    let retraction = state.retraction();
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE posts SET status = $1, text = $2, media = $3, campaign = $4, scheduled_at = $5, flags = $6, \
             legal_block_review_id = $7, approved_under = $8, published_by = $9, published_network_post_id = $10, \
             published_url = $11, published_at = $12, delegated_policy_id = $13, delegated_policy_version = $14, \
             delegated_assignment_id = $15, delegated_function = $16, delegated_responsibility = $17, \
             retracted_at = $18, retracted_by = $19, retraction_reason = $20, updated_at = $21, last_sequence = $22 \
             WHERE id = $23",
        )
        .bind(status.as_str())
        .bind(state.text())
        .bind(&media)
        .bind(state.campaign())
        .bind(state.scheduled_at())
        .bind(&flags)
        .bind(state.legal_block())
        .bind(&approved_under)
        .bind(publication.map(|p| p.publisher_id))
        .bind(publication.map(|p| p.network_post_id.as_str()))
        .bind(publication.map(|p| p.url.as_str()))
        .bind(publication.map(|p| p.at))
        .bind(delegated.map(|d| d.policy_id))
        .bind(delegated_version)
        .bind(delegated.map(|d| d.assignment_id))
        .bind(delegated.map(|d| d.function.as_str()))
        .bind(delegated.and_then(|d| d.responsibility).map(|r| r.as_str()))
        .bind(retraction.map(|r| r.at))
        .bind(retraction.map(|r| r.by))
        .bind(retraction.map(|r| r.reason.as_str()))
        .bind(at)
        .bind(sequence)
        .bind(post_id)
        .execute(&mut *c).await?;
        sqlx::query("UPDATE post_channels SET status = $1, scheduled_at = $2 WHERE post_id = $3")
            .bind(status.as_str()).bind(state.scheduled_at()).bind(post_id)
            .execute(&mut *c).await?;
    });
    Ok(())
}

async fn write_timeline(
    tx: &mut DbTx,
    event: &RecordedEvent,
    decoded: &PostEvent,
    post_id: Uuid,
    org: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (assignment_id, function, responsibility) = acted_under(decoded);
    let policy = decided_under(decoded);
    let policy_version = policy.map(|(_, v)| version(v)).transpose()?;
    let details = timeline_details(event, decoded)?;
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO post_timeline (post_id, sequence, organization_id, global_position, event_type, actor_kind, \
             actor_id, assignment_id, function, responsibility, occurred_at, policy_id, policy_version, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(post_id).bind(event.sequence).bind(org).bind(event.position.global_position)
        .bind(&event.event_type).bind(event.metadata.actor.kind.as_str()).bind(event.metadata.actor.id)
        .bind(assignment_id).bind(function).bind(responsibility).bind(at)
        .bind(policy.map(|(id, _)| id)).bind(policy_version).bind(&details)
        .execute(c).await?;
    });
    Ok(())
}

/// Closes the open status interval and opens one for `status` at `at`. Changes within
/// one instant (one command's events) replace the open interval's status instead of
/// leaving an empty interval behind.
async fn write_status_change(
    tx: &mut DbTx,
    post_id: Uuid,
    org: Uuid,
    status: PostStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        // Compared in SQL: the stored instant may be coarser than the event's (PostgreSQL
        // keeps microseconds), and both sides go through the same encoding there.
        let replaced = sqlx::query(
            "UPDATE post_status_history SET status = $1 WHERE post_id = $2 AND valid_to IS NULL AND valid_from = $3",
        )
        .bind(status.as_str()).bind(post_id).bind(at)
        .execute(&mut *c).await?
        .rows_affected();
        if replaced == 0 {
            sqlx::query("UPDATE post_status_history SET valid_to = $1 WHERE post_id = $2 AND valid_to IS NULL")
                .bind(at).bind(post_id).execute(&mut *c).await?;
            sqlx::query(
                "INSERT INTO post_status_history (post_id, valid_from, organization_id, status) VALUES ($1, $2, $3, $4)",
            )
            .bind(post_id).bind(at).bind(org).bind(status.as_str())
            .execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// Recomputes the post's open review steps with the policy engine: every applicable,
/// incomplete step of the policy versions recorded at submission, while in review.
async fn write_open_steps(
    tx: &mut DbTx,
    post_id: Uuid,
    org: Uuid,
    state: &Post,
    status: PostStatus,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query("DELETE FROM post_open_step_signers WHERE post_id = $1")
            .bind(post_id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM post_open_steps WHERE post_id = $1")
            .bind(post_id).execute(&mut *c).await?;
    });
    if status != PostStatus::InReview {
        return Ok(());
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
        let policy_id = step.policy.policy_id;
        let name = step.step.name.as_str();
        let policy_version = version(step.policy.version)?;
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO post_open_steps (post_id, policy_id, step, organization_id, policy_version, step_order, \
                 required_signatures, signatures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(post_id).bind(policy_id).bind(name).bind(org).bind(policy_version)
            .bind(count(order)?).bind(count(step.required)?).bind(count(step.signed)?)
            .execute(&mut *c).await?;
            for (index, rule) in step.step.signers.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO post_open_step_signers (post_id, policy_id, step, rule_index, organization_id, \
                     function, responsibility) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(post_id).bind(policy_id).bind(name).bind(count(index)?).bind(org)
                .bind(rule.function.as_str()).bind(rule.responsibility.map(|r| r.as_str()))
                .execute(&mut *c).await?;
            }
        });
    }
    Ok(())
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
