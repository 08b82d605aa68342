//! The content slice's query root (`ContentQuery`) and the filters of its history lists.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::error::{ApiError, Gql};
use chorus_api::{decode_id, page_complexity};
use chorus_teams::api::{loader, ChannelById};
use chorus_teams::graphql::Channel;
use chrono::{DateTime, Utc};

use super::approval::Approval;
use super::calendar::CalendarEntry;
use super::compliance::ComplianceViolation;
use super::enums::{
    ComplianceViolationKind, PostStatus, ReviewKind, ReviewOutcome, ReviewSubjectKind,
};
use super::legal_review::LegalReview;
use super::lexicon::{lexicon_now, Lexicon};
use super::policy::{scope_of, ApprovalPolicy, PolicyScopeInput};
use super::post::{Post, PostSnapshot};
use super::shared::{batch, decode_opt, find, keyset, keyset_connection, paged, reading};
use crate::read::{self, ApprovalFilter, ApprovalsOfPost, KeysetKey, ReviewFilter};

/// Filters of the approval history.
#[derive(InputObject, Default)]
pub struct ApprovalFilterInput {
    approver_id: Option<ID>,
    post_id: Option<ID>,
    channel_id: Option<ID>,
    team_id: Option<ID>,
    policy_id: Option<ID>,
    policy_version: Option<i64>,
    /// Signed at or after.
    from: Option<DateTime<Utc>>,
    /// Signed before.
    to: Option<DateTime<Utc>>,
    /// Include approvals voided later (edit, withdrawal, resubmission, legal block).
    #[graphql(default = false)]
    include_voided: bool,
}

/// Filters of the legal-review history.
#[derive(InputObject, Default)]
pub struct LegalReviewFilterInput {
    reviewer_id: Option<ID>,
    /// Reviews of this post.
    post_id: Option<ID>,
    subject_kind: Option<ReviewSubjectKind>,
    kind: Option<ReviewKind>,
    outcome: Option<ReviewOutcome>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct ContentQuery;

#[Object]
impl ContentQuery {
    /// A post of the organization.
    async fn post(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Post>> {
        async {
            let batch = batch(ctx)?;
            let row = find(ctx, "Post", &id, read::post).await?;
            Ok(row.map(|row| Post::new(row, &batch)))
        }
        .await
        .gql()
    }

    /// An approval policy, at its current (or last) version.
    async fn approval_policy(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<ApprovalPolicy>> {
        let row = find(ctx, "ApprovalPolicy", &id, read::policy).await.gql()?;
        Ok(row.map(ApprovalPolicy))
    }

    /// Approval policies in force now, by id.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approval_policies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ApprovalPolicy>> {
        let by_id = |r: &read::PolicyRow| r.policy_id;
        paged(ctx, first, after, read::policies_now, by_id, ApprovalPolicy)
            .await
            .gql()
    }

    /// The organization's flagging lexicon.
    async fn lexicon(&self, ctx: &Context<'_>) -> async_graphql::Result<Lexicon> {
        async {
            let (_, org, _) = reading(ctx)?;
            lexicon_now(ctx, org).await
        }
        .await
        .gql()
    }

    /// A legal review.
    async fn legal_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<LegalReview>> {
        let row = find(ctx, "LegalReview", &id, read::legal_review)
            .await
            .gql()?;
        Ok(row.map(LegalReview))
    }

    /// Posts waiting for a signature the viewer may give now: in review, not legally
    /// blocked, not the viewer's own, with an open step whose signer rules match one of
    /// the viewer's qualifying roles and that the viewer has not signed.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approval_inbox(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Post>> {
        async {
            let (principal, _, _) = reading(ctx)?;
            let viewer =
                crate::commands::person_id(principal, "the approval inbox belongs to a person")?;
            let batch = batch(ctx)?;
            let inbox =
                |db, org, page| read::approval_inbox(db, org, viewer, chorus_kernel::now(), page);
            let by_id = |r: &read::PostRow| r.id;
            paged(ctx, first, after, inbox, by_id, |row| {
                Post::new(row, &batch)
            })
            .await
        }
        .await
        .gql()
    }

    /// Posts by scheduled time in `[from, to)`, one entry per channel, optionally for one
    /// team or one channel.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn content_calendar(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        team_id: Option<ID>,
        channel_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CalendarEntry>> {
        async {
            let (_, org, db) = reading(ctx)?;
            if to <= from {
                return Err(ApiError::bad_input("to", "must be after from"));
            }
            let page = keyset(ctx, first, after)?;
            let team = decode_opt("Team", "teamId", &team_id)?;
            let channel = decode_opt("Channel", "channelId", &channel_id)?;
            let rows = read::calendar(db, org, from, to, team, channel, page).await?;
            let channels = loader(ctx)?
                .load_many(rows.iter().map(|r| ChannelById(r.channel_id)))
                .await?;
            let batch = batch(ctx)?;
            let mut entries = Vec::with_capacity(rows.len());
            for row in rows {
                let key = KeysetKey {
                    at: row.post.scheduled_at,
                    id: row.post.id,
                    seq: row.channel_order,
                };
                let status = PostStatus::from_stored("posts", "status", &row.post.status)?;
                entries.push((
                    key,
                    CalendarEntry {
                        channel: channels
                            .get(&ChannelById(row.channel_id))
                            .cloned()
                            .map(Channel),
                        scheduled_at: row.post.scheduled_at,
                        status,
                        post: Post::new(row.post, &batch),
                    },
                ));
            }
            Ok(keyset_connection(entries, page, |(k, _)| *k, |(_, e)| e))
        }
        .await
        .gql()
    }

