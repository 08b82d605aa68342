//! The compliance history: approvals and legal reviews, by time.

use chorus_api::error::ApiResult;
use chorus_kernel::{fetch_all, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::{ApprovalRow, LegalReviewRow, APPROVAL_COLUMNS, REVIEW_COLUMNS};
use super::Keyset;

/// Filters of the compliance history of approvals.
#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    pub approver_id: Option<Uuid>,
    pub post_id: Option<Uuid>,
    pub channel_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub policy_id: Option<Uuid>,
    pub policy_version: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub include_voided: bool,
}

/// Approvals by signing time (then post, sequence).
pub async fn approvals(
    db: &Db,
    org: Uuid,
    filter: &ApprovalFilter,
    page: Keyset,
) -> ApiResult<Vec<ApprovalRow>> {
    Ok(fetch_all!(db, ApprovalRow, |qb| {
        qb.push("SELECT ").push(APPROVAL_COLUMNS);
        qb.push(" FROM post_approvals a WHERE a.organization_id = ")
            .push_bind(org);
        push_filters!(qb,
            " AND a.signer_id = " => filter.approver_id,
            " AND a.post_id = " => filter.post_id,
            " AND a.policy_id = " => filter.policy_id,
            " AND a.policy_version = " => filter.policy_version,
            " AND a.signed_at >= " => filter.from,
            " AND a.signed_at < " => filter.to,
        );
        if !filter.include_voided {
            qb.push(" AND a.voided_at IS NULL");
        }
        if let Some(channel) = filter.channel_id {
            qb.push(" AND EXISTS (SELECT 1 FROM post_channels pc WHERE pc.post_id = a.post_id AND pc.channel_id = ")
                .push_bind(channel)
                .push(")");
        }
        if let Some(team) = filter.team_id {
            qb.push(" AND EXISTS (SELECT 1 FROM post_channels pc WHERE pc.post_id = a.post_id AND pc.team_id = ")
                .push_bind(team)
                .push(")");
        }
        push_keyset!(qb, page.after, "a.signed_at", "a.post_id", "a.sequence");
        qb.push(" ORDER BY a.signed_at, a.post_id, a.sequence LIMIT ")
            .push_bind(page.limit);
    }))
}

/// Filters of the legal-review history.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub reviewer_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub subject_kind: Option<String>,
    pub outcome: Option<String>,
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub async fn legal_reviews(
    db: &Db,
    org: Uuid,
    filter: &ReviewFilter,
    page: Keyset,
) -> ApiResult<Vec<LegalReviewRow>> {
    Ok(fetch_all!(db, LegalReviewRow, |qb| {
        qb.push("SELECT ").push(REVIEW_COLUMNS);
        qb.push(" FROM legal_reviews WHERE organization_id = ")
            .push_bind(org);
        push_filters!(qb,
            " AND reviewer_id = " => filter.reviewer_id,
            " AND subject_id = " => filter.subject_id,
            " AND subject_kind = " => filter.subject_kind.clone(),
            " AND outcome = " => filter.outcome.clone(),
            " AND kind = " => filter.kind.clone(),
            " AND reviewed_at >= " => filter.from,
            " AND reviewed_at < " => filter.to,
        );
        push_keyset!(qb, page.after, "reviewed_at", "id", "0");
        qb.push(" ORDER BY reviewed_at, id LIMIT ")
            .push_bind(page.limit);
    }))
}

pub async fn legal_review(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<LegalReviewRow>> {
    let rows = fetch_all!(db, LegalReviewRow, |qb| {
        qb.push("SELECT ").push(REVIEW_COLUMNS);
        qb.push(" FROM legal_reviews WHERE id = ").push_bind(id);
        qb.push(" AND organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
}
