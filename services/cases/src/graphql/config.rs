//! The case configuration as the API shows it: the organization's routing rules, its SLA
//! policies and its business-hours calendars.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chorus_api::{
    decode_after, decode_id, encode_cursor, encode_id, page, ApiError, ApiResult, Gql,
};
use chorus_cases_domain::routing as domain_routing;
use chorus_cases_domain::sla as domain_sla;
use chorus_teams::graphql::{RoleFunction, SocialNetwork};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::enums::{CaseCategory, CasePriority, MessageVisibility};
use super::shared::reading;
use crate::read::config::{self as read_config, Versioned, VersionedRow};

/// A day of the week.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Monday => Self::Mon,
            Weekday::Tuesday => Self::Tue,
            Weekday::Wednesday => Self::Wed,
            Weekday::Thursday => Self::Thu,
            Weekday::Friday => Self::Fri,
            Weekday::Saturday => Self::Sat,
            Weekday::Sunday => Self::Sun,
        }
    }
}

impl From<chrono::Weekday> for Weekday {
    fn from(day: chrono::Weekday) -> Self {
        match day {
            chrono::Weekday::Mon => Self::Monday,
            chrono::Weekday::Tue => Self::Tuesday,
            chrono::Weekday::Wed => Self::Wednesday,
            chrono::Weekday::Thu => Self::Thursday,
            chrono::Weekday::Fri => Self::Friday,
            chrono::Weekday::Sat => Self::Saturday,
            chrono::Weekday::Sun => Self::Sunday,
        }
    }
}

/// The organization's routing rules: ordered, the first a case meets decides.
pub struct RoutingRules {
    pub(super) version: u64,
    pub(super) valid_from: Option<DateTime<Utc>>,
    pub(super) rules: Vec<domain_routing::RoutingRule>,
}

#[Object]
impl RoutingRules {
    /// The version (0: the built-in defaults, in force until the organization sets rules).
    async fn version(&self) -> u64 {
        self.version
    }
    /// When this version was set.
    async fn valid_from(&self) -> Option<DateTime<Utc>> {
        self.valid_from
    }
    async fn rules(&self) -> Vec<RoutingRule> {
        self.rules.iter().cloned().map(RoutingRule).collect()
    }
}

/// One routing rule: every condition given must hold; the actions say where the case goes.
pub struct RoutingRule(pub domain_routing::RoutingRule);

#[Object]
impl RoutingRule {
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }
    /// Terms of the text, any of which matches (whole words, case-insensitive).
    async fn terms(&self) -> Vec<&str> {
        self.0.conditions.terms.iter().map(|t| t.as_str()).collect()
    }
    async fn channel_ids(&self) -> Vec<ID> {
        self.0
            .conditions
            .channels
            .iter()
            .map(|id| encode_id("Channel", *id))
            .collect()
    }
    async fn networks(&self) -> Vec<SocialNetwork> {
        self.0
            .conditions
            .networks
            .iter()
            .map(|n| (*n).into())
            .collect()
    }
    async fn visibility(&self) -> Option<MessageVisibility> {
        self.0.conditions.visibility.map(Into::into)
    }
    async fn vip(&self) -> Option<bool> {
        self.0.conditions.vip
    }
    /// Categories given at intake, any of which matches.
    async fn categories(&self) -> Vec<CaseCategory> {
        self.0
            .conditions
            .categories
            .iter()
            .map(|c| (*c).into())
            .collect()
    }
    async fn set_category(&self) -> Option<CaseCategory> {
        self.0.actions.category.map(Into::into)
    }
    async fn function(&self) -> RoleFunction {
        self.0.actions.function.into()
    }
    async fn team_id(&self) -> Option<ID> {
        self.0.actions.team_id.map(|id| encode_id("Team", id))
    }
    async fn priority(&self) -> CasePriority {
        self.0.actions.priority.into()
    }
    async fn sla_policy_id(&self) -> Option<ID> {
        self.0
            .actions
            .sla_policy_id
            .map(|id| encode_id("SlaPolicy", id))
    }
    async fn handle_privately(&self) -> bool {
        self.0.actions.handle_privately
    }
    async fn escalate_to(&self) -> Option<RoleFunction> {
        self.0.actions.escalate_to.map(Into::into)
    }
    async fn reply_approver(&self) -> Option<RoleFunction> {
        self.0.actions.reply_approver.map(Into::into)
    }
}

/// An SLA policy's targets for one priority, in minutes.
#[derive(SimpleObject)]
pub struct SlaTargetsView {
    pub priority: CasePriority,
    pub first_response_minutes: Option<u32>,
    pub next_response_minutes: Option<u32>,
    pub resolution_minutes: Option<u32>,
}

/// An SLA policy: targets per priority, counted around the clock or in a calendar's
/// business hours.
pub struct SlaPolicy(pub VersionedRow, pub domain_sla::SlaPolicyDefinition);

