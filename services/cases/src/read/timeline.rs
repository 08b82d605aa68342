//! A case's timeline (every event, in order) and its replies, one case's page at a time
//! or a page of each of many cases in one statement (`ROW_NUMBER()` per case, which both
//! backends have), for the request's loader.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, push_in, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One entry of `case_timeline`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineRow {
    pub case_id: Uuid,
    pub sequence: i64,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub details: String,
}

/// A page of a case's timeline after `after` (a sequence), in order.
pub async fn timeline_of_case(
    db: &Db,
    org: Uuid,
    case: Uuid,
    after: Option<i64>,
    limit: i64,
) -> ApiResult<Vec<TimelineRow>> {
    Ok(fetch_all!(db, TimelineRow, |qb| {
        qb.push(
            "SELECT case_id, sequence, kind, actor_id, at, details FROM case_timeline WHERE case_id = ",
        );
        qb.push_bind(case);
        qb.push(" AND organization_id = ").push_bind(org);
        if let Some(after) = after {
            qb.push(" AND sequence > ").push_bind(after);
        }
        qb.push(" ORDER BY sequence LIMIT ").push_bind(limit);
    }))
}

/// One row of `case_replies`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub responder_id: Uuid,
    pub text: String,
    pub visibility: String,
    pub status: String,
    pub approver_function: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decision_note: Option<String>,
    pub delegated: bool,
    pub outbound_status: Option<String>,
    pub network_message_id: Option<String>,
    pub outbound_detail: Option<String>,
    pub flags: String,
    pub submitted_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A page of each of `cases`' timelines after `after` (a sequence), at most `limit`
/// entries each, by case then sequence: one statement over the primary key.
pub async fn timelines_of_cases(
    db: &Db,
    org: Uuid,
    cases: &[Uuid],
    after: Option<i64>,
    limit: i64,
) -> ApiResult<Vec<TimelineRow>> {
    Ok(fetch_all!(db, TimelineRow, |qb| {
        qb.push(
            "SELECT case_id, sequence, kind, actor_id, at, details FROM (SELECT case_id, sequence, \
             kind, actor_id, at, details, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY sequence) \
             AS rn FROM case_timeline WHERE case_id",
        );
        push_in!(qb, cases);
        qb.push(" AND organization_id = ").push_bind(org);
        if let Some(after) = after {
            qb.push(" AND sequence > ").push_bind(after);
        }
        qb.push(") x WHERE rn <= ").push_bind(limit);
        qb.push(" ORDER BY case_id, sequence");
    }))
}

/// The columns of a [`ReplyRow`].
pub(super) const REPLY_COLUMNS: &str = "id, case_id, responder_id, text, visibility, status, \
    approver_function, decided_by, decision_note, delegated, outbound_status, network_message_id, \
    outbound_detail, flags, submitted_at, sent_at";

/// A page of each of `cases`' replies, oldest first (`after`: the last reply's submission
/// and id), at most `limit` each, by case then submission: one statement over
/// `case_replies_by_case`.
pub async fn replies_of_cases(
    db: &Db,
    org: Uuid,
    cases: &[Uuid],
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> ApiResult<Vec<ReplyRow>> {
    Ok(fetch_all!(db, ReplyRow, |qb| {
        qb.push(format!(
            "SELECT {REPLY_COLUMNS} FROM (SELECT {REPLY_COLUMNS}, ROW_NUMBER() OVER \
             (PARTITION BY case_id ORDER BY submitted_at, id) AS rn FROM case_replies WHERE case_id"
        ));
        push_in!(qb, cases);
        qb.push(" AND organization_id = ").push_bind(org);
        if let Some((at, id)) = after {
            qb.push(" AND (submitted_at > ").push_bind(at);
            qb.push(" OR (submitted_at = ").push_bind(at);
            qb.push(" AND id > ").push_bind(id);
            qb.push("))");
        }
        qb.push(") x WHERE rn <= ").push_bind(limit);
        qb.push(" ORDER BY case_id, submitted_at, id");
    }))
}
