//! The case configuration as the read models hold it: routing rule versions, SLA
//! policies and calendars.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One version of an organization's routing rules.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleSetRow {
    pub version: i64,
    pub rules: String,
    pub set_by: Uuid,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

/// The organization's current routing rules, if it set any.
pub async fn current_rules(db: &Db, org: Uuid) -> ApiResult<Option<RuleSetRow>> {
    let rows = fetch_all!(db, RuleSetRow, |qb| {
        qb.push(
            "SELECT version, rules, set_by, valid_from, valid_to FROM routing_rule_sets \
             WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND valid_to IS NULL");
    });
    Ok(rows.into_iter().next())
}

/// An SLA policy's or a calendar's current version (both tables have this shape).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionedRow {
    pub id: Uuid,
    pub name: String,
    pub version: i64,
    pub definition: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Which versioned configuration table to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    SlaPolicies,
    Calendars,
}

impl Versioned {
    fn table(self) -> &'static str {
        match self {
            Self::SlaPolicies => "sla_policies",
            Self::Calendars => "business_calendars",
        }
    }
}

/// A page of the organization's SLA policies or calendars by name, then id (`after`: the
/// last row's name and id).
pub async fn versioned_page(
    db: &Db,
    org: Uuid,
    which: Versioned,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> ApiResult<Vec<VersionedRow>> {
    Ok(fetch_all!(db, VersionedRow, |qb| {
        qb.push(format!(
            "SELECT id, name, version, definition, retired_at, updated_at FROM {} \
             WHERE organization_id = ",
            which.table()
        ));
        qb.push_bind(org);
        if let Some((name, id)) = after {
            qb.push(" AND (name > ").push_bind(name.clone());
            qb.push(" OR (name = ").push_bind(name);
            qb.push(" AND id > ").push_bind(id);
            qb.push("))");
        }
        qb.push(" ORDER BY name, id LIMIT ").push_bind(limit);
    }))
}

/// One SLA policy or calendar of the organization by id.
pub async fn versioned(
    db: &Db,
    org: Uuid,
    which: Versioned,
    id: Uuid,
) -> ApiResult<Option<VersionedRow>> {
    let rows = fetch_all!(db, VersionedRow, |qb| {
        qb.push(format!(
            "SELECT id, name, version, definition, retired_at, updated_at FROM {} WHERE id = ",
            which.table()
        ));
        qb.push_bind(id);
        qb.push(" AND organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
}

/// A team queue's settings as the read model holds them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub team_id: Uuid,
    pub strategy: String,
    pub capacity: Option<i64>,
    pub reply_approver: Option<String>,
    pub version: i64,
}

/// The settings of the queue of `team` (of organization `org`), if configured.
pub async fn queue_settings(db: &Db, org: Uuid, team: Uuid) -> ApiResult<Option<QueueRow>> {
    let rows = fetch_all!(db, QueueRow, |qb| {
        qb.push("SELECT team_id, strategy, capacity, reply_approver, version FROM case_queues WHERE team_id = ");
        qb.push_bind(team);
        qb.push(" AND organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
}
