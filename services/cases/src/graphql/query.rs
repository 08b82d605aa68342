//! The cases queries: the case queue, a case, a contact, a case at a past instant, and
//! the SLA report.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, InputObject, MergedObject, Object, SimpleObject, ID};
use chorus_api::{decode_after, decode_id, encode_cursor, encode_id, page, runtime, ApiError, Gql};
use chorus_cases_domain::case::{Case as CaseState, CaseEvent};
use chorus_teams::graphql::RoleFunction;
use chrono::{DateTime, TimeDelta, Utc};
use cqrs_es::Aggregate;

use super::case::{Case, CaseSnapshot};
use super::config::ConfigQuery;
use super::contact::Contact;
use super::enums::{CaseCategory, CasePriority, CaseStatus};
use super::shared::reading;
use crate::read::{self, QueueFilter, QueueKey};

/// The check `reading` makes, run again on each kept answer of the case queue.
fn case_reader_guard(caller: chorus_api::Caller<'_>) -> chorus_api::responses::GuardFuture<'_> {
    Box::pin(crate::commands::ensure_case_reader(caller))
}

/// The root query's cases part.
#[derive(MergedObject, Default)]
pub struct CasesQuery(
    CaseQuery,
    ConfigQuery,
    super::queue::QueueQuery,
    super::approvals::ReplyApprovalQuery,
);

/// Filters of the case queue; every one optional. The queue lists open cases only.
#[derive(InputObject, Default)]
pub struct CaseQueueFilter {
    /// A team's queue (omit for every open case of the organization).
    team_id: Option<ID>,
    /// The organization's own queue (cases routed to no team).
    #[graphql(default)]
    organization_queue: bool,
    function: Option<RoleFunction>,
    status: Option<CaseStatus>,
    priority: Option<CasePriority>,
    category: Option<CaseCategory>,
    assignee_id: Option<ID>,
    channel_id: Option<ID>,
    /// Only cases whose next SLA deadline falls within this many minutes from now
    /// (overdue ones included).
    breach_within_minutes: Option<i32>,
}

impl CaseQueueFilter {
    fn parse(self) -> chorus_api::ApiResult<QueueFilter> {
        let team = match (self.team_id, self.organization_queue) {
            (Some(_), true) => {
                return Err(ApiError::bad_input(
                    "filter.organizationQueue",
                    "must not be set together with teamId",
                ))
            }
            (Some(id), false) => Some(Some(decode_id("Team", "filter.teamId", &id)?)),
            (None, true) => Some(None),
            (None, false) => None,
        };
        let deadline_before = match self.breach_within_minutes {
            Some(minutes) if !(0..=525_600).contains(&minutes) => {
                return Err(ApiError::bad_input(
                    "filter.breachWithinMinutes",
                    "must be between 0 and 525600",
                ))
            }
            Some(minutes) => Some(chorus_kernel::now() + TimeDelta::minutes(i64::from(minutes))),
            None => None,
        };
        Ok(QueueFilter {
            team,
            function: self
                .function
                .map(|f| chorus_teams::RoleFunction::from(f).as_str()),
            status: self
                .status
                .map(|s| chorus_cases_domain::values::CaseStatus::from(s).as_str()),
            priority: self
                .priority
                .map(|p| chorus_cases_domain::values::Priority::from(p).as_str()),
            category: self
                .category
                .map(|c| chorus_cases_domain::values::CaseCategory::from(c).as_str()),
            assignee: self
                .assignee_id
                .map(|id| decode_id("Person", "filter.assigneeId", &id))
                .transpose()?,
            channel: self
                .channel_id
                .map(|id| decode_id("Channel", "filter.channelId", &id))
                .transpose()?,
            deadline_before,
        })
    }
}

/// How the SLA report groups its outcomes.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SlaReportGroup {
    Team,
    Person,
}

/// The SLA outcomes of one team or person over a period (business time where the policy
/// counts it).
#[derive(SimpleObject)]
pub struct SlaReportLine {
    /// The team's or person's global id (null: no team, or nobody held the case).
    pub id: Option<ID>,
    pub first_response_met: i64,
    pub first_response_breached: i64,
    pub next_response_met: i64,
    pub next_response_breached: i64,
    pub resolution_met: i64,
    pub resolution_breached: i64,
    /// Median business seconds to the first response.
    pub first_response_median_seconds: Option<i64>,
    /// Median business seconds to resolution.
    pub resolution_median_seconds: Option<i64>,
}

