//! Cases: one by id, a queue page, a contact's cases, and the look-ups intake and the
//! calendar recount need.

use chorus_api::ApiResult;
use chorus_kernel::sql::QueryBuilder;
use chorus_kernel::{fetch_all, push_in, Db};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One row of `cases`, every column (the projection writes it whole).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub contact_id: Uuid,
    pub door: String,
    pub channel_id: Option<Uuid>,
    pub external_system: Option<String>,
    pub external_case_id: Option<String>,
    pub team_id: Option<Uuid>,
    /// `team_id`, or the organization's id for its own queue.
    pub queue_team_key: Uuid,
    pub function: String,
    pub status: String,
    pub is_open: bool,
    pub priority: String,
    pub category: String,
    pub assignee_id: Option<Uuid>,
    pub handled_privately: bool,
    pub escalated_to: String,
    pub routing: String,
    pub sla_policy_id: Option<Uuid>,
    pub sla_policy_version: Option<i64>,
    pub sla_calendar_id: Option<Uuid>,
    pub queue_deadline: DateTime<Utc>,
    pub next_deadline_kind: Option<String>,
    /// The next SLA warning or breach not yet recorded.
    pub next_timer: Option<DateTime<Utc>>,
    pub breached: bool,
    pub follows_case_id: Option<Uuid>,
    pub merged_into: Option<Uuid>,
    pub resolution_code: Option<String>,
    pub first_text: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub last_sequence: i64,
}

/// Its columns, in the order [`CaseRow`] declares them.
pub(crate) const CASE_COLUMNS: &str = "id, organization_id, contact_id, door, channel_id, \
    external_system, external_case_id, team_id, queue_team_key, function, status, is_open, \
    priority, category, assignee_id, handled_privately, escalated_to, routing, sla_policy_id, \
    sla_policy_version, sla_calendar_id, queue_deadline, next_deadline_kind, next_timer, \
    breached, follows_case_id, merged_into, resolution_code, first_text, opened_at, \
    first_response_at, resolved_at, updated_at, last_sequence";

/// The deadline a case with no running SLA clock is queued by: after every real one
/// (9999-12-31T00:00:00Z, which both backends store and order like any other instant).
pub fn no_deadline() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_214_400, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A case of organization `org`, if any.
pub async fn case(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<CaseRow>> {
    Ok(cases_by_ids(db, org, &[id]).await?.into_iter().next())
}

/// The cases of organization `org` among `ids` (by primary key, organization checked on
/// the row).
pub async fn cases_by_ids(db: &Db, org: Uuid, ids: &[Uuid]) -> ApiResult<Vec<CaseRow>> {
    Ok(fetch_all!(db, CaseRow, |qb| {
        qb.push(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id"));
        push_in!(qb, ids);
        qb.push(" AND organization_id = ").push_bind(org);
    }))
}

/// The position of a case in a queue: next SLA deadline, then oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QueueKey {
    pub deadline: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub id: Uuid,
}

impl QueueKey {
    /// The key of `row`.
    pub fn of(row: &CaseRow) -> Self {
        Self {
            deadline: row.queue_deadline,
            opened_at: row.opened_at,
            id: row.id,
        }
    }
}

/// The filters of the case queue (every one optional; the queue holds open cases only).
/// The text filters are the stored codes of their enums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct QueueFilter {
    /// The team's queue; `Some(None)`: the organization's own queue; `None`: every open
    /// case of the organization.
    pub team: Option<Option<Uuid>>,
    pub function: Option<&'static str>,
    pub status: Option<&'static str>,
    pub priority: Option<&'static str>,
    pub assignee: Option<Uuid>,
    pub category: Option<&'static str>,
    pub channel: Option<Uuid>,
    /// Only cases whose next SLA deadline falls before this instant.
    pub deadline_before: Option<DateTime<Utc>>,
}

