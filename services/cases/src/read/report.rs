//! The SLA report: met and breached outcomes per team or person over a period, with the
//! medians of the business time taken (first response, resolution).

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One SLA outcome in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    pub kind: String,
    pub team_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub met: bool,
    pub business_seconds: i64,
}

/// The report's grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Team,
    Person,
}

/// What the report says for one team or person.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    /// The team or person (`None`: no team, or nobody held the case).
    pub key: Option<Uuid>,
    pub first_response_met: i64,
    pub first_response_breached: i64,
    pub resolution_met: i64,
    pub resolution_breached: i64,
    pub next_response_met: i64,
    pub next_response_breached: i64,
    /// Median business seconds to the first response, and to resolution.
    pub first_response_median_seconds: Option<i64>,
    pub resolution_median_seconds: Option<i64>,
}

/// Most outcomes a report reads (a period of a large organization is summarised by
/// narrowing the period).
pub const MAX_OUTCOMES: i64 = 200_000;

/// The outcomes of `org` stopped in `[from, to)` (one range scan of
/// `case_sla_outcomes_by_period`), summarised per team or person, in key order.
pub async fn sla_report(
    db: &Db,
    org: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group: GroupBy,
) -> ApiResult<(Vec<ReportLine>, bool)> {
    let rows = fetch_all!(db, OutcomeRow, |qb| {
        qb.push(
            "SELECT kind, team_id, assignee_id, met, business_seconds FROM case_sla_outcomes \
             WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND at >= ").push_bind(from);
        qb.push(" AND at < ").push_bind(to);
        qb.push(" LIMIT ").push_bind(MAX_OUTCOMES + 1);
    });
    let truncated = rows.len() > usize::try_from(MAX_OUTCOMES).unwrap_or(usize::MAX);
    let mut groups: std::collections::BTreeMap<Option<Uuid>, (ReportLine, Vec<i64>, Vec<i64>)> =
        std::collections::BTreeMap::new();
    for row in rows
        .into_iter()
        .take(usize::try_from(MAX_OUTCOMES).unwrap_or(usize::MAX))
    {
        let key = match group {
            GroupBy::Team => row.team_id,
            GroupBy::Person => row.assignee_id,
        };
        let (line, first, resolution) = groups.entry(key).or_insert_with(|| {
            (
                ReportLine {
                    key,
                    first_response_met: 0,
                    first_response_breached: 0,
                    resolution_met: 0,
                    resolution_breached: 0,
                    next_response_met: 0,
                    next_response_breached: 0,
                    first_response_median_seconds: None,
                    resolution_median_seconds: None,
                },
                Vec::new(),
                Vec::new(),
            )
        });
        let (met, breached) = match row.kind.as_str() {
            "FIRST_RESPONSE" => {
                first.push(row.business_seconds);
                (
                    &mut line.first_response_met,
                    &mut line.first_response_breached,
                )
            }
            "RESOLUTION" => {
                resolution.push(row.business_seconds);
                (&mut line.resolution_met, &mut line.resolution_breached)
            }
            _ => (
                &mut line.next_response_met,
                &mut line.next_response_breached,
            ),
        };
        if row.met {
            *met += 1;
        } else {
            *breached += 1;
        }
    }
    let lines = groups
        .into_values()
        .map(|(mut line, mut first, mut resolution)| {
            line.first_response_median_seconds = median(&mut first);
            line.resolution_median_seconds = median(&mut resolution);
            line
        })
        .collect();
    Ok((lines, truncated))
}

/// The median (the lower middle of an even count).
fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    values.get((values.len() - 1) / 2).copied()
}