/// The SLA report of a period.
#[derive(SimpleObject)]
pub struct SlaReport {
    pub lines: Vec<SlaReportLine>,
    /// True when the period held more outcomes than one report reads
    /// (`MAX_OUTCOMES`): narrow the period.
    pub truncated: bool,
}

#[derive(Default)]
pub struct CaseQuery;

#[Object]
impl CaseQuery {
    /// The open cases of a queue, by next SLA deadline, then oldest first.
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn case_queue(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseQueueFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Case>> {
        async {
            let (org, _) = reading(ctx).await?;
            let filter = filter.unwrap_or_default().parse()?;
            let limit = page(ctx, first, None)?.limit;
            let after = decode_after(after, |bytes| {
                serde_json::from_slice::<QueueKey>(bytes).ok()
            })?;
            let key = read::kept::PageKey {
                filter,
                after,
                limit,
            };
            let page = read::kept::queue_page(runtime(ctx)?, org, key).await?;
            if let Ok(contacts) = ctx.data::<read::kept::PageContacts>() {
                contacts.remember(&page);
            }
            // A page filtered by the clock ("breach within") changes without an event.
            if key.filter.deadline_before.is_none() {
                chorus_api::responses::keep(ctx, case_reader_guard);
            }
            Ok(chorus_api::cursor_connection(
                page.rows.clone(),
                limit,
                after.is_some(),
                |row| encode_cursor(serde_json::to_vec(&QueueKey::of(row)).unwrap_or_default()),
                Case,
            ))
        }
        .await
        .gql()
    }

    /// A case by its global id (null when it does not exist in your organization).
    async fn case(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Case>> {
        async {
            let (org, db) = reading(ctx).await?;
            let id = decode_id("Case", "id", &id)?;
            Ok(read::case(db, org, id).await?.map(Case))
        }
        .await
        .gql()
    }

    /// A contact by its global id.
    async fn contact(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Contact>> {
        async {
            let (org, db) = reading(ctx).await?;
            let id = decode_id("Contact", "id", &id)?;
            Ok(read::contact(db, org, id).await?.map(Contact))
        }
        .await
        .gql()
    }

    /// A case as it stood at `at`: its events up to then, folded.
    async fn case_as_of(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<Option<CaseSnapshot>> {
        async {
            let (org, db) = reading(ctx).await?;
            let id = decode_id("Case", "id", &id)?;
            let mut case = CaseState::default();
            let mut after = None;
            loop {
                let rows = read::timeline_of_case(db, org, id, after, 1000).await?;
                let Some(last) = rows.last().map(|row| row.sequence) else {
                    break;
                };
                for row in rows.iter().filter(|row| row.at <= at) {
                    let details: serde_json::Value =
                        serde_json::from_str(&row.details).map_err(|e| ApiError::internal(&e))?;
                    let event: CaseEvent =
                        serde_json::from_value(serde_json::json!({ row.kind.clone(): details }))
                            .map_err(|e| ApiError::internal(&e))?;
                    case.apply(event);
                }
                if rows.len() < 1000 {
                    break;
                }
                after = Some(last);
            }
            Ok(case.exists().then_some(CaseSnapshot { case, at }))
        }
        .await
        .gql()
    }

    /// Met and breached SLA targets per team or person for outcomes in `[from, to)`, with
    /// medians of the business time to first response and to resolution.
    async fn sla_report(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        group_by: SlaReportGroup,
    ) -> async_graphql::Result<SlaReport> {
        async {
            let (org, db) = reading(ctx).await?;
            if to <= from {
                return Err(ApiError::bad_input("to", "must be after from"));
            }
            let group = match group_by {
                SlaReportGroup::Team => read::report::GroupBy::Team,
                SlaReportGroup::Person => read::report::GroupBy::Person,
            };
            let kind = match group_by {
                SlaReportGroup::Team => "Team",
                SlaReportGroup::Person => "Person",
            };
            let (lines, truncated) = read::report::sla_report(db, org, from, to, group).await?;
            Ok(SlaReport {
                lines: lines
                    .into_iter()
                    .map(|line| SlaReportLine {
                        id: line.key.map(|id| encode_id(kind, id)),
                        first_response_met: line.first_response_met,
                        first_response_breached: line.first_response_breached,
                        next_response_met: line.next_response_met,
                        next_response_breached: line.next_response_breached,
                        resolution_met: line.resolution_met,
                        resolution_breached: line.resolution_breached,
                        first_response_median_seconds: line.first_response_median_seconds,
                        resolution_median_seconds: line.resolution_median_seconds,
                    })
                    .collect(),
                truncated,
            })
        }
        .await
        .gql()
    }
}
