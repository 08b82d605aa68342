//! Queries over the content read models. Every query is confined to one organization
//! and served by an index of `0004_content_read_models.sql`; nested lists of a page of
//! posts are loaded in batches (see [`ContentLoader`]).
//!
//! Lists ordered by time use keyset pagination on (instant, id, sequence) — see
//! [`Keyset`]; lists ordered by id use the API's usual id cursor.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chorus_kernel::{on_read, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use chorus_api::error::{ApiError, ApiResult};
use chorus_kernel::sql::Page;
use chorus_kernel::{fetch_all, push_in};

/// Appends the keyset condition "(col, id, seq) > after" when a cursor was given.
macro_rules! push_keyset {
    ($qb:ident, $after:expr, $time:literal, $id:literal, $seq:literal) => {
        if let Some(after) = $after {
            match after.at {
                Some(at) => {
                    $qb.push(concat!(" AND (", $time, " > "))
                        .push_bind(at)
                        .push(concat!(" OR (", $time, " = "))
                        .push_bind(at)
                        .push(concat!(" AND (", $id, " > "))
                        .push_bind(after.id)
                        .push(concat!(" OR (", $id, " = "))
                        .push_bind(after.id)
                        .push(concat!(" AND ", $seq, " > "))
                        .push_bind(after.seq)
                        .push("))))");
                }
                None => {
                    $qb.push(concat!(" AND (", $id, " > "))
                        .push_bind(after.id)
                        .push(concat!(" OR (", $id, " = "))
                        .push_bind(after.id)
                        .push(concat!(" AND ", $seq, " > "))
                        .push_bind(after.seq)
                        .push("))");
                }
            }
        }
    };
}

/// A place in a time-ordered list: the row's instant, id and sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct KeysetKey {
    pub at: Option<DateTime<Utc>>,
    pub id: Uuid,
    pub seq: i64,
}

/// One page request of a time-ordered list: rows after `after`, at most `limit` (one
/// more than the page size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Keyset {
    pub after: Option<KeysetKey>,
    pub limit: i64,
}

