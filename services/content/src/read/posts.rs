//! Single posts, the content calendar, delegated publications and a post's history.

use chorus_api::error::ApiResult;
use chorus_kernel::sql::Page;
use chorus_kernel::{fetch_all, on_read, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::{CalendarRow, PostRow, TimelineRow, POST_COLUMNS};
use super::Keyset;

pub async fn post(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<PostRow>> {
    let rows = fetch_all!(db, PostRow, |qb| {
        qb.push("SELECT ").push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.id = ").push_bind(id);
        qb.push(" AND p.organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
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
        push_filters!(qb, " AND pc.team_id = " => team, " AND pc.channel_id = " => channel);
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
        push_filters!(qb, " AND p.published_at >= " => from, " AND p.published_at < " => to);
        push_keyset!(qb, page.after, "p.published_at", "p.id", "0");
        qb.push(" ORDER BY p.published_at, p.id LIMIT ")
            .push_bind(page.limit);
    }))
}

/// A post's status at `at`, from its temporal status history.
pub async fn status_at(
    db: &Db,
    org: Uuid,
    post: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<String>> {
    let sql = "SELECT status FROM post_status_history WHERE post_id = $1 AND organization_id = $2 \
               AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3) ORDER BY valid_from DESC LIMIT 1";
    text_as_of(db, sql, org, post, at).await
}

/// The one text column that `sql` selects for a post as of `at` (its parameters: the
/// post, the organization, the instant), if a row matches.
async fn text_as_of(
    db: &Db,
    sql: &'static str,
    org: Uuid,
    post: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<String>> {
    let found: Option<(String,)> = on_read!(db, pool => {
        sqlx::query_as(sql).bind(post).bind(org).bind(at).fetch_optional(pool).await?
    });
    Ok(found.map(|(text,)| text))
}

/// A post's text at `at`: from the last PostDrafted / PostEdited recorded by then (the
/// timeline keeps each event's payload).
pub async fn text_at(
    db: &Db,
    org: Uuid,
    post: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<String>> {
    let sql = "SELECT details FROM post_timeline WHERE post_id = $1 AND organization_id = $2 \
             AND event_type IN ('PostDrafted', 'PostEdited') AND occurred_at <= $3 \
             ORDER BY sequence DESC LIMIT 1";
    let details = text_as_of(db, sql, org, post, at).await?;
    Ok(details.and_then(|details| {
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