/// A page of open cases of `org` by next SLA deadline, then oldest first: one range scan
/// of `cases_queue` (a team's queue), `cases_by_assignee` or `cases_open_by_org`, the
/// other filters applied to the rows it reads.
pub async fn queue(
    db: &Db,
    org: Uuid,
    filter: &QueueFilter,
    after: Option<QueueKey>,
    limit: i64,
) -> ApiResult<Vec<CaseRow>> {
    Ok(fetch_all!(db, CaseRow, |qb| {
        qb.push(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE organization_id = "
        ));
        qb.push_bind(org);
        qb.push(" AND is_open");
        if let Some(team) = filter.team {
            qb.push(" AND queue_team_key = ")
                .push_bind(team.unwrap_or(org));
        }
        if let Some(assignee) = filter.assignee {
            qb.push(" AND assignee_id = ").push_bind(assignee);
        }
        push_text_filter(&mut qb, "function", filter.function);
        push_text_filter(&mut qb, "status", filter.status);
        push_text_filter(&mut qb, "priority", filter.priority);
        push_text_filter(&mut qb, "category", filter.category);
        if let Some(channel) = filter.channel {
            qb.push(" AND channel_id = ").push_bind(channel);
        }
        if let Some(before) = filter.deadline_before {
            qb.push(" AND queue_deadline < ").push_bind(before);
        }
        if let Some(key) = after {
            qb.push(" AND (queue_deadline > ").push_bind(key.deadline);
            qb.push(" OR (queue_deadline = ").push_bind(key.deadline);
            qb.push(" AND (opened_at > ").push_bind(key.opened_at);
            qb.push(" OR (opened_at = ").push_bind(key.opened_at);
            qb.push(" AND id > ").push_bind(key.id);
            qb.push("))))");
        }
        qb.push(" ORDER BY queue_deadline, opened_at, id LIMIT ")
            .push_bind(limit);
    }))
}

fn push_text_filter<'q, DB: sqlx::Database>(
    qb: &mut QueryBuilder<'q, DB>,
    column: &str,
    value: Option<&'static str>,
) where
    &'static str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if let Some(value) = value {
        qb.push(format!(" AND {column} = ")).push_bind(value);
    }
}

/// A page of the cases of a contact, newest first (`after`: the last case's opening and
/// id).
pub async fn cases_of_contact(
    db: &Db,
    org: Uuid,
    contact: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> ApiResult<Vec<CaseRow>> {
    Ok(fetch_all!(db, CaseRow, |qb| {
        qb.push(format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE organization_id = "
        ));
        qb.push_bind(org);
        qb.push(" AND contact_id = ").push_bind(contact);
        if let Some((opened_at, id)) = after {
            qb.push(" AND (opened_at < ").push_bind(opened_at);
            qb.push(" OR (opened_at = ").push_bind(opened_at);
            qb.push(" AND id < ").push_bind(id);
            qb.push("))");
        }
        qb.push(" ORDER BY opened_at DESC, id DESC LIMIT ")
            .push_bind(limit);
    }))
}

/// A contact's latest case on a channel, as intake needs it.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LatestCase {
    pub id: Uuid,
    pub is_open: bool,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// The latest case (merged ones aside) of `contact` on `channel`.
pub async fn latest_case_of_contact(
    db: &Db,
    org: Uuid,
    contact: Uuid,
    channel: Uuid,
) -> ApiResult<Option<LatestCase>> {
    let rows = fetch_all!(db, LatestCase, |qb| {
        qb.push("SELECT id, is_open, resolved_at FROM cases WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND contact_id = ").push_bind(contact);
        qb.push(" AND channel_id = ").push_bind(channel);
        qb.push(" AND status <> 'MERGED' ORDER BY opened_at DESC, id DESC LIMIT 1");
    });
    Ok(rows.into_iter().next())
}

/// A page of the open cases of `org` timed by `calendar`, by id.
pub async fn open_cases_on_calendar(
    db: &Db,
    org: Uuid,
    calendar: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> ApiResult<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: Uuid,
    }
    let rows = fetch_all!(db, Id, |qb| {
        qb.push("SELECT id FROM cases WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND sla_calendar_id = ").push_bind(calendar);
        qb.push(" AND is_open");
        if let Some(after) = after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(limit);
    });
    Ok(rows.into_iter().map(|row| row.id).collect())
}