    /// The auditor's approval history, by signing time.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approvals(
        &self,
        ctx: &Context<'_>,
        filter: Option<ApprovalFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Approval>> {
        async {
            let f = filter.unwrap_or_default();
            let approvals = |db, org, page| async move {
                let decode = decode_opt;
                let filter = ApprovalFilter {
                    approver_id: decode("Person", "filter.approverId", &f.approver_id)?,
                    post_id: decode("Post", "filter.postId", &f.post_id)?,
                    channel_id: decode("Channel", "filter.channelId", &f.channel_id)?,
                    team_id: decode("Team", "filter.teamId", &f.team_id)?,
                    policy_id: decode("ApprovalPolicy", "filter.policyId", &f.policy_id)?,
                    policy_version: f.policy_version,
                    from: f.from,
                    to: f.to,
                    include_voided: f.include_voided,
                };
                read::approvals(db, org, &filter, page).await
            };
            let batch = batch(ctx)?;
            let key = |r: &read::ApprovalRow| KeysetKey {
                at: Some(r.signed_at),
                id: r.post_id,
                seq: r.sequence,
            };
            paged(ctx, first, after, approvals, key, |row| Approval {
                row,
                batch: batch.clone(),
            })
            .await
        }
        .await
        .gql()
    }

    /// The legal-review history, by review time.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn legal_reviews(
        &self,
        ctx: &Context<'_>,
        filter: Option<LegalReviewFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, LegalReview>> {
        async {
            let f = filter.unwrap_or_default();
            let reviews = |db, org, page| async move {
                let filter = ReviewFilter {
                    reviewer_id: decode_opt("Person", "filter.reviewerId", &f.reviewer_id)?,
                    subject_id: decode_opt("Post", "filter.postId", &f.post_id)?,
                    subject_kind: f.subject_kind.map(|k| k.stored().to_owned()),
                    outcome: f.outcome.map(|o| o.stored().to_owned()),
                    kind: f.kind.map(|k| k.stored().to_owned()),
                    from: f.from,
                    to: f.to,
                };
                read::legal_reviews(db, org, &filter, page).await
            };
            let key = |r: &read::LegalReviewRow| KeysetKey {
                at: Some(r.reviewed_at),
                id: r.id,
                seq: 0,
            };
            paged(ctx, first, after, reviews, key, LegalReview).await
        }
        .await
        .gql()
    }

    /// Posts published under delegated authority (without approval) in `[from, to)`.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn delegated_publications(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Post>> {
        async {
            let batch = batch(ctx)?;
            let publications =
                |db, org, page| read::delegated_publications(db, org, from, to, page);
            let key = |r: &read::PostRow| KeysetKey {
                at: r.published_at,
                id: r.id,
                seq: 0,
            };
            paged(ctx, first, after, publications, key, |row| {
                Post::new(row, &batch)
            })
            .await
        }
        .await
        .gql()
    }

    /// Published posts whose approvals were voided at or after publication, or whose
    /// approver (or delegated publisher) did not hold the recorded role assignment at
    /// that instant. Chorus refuses both, so this list must always be empty: it is the
    /// auditor's proof.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn compliance_violations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ComplianceViolation>> {
        async {
            let batch = batch(ctx)?;
            let by_id = |r: &read::ViolationRow| r.post.id;
            paged(
                ctx,
                first,
                after,
                read::compliance_violations,
                by_id,
                |row| {
                    let mut reasons = Vec::new();
                    if row.voided_after_publication != 0 {
                        reasons.push(ComplianceViolationKind::ApprovalVoidedAfterPublication);
                    }
                    if row.approver_without_role != 0 {
                        reasons.push(ComplianceViolationKind::ApproverWithoutRole);
                    }
                    if row.delegate_without_role != 0 {
                        reasons.push(ComplianceViolationKind::DelegateWithoutRole);
                    }
                    ComplianceViolation {
                        post: Post::new(row.post, &batch),
                        reasons,
                    }
                },
            )
            .await
        }
        .await
        .gql()
    }

    /// A post at a past instant: its status, text and the sign-offs standing then.
    async fn post_as_of(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<Option<PostSnapshot>> {
        async {
            let (_, org, db) = reading(ctx)?;
            let id = decode_id("Post", "id", &id)?;
            let Some(row) = read::post(db, org, id).await? else {
                return Ok(None);
            };
            let status = read::status_at(db, org, id, at)
                .await?
                .map(|s| PostStatus::from_stored("post_status_history", "status", &s))
                .transpose()?;
            let batch = batch(ctx)?;
            let text = read::text_at(db, org, id, at).await?;
            let approvals = batch
                .load_one(ApprovalsOfPost(id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .filter(|a| a.signed_at <= at && a.voided_at.is_none_or(|voided| voided > at))
                .map(|row| Approval {
                    row,
                    batch: batch.clone(),
                })
                .collect();
            Ok(Some(PostSnapshot {
                post: Post::new(row, &batch),
                at,
                status,
                text,
                approvals,
            }))
        }
        .await
        .gql()
    }

    /// The policy versions defined for exactly this scope that were in force at `at`,
    /// most recently defined first (normally one).
    async fn policy_as_of(
        &self,
        ctx: &Context<'_>,
        scope: PolicyScopeInput,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<Vec<ApprovalPolicy>> {
        async {
            let (_, org, db) = reading(ctx)?;
            let scope = scope_of(ctx, "scope", &scope).await?;
            let rows = read::policies_at(db, org, scope.kind.as_str(), scope.id, at).await?;
            Ok(rows.into_iter().map(ApprovalPolicy).collect())
        }
        .await
        .gql()
    }
}