const POST_COLUMNS: &str = "p.id, p.organization_id, p.author_id, p.status, p.text, p.media, p.campaign, \
     p.scheduled_at, p.flags, p.legal_block_review_id, p.approved_at, p.published_by, \
     p.published_network_post_id, p.published_url, p.published_at, p.delegated_policy_id, \
     p.delegated_policy_version, p.delegated_assignment_id, p.delegated_function, \
     p.delegated_responsibility, p.retracted_at, p.retracted_by, p.retraction_reason, p.expired_at, \
     p.created_at, p.updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub author_id: Uuid,
    pub status: String,
    pub text: String,
    pub media: String,
    pub campaign: Option<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub flags: String,
    pub legal_block_review_id: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_by: Option<Uuid>,
    pub published_network_post_id: Option<String>,
    pub published_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub delegated_policy_id: Option<Uuid>,
    pub delegated_policy_version: Option<i64>,
    pub delegated_assignment_id: Option<Uuid>,
    pub delegated_function: Option<String>,
    pub delegated_responsibility: Option<String>,
    pub retracted_at: Option<DateTime<Utc>>,
    pub retracted_by: Option<Uuid>,
    pub retraction_reason: Option<String>,
    pub expired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const APPROVAL_COLUMNS: &str = "a.post_id, a.sequence, a.signer_id, a.assignment_id, a.function, \
     a.responsibility, a.step, a.policy_id, a.policy_version, a.signed_at, a.comment, a.voided_at, a.void_reason";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovalRow {
    pub post_id: Uuid,
    pub sequence: i64,
    pub signer_id: Uuid,
    pub assignment_id: Uuid,
    pub function: String,
    pub responsibility: Option<String>,
    pub step: String,
    pub policy_id: Uuid,
    pub policy_version: i64,
    pub signed_at: DateTime<Utc>,
    pub comment: Option<String>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineRow {
    pub post_id: Uuid,
    pub sequence: i64,
    pub global_position: i64,
    pub event_type: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub function: Option<String>,
    pub responsibility: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub policy_id: Option<Uuid>,
    pub policy_version: Option<i64>,
    pub details: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenStepRow {
    pub post_id: Uuid,
    pub policy_id: Uuid,
    pub step: String,
    pub policy_version: i64,
    pub step_order: i64,
    pub required_signatures: i64,
    pub signatures: i64,
}

const POLICY_COLUMNS: &str =
    "policy_id, version, organization_id, scope_kind, scope_id, definition, \
     defined_by, valid_from, valid_to, retired_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PolicyRow {
    pub policy_id: Uuid,
    pub version: i64,
    pub organization_id: Uuid,
    pub scope_kind: String,
    pub scope_id: Uuid,
    pub definition: String,
    pub defined_by: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LexiconTermRow {
    pub flag: String,
    pub term: String,
    pub added_in_version: i64,
    pub added_at: DateTime<Utc>,
}

const REVIEW_COLUMNS: &str = "id, organization_id, subject_kind, subject_id, subject_reference, kind, outcome, \
     conditions, notes, review_references, reviewer_id, reviewer_assignment_id, reviewer_responsibility, reviewed_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LegalReviewRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    pub subject_reference: Option<String>,
    pub kind: String,
    pub outcome: String,
    pub conditions: Option<String>,
    pub notes: Option<String>,
    pub review_references: String,
    pub reviewer_id: Uuid,
    pub reviewer_assignment_id: Uuid,
    pub reviewer_responsibility: Option<String>,
    pub reviewed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarRow {
    pub channel_id: Uuid,
    pub channel_order: i64,
    #[sqlx(flatten)]
    pub post: PostRow,
}

/// A published post that breaks a compliance rule, with the rules it breaks (0 or 1).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ViolationRow {
    /// An approval of the post was voided at or after its publication.
    pub voided_after_publication: i64,
    /// A counted approval was signed under an assignment not active at signing time.
    pub approver_without_role: i64,
    /// The delegated publisher's assignment was not active at publication time.
    pub delegate_without_role: i64,
    #[sqlx(flatten)]
    pub post: PostRow,
}

pub async fn post(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<PostRow>> {
    let rows = fetch_all!(db, PostRow, |qb| {
        qb.push("SELECT ").push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.id = ").push_bind(id);
        qb.push(" AND p.organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
}

/// Posts in review with an open step the viewer may sign now and has not signed, not
/// legally blocked, not written by the viewer. The viewer's roles qualify under the
/// same rule as for signing (see [`crate::service`]).
pub async fn approval_inbox(
    db: &Db,
    org: Uuid,
    viewer: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<PostRow>> {
    Ok(fetch_all!(db, PostRow, |qb| {
        qb.push(
            "WITH RECURSIVE chain(post_id, team_id) AS (SELECT pc.post_id, pc.team_id FROM post_channels pc \
             JOIN posts q ON q.id = pc.post_id WHERE q.organization_id = ",
        );
        qb.push_bind(org);
        qb.push(
            " AND q.status = 'IN_REVIEW' AND pc.team_id IS NOT NULL \
             UNION SELECT c.post_id, t.parent_id FROM teams t JOIN chain c ON t.id = c.team_id \
             WHERE t.parent_id IS NOT NULL) SELECT ",
        );
        qb.push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.organization_id = ")
            .push_bind(org);
        qb.push(
            " AND p.status = 'IN_REVIEW' AND p.legal_block_review_id IS NULL AND p.author_id <> ",
        )
        .push_bind(viewer);
        qb.push(
            " AND EXISTS (SELECT 1 FROM post_open_step_signers s JOIN role_assignments r \
             ON r.function = s.function AND (s.responsibility IS NULL OR s.responsibility = r.responsibility) \
             WHERE s.post_id = p.id AND r.person_id = ",
        );
        qb.push_bind(viewer);
        qb.push(" AND r.organization_id = ").push_bind(org);
        qb.push(" AND r.valid_from <= ").push_bind(at);
        qb.push(" AND (r.valid_to IS NULL OR r.valid_to > ")
            .push_bind(at)
            .push(")");
        qb.push(
            " AND (r.scope_kind = 'ORGANIZATION' OR r.function IN ('LEGAL', 'HUMAN_RESOURCES', 'SENIOR_MANAGEMENT') \
             OR (r.scope_kind = 'CHANNEL' AND r.scope_id IN (SELECT channel_id FROM post_channels WHERE post_id = p.id)) \
             OR (r.scope_kind = 'TEAM' AND r.scope_id IN (SELECT team_id FROM chain WHERE chain.post_id = p.id))) \
             AND NOT EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = s.post_id AND a.policy_id = s.policy_id \
             AND a.step = s.step AND a.voided_at IS NULL AND a.signer_id = ",
        );
        qb.push_bind(viewer);
        qb.push("))");
        if let Some(after) = page.after {
            qb.push(" AND p.id > ").push_bind(after);
        }
        qb.push(" ORDER BY p.id LIMIT ").push_bind(page.limit);
    }))
}

/// Posts by scheduled time in `[from, to)`, one entry per (post, channel), optionally
/// for one team's or one channel's posts.
pub async fn calendar(
    db: &Db,
    org: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<Uuid>,
    channel: Option<Uuid>,
    page: Keyset,
) -> ApiResult<Vec<CalendarRow>> {
    Ok(fetch_all!(db, CalendarRow, |qb| {
        qb.push("SELECT pc.channel_id, pc.channel_order, ")
            .push(POST_COLUMNS);
        qb.push(
            " FROM post_channels pc JOIN posts p ON p.id = pc.post_id WHERE pc.organization_id = ",
        )
        .push_bind(org);
        qb.push(" AND pc.scheduled_at >= ").push_bind(from);
        qb.push(" AND pc.scheduled_at < ").push_bind(to);
        if let Some(team) = team {
            qb.push(" AND pc.team_id = ").push_bind(team);
        }
        if let Some(channel) = channel {
            qb.push(" AND pc.channel_id = ").push_bind(channel);
        }
        push_keyset!(
            qb,
            page.after,
            "pc.scheduled_at",
            "pc.post_id",
            "pc.channel_order"
        );
        qb.push(" ORDER BY pc.scheduled_at, pc.post_id, pc.channel_order LIMIT ")
            .push_bind(page.limit);
    }))
}

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
        if let Some(approver) = filter.approver_id {
            qb.push(" AND a.signer_id = ").push_bind(approver);
        }
        if let Some(post) = filter.post_id {
            qb.push(" AND a.post_id = ").push_bind(post);
        }
        if let Some(policy) = filter.policy_id {
            qb.push(" AND a.policy_id = ").push_bind(policy);
        }
        if let Some(version) = filter.policy_version {
            qb.push(" AND a.policy_version = ").push_bind(version);
        }
        if let Some(from) = filter.from {
            qb.push(" AND a.signed_at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            qb.push(" AND a.signed_at < ").push_bind(to);
        }
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
        if let Some(reviewer) = filter.reviewer_id {
            qb.push(" AND reviewer_id = ").push_bind(reviewer);
        }
        if let Some(subject) = filter.subject_id {
            qb.push(" AND subject_id = ").push_bind(subject);
        }
        if let Some(kind) = &filter.subject_kind {
            qb.push(" AND subject_kind = ").push_bind(kind.clone());
        }
        if let Some(outcome) = &filter.outcome {
            qb.push(" AND outcome = ").push_bind(outcome.clone());
        }
        if let Some(kind) = &filter.kind {
            qb.push(" AND kind = ").push_bind(kind.clone());
        }
        if let Some(from) = filter.from {
            qb.push(" AND reviewed_at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            qb.push(" AND reviewed_at < ").push_bind(to);
        }
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

/// Posts published under delegated authority in `[from, to)`, by publication time.
pub async fn delegated_publications(
    db: &Db,
    org: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    page: Keyset,
) -> ApiResult<Vec<PostRow>> {
    Ok(fetch_all!(db, PostRow, |qb| {
        qb.push("SELECT ").push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.organization_id = ")
            .push_bind(org);
        qb.push(" AND p.delegated_policy_id IS NOT NULL AND p.published_at IS NOT NULL");
        if let Some(from) = from {
            qb.push(" AND p.published_at >= ").push_bind(from);
        }
        if let Some(to) = to {
            qb.push(" AND p.published_at < ").push_bind(to);
        }
        push_keyset!(qb, page.after, "p.published_at", "p.id", "0");
        qb.push(" ORDER BY p.published_at, p.id LIMIT ")
            .push_bind(page.limit);
    }))
}

const VOIDED_AFTER_PUBLICATION: &str =
    "EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = p.id \
     AND a.voided_at IS NOT NULL AND a.voided_at >= p.published_at)";
const APPROVER_WITHOUT_ROLE: &str = "EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = p.id \
     AND a.voided_at IS NULL AND NOT EXISTS (SELECT 1 FROM role_assignments r WHERE r.id = a.assignment_id \
     AND r.person_id = a.signer_id AND r.organization_id = p.organization_id AND r.function = a.function \
     AND r.valid_from <= a.signed_at AND (r.valid_to IS NULL OR r.valid_to > a.signed_at)))";
const DELEGATE_WITHOUT_ROLE: &str =
    "(p.delegated_assignment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \
     role_assignments r WHERE r.id = p.delegated_assignment_id AND r.person_id = p.published_by \
     AND r.organization_id = p.organization_id AND r.function = p.delegated_function \
     AND r.valid_from <= p.published_at AND (r.valid_to IS NULL OR r.valid_to > p.published_at)))";

/// Published (or later retracted) posts whose approvals were voided at or after
/// publication, or whose approver (or delegated publisher) did not hold the recorded
/// role assignment at the instant of signing (publishing). Must always be empty.
pub async fn compliance_violations(db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<ViolationRow>> {
    Ok(fetch_all!(db, ViolationRow, |qb| {
        qb.push("SELECT CAST(CASE WHEN ")
            .push(VOIDED_AFTER_PUBLICATION);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS voided_after_publication, CAST(CASE WHEN ")
            .push(APPROVER_WITHOUT_ROLE);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS approver_without_role, CAST(CASE WHEN ")
            .push(DELEGATE_WITHOUT_ROLE);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS delegate_without_role, ")
            .push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.organization_id = ")
            .push_bind(org);
        qb.push(" AND p.published_at IS NOT NULL AND (")
            .push(VOIDED_AFTER_PUBLICATION);
        qb.push(" OR ").push(APPROVER_WITHOUT_ROLE);
        qb.push(" OR ").push(DELEGATE_WITHOUT_ROLE).push(")");
        if let Some(after) = page.after {
            qb.push(" AND p.id > ").push_bind(after);
        }
        qb.push(" ORDER BY p.id LIMIT ").push_bind(page.limit);
    }))
}

/// A post's status at `at`, from its temporal status history.
pub async fn status_at(
    db: &Db,
    org: Uuid,
    post: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<String>> {
    let found: Option<(String,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT status FROM post_status_history WHERE post_id = $1 AND organization_id = $2 \
             AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3) ORDER BY valid_from DESC LIMIT 1",
        )
        .bind(post)
        .bind(org)
        .bind(at)
        .fetch_optional(pool)
        .await?
    });
    Ok(found.map(|(status,)| status))
}

/// A post's text at `at`: from the last PostDrafted / PostEdited recorded by then (the
/// timeline keeps each event's payload).
pub async fn text_at(
    db: &Db,
    org: Uuid,
    post: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<String>> {
    let details: Option<(String,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT details FROM post_timeline WHERE post_id = $1 AND organization_id = $2 \
             AND event_type IN ('PostDrafted', 'PostEdited') AND occurred_at <= $3 \
             ORDER BY sequence DESC LIMIT 1",
        )
        .bind(post)
        .bind(org)
        .bind(at)
        .fetch_optional(pool)
        .await?
    });
    Ok(details.and_then(|(details,)| {
        serde_json::from_str::<serde_json::Value>(&details)
            .ok()
            .and_then(|d| d.get("text").and_then(|t| t.as_str()).map(str::to_owned))
    }))
}

/// A post's timeline page, by sequence (the page cursor's uuid carries the sequence).
pub async fn timeline(db: &Db, org: Uuid, post: Uuid, page: Page) -> ApiResult<Vec<TimelineRow>> {
    let after = page
        .after
        .map(|a| i64::try_from(a.as_u128()).unwrap_or(i64::MAX));
    Ok(fetch_all!(db, TimelineRow, |qb| {
        qb.push(
            "SELECT post_id, sequence, global_position, event_type, actor_kind, actor_id, assignment_id, function, \
             responsibility, occurred_at, policy_id, policy_version, details FROM post_timeline WHERE post_id = ",
        );
        qb.push_bind(post);
        qb.push(" AND organization_id = ").push_bind(org);
        if let Some(after) = after {
            qb.push(" AND sequence > ").push_bind(after);
        }
        qb.push(" ORDER BY sequence LIMIT ").push_bind(page.limit);
    }))
}

/// The current version of a policy (or its last, once retired).
pub async fn policy(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<PolicyRow>> {
    let rows = fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE policy_id = ")
            .push_bind(id);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" ORDER BY version DESC LIMIT 1");
    });
    Ok(rows.into_iter().next())
}

/// Policies of the organization in force now (not retired), oldest first.
pub async fn policies_now(db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<PolicyRow>> {
    Ok(fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND valid_to IS NULL AND retired_at IS NULL");
        if let Some(after) = page.after {
            qb.push(" AND policy_id > ").push_bind(after);
        }
        qb.push(" ORDER BY policy_id LIMIT ").push_bind(page.limit);
    }))
}

/// The policy versions defined for exactly this scope that were in force at `at`,
/// most recently defined first.
pub async fn policies_at(
    db: &Db,
    org: Uuid,
    scope_kind: &str,
    scope_id: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Vec<PolicyRow>> {
    Ok(fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND scope_kind = ")
            .push_bind(scope_kind.to_owned());
        qb.push(" AND scope_id = ").push_bind(scope_id);
        qb.push(" AND valid_from <= ").push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        qb.push(" ORDER BY valid_from DESC, policy_id LIMIT 50");
    }))
}

/// The organization's active lexicon terms, by flag then term.
pub async fn lexicon_terms(db: &Db, org: Uuid) -> ApiResult<Vec<LexiconTermRow>> {
    Ok(fetch_all!(db, LexiconTermRow, |qb| {
        qb.push("SELECT flag, term, added_in_version, added_at FROM lexicon_terms WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND removed_in_version IS NULL ORDER BY flag, term LIMIT 10000");
    }))
}

/// Per-page batch loader of a post's nested lists, confined to one organization: one
/// query per list kind, whatever the number of posts on the page.
pub struct ContentLoader {
    pub db: Db,
    pub org: Uuid,
}

/// A post's channels, in the order the author listed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelsOfPost(pub Uuid);
/// A post's approvals in the current and earlier rounds (voided ones included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApprovalsOfPost(pub Uuid);
/// A post's open review steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenStepsOfPost(pub Uuid);

#[derive(sqlx::FromRow)]
struct PostChannel {
    post_id: Uuid,
    channel_id: Uuid,
}

impl Loader<ChannelsOfPost> for ContentLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;
    async fn load(&self, keys: &[ChannelsOfPost]) -> ApiResult<HashMap<ChannelsOfPost, Vec<Uuid>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, PostChannel, |qb| {
            qb.push("SELECT post_id, channel_id FROM post_channels WHERE organization_id = ")
                .push_bind(self.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, channel_order");
        });
        let mut out: HashMap<ChannelsOfPost, Vec<Uuid>> = HashMap::new();
        for row in rows {
            out.entry(ChannelsOfPost(row.post_id))
                .or_default()
                .push(row.channel_id);
        }
        Ok(out)
    }
}

impl Loader<ApprovalsOfPost> for ContentLoader {
    type Value = Vec<ApprovalRow>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[ApprovalsOfPost],
    ) -> ApiResult<HashMap<ApprovalsOfPost, Vec<ApprovalRow>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, ApprovalRow, |qb| {
            qb.push("SELECT ").push(APPROVAL_COLUMNS);
            qb.push(" FROM post_approvals a WHERE a.organization_id = ")
                .push_bind(self.org);
            qb.push(" AND a.post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY a.post_id, a.sequence");
        });
        let mut out: HashMap<ApprovalsOfPost, Vec<ApprovalRow>> = HashMap::new();
        for row in rows {
            out.entry(ApprovalsOfPost(row.post_id))
                .or_default()
                .push(row);
        }
        Ok(out)
    }
}

impl Loader<OpenStepsOfPost> for ContentLoader {
    type Value = Vec<OpenStepRow>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[OpenStepsOfPost],
    ) -> ApiResult<HashMap<OpenStepsOfPost, Vec<OpenStepRow>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, OpenStepRow, |qb| {
            qb.push(
                "SELECT post_id, policy_id, step, policy_version, step_order, required_signatures, signatures \
                 FROM post_open_steps WHERE organization_id = ",
            )
            .push_bind(self.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, step_order");
        });
        let mut out: HashMap<OpenStepsOfPost, Vec<OpenStepRow>> = HashMap::new();
        for row in rows {
            out.entry(OpenStepsOfPost(row.post_id))
                .or_default()
                .push(row);
        }
        Ok(out)
    }
}