#[Object]
impl SlaPolicy {
    pub async fn id(&self) -> ID {
        encode_id("SlaPolicy", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    async fn targets(&self) -> Vec<SlaTargetsView> {
        self.1
            .targets()
            .iter()
            .map(|(priority, targets)| SlaTargetsView {
                priority: (*priority).into(),
                first_response_minutes: targets.first_response,
                next_response_minutes: targets.next_response,
                resolution_minutes: targets.resolution,
            })
            .collect()
    }
    /// The business-hours calendar it counts in (null: around the clock).
    async fn calendar_id(&self) -> Option<ID> {
        self.1
            .calendar_id()
            .map(|id| encode_id("BusinessCalendar", id))
    }
    /// How long before a deadline the warning is recorded.
    async fn warning_lead_minutes(&self) -> u32 {
        self.1.warning_lead_minutes()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A weekly interval of business hours, in local time (`end` may be `24:00`).
#[derive(SimpleObject)]
pub struct BusinessHours {
    pub day: Weekday,
    pub start: String,
    pub end: String,
}

/// A business-hours calendar: an IANA time zone, weekly hours and holidays.
pub struct BusinessCalendar(pub VersionedRow, pub domain_sla::CalendarDefinition);

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[Object]
impl BusinessCalendar {
    pub async fn id(&self) -> ID {
        encode_id("BusinessCalendar", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    /// The IANA time zone (`Europe/Paris`).
    async fn time_zone(&self) -> &str {
        self.1.time_zone().as_str()
    }
    async fn weekly(&self) -> Vec<BusinessHours> {
        self.1
            .weekly()
            .iter()
            .map(|interval| BusinessHours {
                day: interval.day.into(),
                start: clock(interval.start),
                end: clock(interval.end),
            })
            .collect()
    }
    async fn holidays(&self) -> Vec<NaiveDate> {
        self.1.holidays().iter().copied().collect()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

pub(super) fn sla_policy_of(row: VersionedRow) -> ApiResult<SlaPolicy> {
    let definition = serde_json::from_str(&row.definition).map_err(|e| ApiError::internal(&e))?;
    Ok(SlaPolicy(row, definition))
}

pub(super) fn calendar_of(row: VersionedRow) -> ApiResult<BusinessCalendar> {
    let definition = serde_json::from_str(&row.definition).map_err(|e| ApiError::internal(&e))?;
    Ok(BusinessCalendar(row, definition))
}

/// The configuration queries.
#[derive(Default)]
pub struct ConfigQuery;

async fn versioned_connection<N: async_graphql::OutputType>(
    ctx: &Context<'_>,
    which: Versioned,
    first: Option<i32>,
    after: Option<String>,
    node: impl Fn(VersionedRow) -> ApiResult<N>,
) -> ApiResult<Connection<String, N>> {
    let (org, db) = reading(ctx).await?;
    let limit = page(ctx, first, None)?.limit;
    let after = decode_after(after, |bytes| {
        serde_json::from_slice::<(String, Uuid)>(bytes).ok()
    })?;
    let rows = read_config::versioned_page(db, org, which, after.clone(), limit).await?;
    let nodes = rows
        .into_iter()
        .map(|row| {
            let cursor =
                encode_cursor(serde_json::to_vec(&(&row.name, row.id)).unwrap_or_default());
            node(row).map(|n| (cursor, n))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(chorus_api::cursor_connection(
        nodes,
        limit,
        after.is_some(),
        |(cursor, _)| cursor.clone(),
        |(_, n)| n,
    ))
}

#[Object]
impl ConfigQuery {
    /// The organization's routing rules in force (the built-in defaults, version 0, until
    /// it sets its own).
    async fn routing_rules(&self, ctx: &Context<'_>) -> async_graphql::Result<RoutingRules> {
        async {
            let (org, db) = reading(ctx).await?;
            Ok(match read_config::current_rules(db, org).await? {
                Some(row) => RoutingRules {
                    version: u64::try_from(row.version).unwrap_or_default(),
                    valid_from: Some(row.valid_from),
                    rules: serde_json::from_str(&row.rules).map_err(|e| ApiError::internal(&e))?,
                },
                None => RoutingRules {
                    version: 0,
                    valid_from: None,
                    rules: domain_routing::default_rules(),
                },
            })
        }
        .await
        .gql()
    }

    /// The organization's SLA policies, by name.
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn sla_policies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, SlaPolicy>> {
        versioned_connection(ctx, Versioned::SlaPolicies, first, after, sla_policy_of)
            .await
            .gql()
    }

    /// The organization's business-hours calendars, by name.
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn business_calendars(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, BusinessCalendar>> {
        versioned_connection(ctx, Versioned::Calendars, first, after, calendar_of)
            .await
            .gql()
    }

    /// An SLA policy by its global id.
    async fn sla_policy(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<SlaPolicy>> {
        async {
            let (org, db) = reading(ctx).await?;
            let id = decode_id("SlaPolicy", "id", &id)?;
            read_config::versioned(db, org, Versioned::SlaPolicies, id)
                .await?
                .map(sla_policy_of)
                .transpose()
        }
        .await
        .gql()
    }
}
