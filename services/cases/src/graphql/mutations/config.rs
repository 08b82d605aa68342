//! The configuration mutations: `setRoutingRules`, `defineSlaPolicy`, `reviseSlaPolicy`,
//! `retireSlaPolicy`, `defineBusinessCalendar`, `reviseBusinessCalendar` and
//! `retireBusinessCalendar`. Admins and LEGAL holders.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chorus_api::{
    decode_id, outcome_uuid, parse, principal, runtime, seal, ApiError, ApiResult, Caller, Gql,
    LogPositionScalar,
};
use chorus_cases_domain::routing::{RoutingRule, RuleActions, RuleConditions};
use chorus_cases_domain::sla::{
    CalendarDefinition, SlaPolicyDefinition, SlaTargets, TimeZoneName, WeeklyInterval,
};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chorus_teams::graphql::{RoleFunction, SocialNetwork};
use chrono::NaiveDate;
use serde::Serialize;

use super::{keyed, Keyed};
use crate::commands::{self, DefineCalendar, DefineSlaPolicy};
use crate::graphql::config::{
    calendar_of, sla_policy_of, BusinessCalendar, RoutingRules, SlaPolicy, Weekday,
};
use crate::graphql::enums::{CaseCategory, CasePriority, MessageVisibility};
use crate::read::config::{self as read_config, Versioned};

/// What a routing rule looks for; every condition given must hold.
#[derive(InputObject, Serialize, Default)]
pub struct RuleConditionsInput {
    /// Terms of the text, any of which matches.
    #[graphql(default)]
    terms: Vec<String>,
    #[graphql(default)]
    channel_ids: Vec<ID>,
    #[graphql(default)]
    networks: Vec<SocialNetwork>,
    visibility: Option<MessageVisibility>,
    vip: Option<bool>,
    /// Categories given at intake, any of which matches.
    #[graphql(default)]
    categories: Vec<CaseCategory>,
}

/// Where a matching case goes.
#[derive(InputObject, Serialize)]
pub struct RuleActionsInput {
    category: Option<CaseCategory>,
    function: RoleFunction,
    team_id: Option<ID>,
    #[graphql(default_with = "CasePriority::Normal")]
    priority: CasePriority,
    sla_policy_id: Option<ID>,
    #[graphql(default)]
    handle_privately: bool,
    escalate_to: Option<RoleFunction>,
    /// Replies need approval by a holder of this function.
    reply_approver: Option<RoleFunction>,
}

/// One routing rule.
#[derive(InputObject, Serialize)]
pub struct RoutingRuleInput {
    name: String,
    #[graphql(default)]
    conditions: RuleConditionsInput,
    actions: RuleActionsInput,
}

/// The organization's routing rules, in order (a new version).
#[derive(InputObject, Serialize)]
pub struct SetRoutingRulesInput {
    rules: Vec<RoutingRuleInput>,
    idempotency_key: Option<String>,
}

/// An SLA policy's targets for one priority, in minutes.
#[derive(InputObject, Serialize)]
pub struct SlaTargetsInput {
    priority: CasePriority,
    first_response_minutes: Option<u32>,
    next_response_minutes: Option<u32>,
    resolution_minutes: Option<u32>,
}

/// What an SLA policy says.
#[derive(InputObject, Serialize)]
pub struct SlaPolicyInput {
    targets: Vec<SlaTargetsInput>,
    /// Count business hours of this calendar (omit: around the clock).
    calendar_id: Option<ID>,
    #[graphql(default)]
    warning_lead_minutes: u32,
}

#[derive(InputObject, Serialize)]
pub struct DefineSlaPolicyInput {
    name: String,
    policy: SlaPolicyInput,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ReviseSlaPolicyInput {
    policy_id: ID,
    policy: SlaPolicyInput,
    idempotency_key: Option<String>,
}

/// Names an SLA policy or a calendar.
#[derive(InputObject, Serialize)]
pub struct RetireConfigInput {
    id: ID,
    idempotency_key: Option<String>,
}

/// A weekly interval of business hours in local time, `HH:MM` (`end` may be `24:00`).
#[derive(InputObject, Serialize)]
pub struct BusinessHoursInput {
    day: Weekday,
    start: String,
    end: String,
}

/// What a calendar says.
#[derive(InputObject, Serialize)]
pub struct CalendarInput {
    /// An IANA time zone (`Europe/Paris`).
    time_zone: String,
    weekly: Vec<BusinessHoursInput>,
    #[graphql(default)]
    holidays: Vec<NaiveDate>,
}

#[derive(InputObject, Serialize)]
pub struct DefineBusinessCalendarInput {
    name: String,
    calendar: CalendarInput,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ReviseBusinessCalendarInput {
    calendar_id: ID,
    calendar: CalendarInput,
    idempotency_key: Option<String>,
}

keyed!(
    SetRoutingRulesInput,
    DefineSlaPolicyInput,
    ReviseSlaPolicyInput,
    RetireConfigInput,
    DefineBusinessCalendarInput,
    ReviseBusinessCalendarInput,
);

/// Result of `setRoutingRules`.
#[derive(SimpleObject)]
pub struct RoutingRulesPayload {
    routing_rules: Option<RoutingRules>,
    position: LogPositionScalar,
    replayed: bool,
}

/// Result of the SLA policy mutations.
#[derive(SimpleObject)]
pub struct SlaPolicyPayload {
    sla_policy: Option<SlaPolicy>,
    position: LogPositionScalar,
    replayed: bool,
}

/// Result of the calendar mutations.
#[derive(SimpleObject)]
pub struct BusinessCalendarPayload {
    business_calendar: Option<BusinessCalendar>,
    position: LogPositionScalar,
    replayed: bool,
}

fn rule(index: usize, input: &RoutingRuleInput) -> ApiResult<RoutingRule> {
    let at = |field: &str| format!("rules[{index}].{field}");
    let c = &input.conditions;
    let a = &input.actions;
    Ok(RoutingRule {
        name: parse(&at("name"), &input.name)?,
        conditions: RuleConditions {
            terms: c
                .terms
                .iter()
                .enumerate()
                .map(|(n, t)| parse(&at(&format!("conditions.terms[{n}]")), t))
                .collect::<ApiResult<_>>()?,
            channels: c
                .channel_ids
                .iter()
                .enumerate()
                .map(|(n, id)| {
                    decode_id("Channel", &at(&format!("conditions.channelIds[{n}]")), id)
                })
                .collect::<ApiResult<_>>()?,
            networks: c.networks.iter().map(|n| (*n).into()).collect(),
            visibility: c.visibility.map(Into::into),
            vip: c.vip,
            categories: c.categories.iter().map(|c| (*c).into()).collect(),
        },
        actions: RuleActions {
            category: a.category.map(Into::into),
            function: a.function.into(),
            team_id: a
                .team_id
                .as_ref()
                .map(|id| decode_id("Team", &at("actions.teamId"), id))
                .transpose()?,
            priority: a.priority.into(),
            sla_policy_id: a
                .sla_policy_id
                .as_ref()
                .map(|id| decode_id("SlaPolicy", &at("actions.slaPolicyId"), id))
                .transpose()?,
            handle_privately: a.handle_privately,
            escalate_to: a.escalate_to.map(Into::into),
            reply_approver: a.reply_approver.map(Into::into),
        },
    })
}

fn sla_definition(input: &SlaPolicyInput) -> ApiResult<SlaPolicyDefinition> {
    let mut targets = BTreeMap::new();
    for (n, t) in input.targets.iter().enumerate() {
        let priority = t.priority.into();
        let previous = targets.insert(
            priority,
            SlaTargets {
                first_response: t.first_response_minutes,
                next_response: t.next_response_minutes,
                resolution: t.resolution_minutes,
            },
        );
        if previous.is_some() {
            return Err(ApiError::bad_input(
                format!("policy.targets[{n}].priority"),
                "must not repeat a priority",
            ));
        }
    }
    let calendar = input
        .calendar_id
        .as_ref()
        .map(|id| decode_id("BusinessCalendar", "policy.calendarId", id))
        .transpose()?;
    SlaPolicyDefinition::try_new(targets, calendar, input.warning_lead_minutes)
        .map_err(|e| ApiError::bad_input(format!("policy.{}", e.field), e.rule))
}

/// `HH:MM` as minutes of the day (`24:00` is 1440).
fn minutes_of(field: &str, raw: &str) -> ApiResult<u16> {
    let refuse = || ApiError::bad_input(field, "must be a time HH:MM from 00:00 to 24:00");
    let (h, m) = raw.split_once(':').ok_or_else(refuse)?;
    let (h, m): (u16, u16) = (
        h.parse().map_err(|_| refuse())?,
        m.parse().map_err(|_| refuse())?,
    );
    if h > 24 || m >= 60 || h * 60 + m > 1440 {
        return Err(refuse());
    }
    Ok(h * 60 + m)
}

fn calendar_definition(input: &CalendarInput) -> ApiResult<CalendarDefinition> {
    let zone: TimeZoneName = parse("calendar.timeZone", &input.time_zone)?;
    let weekly = input
        .weekly
        .iter()
        .enumerate()
        .map(|(n, w)| {
            Ok(WeeklyInterval {
                day: w.day.into(),
                start: minutes_of(&format!("calendar.weekly[{n}].start"), &w.start)?,
                end: minutes_of(&format!("calendar.weekly[{n}].end"), &w.end)?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let holidays: BTreeSet<NaiveDate> = input.holidays.iter().copied().collect();
    CalendarDefinition::try_new(zone, weekly, holidays)
        .map_err(|e| ApiError::bad_input(format!("calendar.{}", e.field), e.rule))
}

/// A configuration mutation's run: the idempotency key bound to the request, `parse`
/// turns the input into the use case's request, `use_case` runs it.
async fn config_run<'c, I: Keyed, R, Fut>(
    ctx: &'c Context<'_>,
    name: &'static str,
    input: &I,
    parse: impl FnOnce(&I) -> ApiResult<R>,
    use_case: impl FnOnce(Caller<'c>, R, Option<IdempotencyKey>) -> Fut,
) -> ApiResult<CommandOutcome>
where
    Fut: Future<Output = ApiResult<CommandOutcome>>,
{
    let (caller, key) = Caller::for_mutation(ctx, name, input.idempotency_key(), input)?;
    let request = parse(input)?;
    use_case(caller, request, key).await
}

async fn policy_payload(ctx: &Context<'_>, outcome: CommandOutcome) -> ApiResult<SlaPolicyPayload> {
    let org = principal(ctx)?.organization_id;
    let row = read_config::versioned(
        &runtime(ctx)?.db,
        org,
        Versioned::SlaPolicies,
        outcome_uuid(&outcome)?,
    )
    .await?;
    Ok(SlaPolicyPayload {
        sla_policy: row.map(sla_policy_of).transpose()?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn calendar_payload(
    ctx: &Context<'_>,
    outcome: CommandOutcome,
) -> ApiResult<BusinessCalendarPayload> {
    let org = principal(ctx)?.organization_id;
    let row = read_config::versioned(
        &runtime(ctx)?.db,
        org,
        Versioned::Calendars,
        outcome_uuid(&outcome)?,
    )
    .await?;
    Ok(BusinessCalendarPayload {
        business_calendar: row.map(calendar_of).transpose()?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn rules_payload(
    ctx: &Context<'_>,
    outcome: CommandOutcome,
) -> ApiResult<RoutingRulesPayload> {
    let org = principal(ctx)?.organization_id;
    let row = read_config::current_rules(&runtime(ctx)?.db, org).await?;
    let routing_rules = row
        .map(|row| {
            Ok::<_, ApiError>(RoutingRules {
                version: u64::try_from(row.version).unwrap_or_default(),
                valid_from: Some(row.valid_from),
                rules: serde_json::from_str(&row.rules).map_err(|e| ApiError::internal(&e))?,
            })
        })
        .transpose()?;
    Ok(RoutingRulesPayload {
        routing_rules,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

#[derive(Default)]
pub struct ConfigMutation;

#[Object]
impl ConfigMutation {
    /// Replaces the organization's routing rules with a new version: ordered, the first
    /// a case meets decides. Admins and LEGAL holders.
    async fn set_routing_rules(
        &self,
        ctx: &Context<'_>,
        input: SetRoutingRulesInput,
    ) -> async_graphql::Result<RoutingRulesPayload> {
        let parse = |i: &SetRoutingRulesInput| {
            i.rules
                .iter()
                .enumerate()
                .map(|(n, r)| rule(n, r))
                .collect::<ApiResult<Vec<_>>>()
        };
        async {
            let outcome = config_run(
                ctx,
                "setRoutingRules",
                &input,
                parse,
                commands::set_routing_rules,
            )
            .await?;
            rules_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Defines an SLA policy. Admins and LEGAL holders.
    async fn define_sla_policy(
        &self,
        ctx: &Context<'_>,
        input: DefineSlaPolicyInput,
    ) -> async_graphql::Result<SlaPolicyPayload> {
        let parse = |i: &DefineSlaPolicyInput| {
            Ok(DefineSlaPolicy {
                name: parse("name", &i.name)?,
                definition: sla_definition(&i.policy)?,
            })
        };
        async {
            let outcome = config_run(
                ctx,
                "defineSlaPolicy",
                &input,
                parse,
                commands::define_sla_policy,
            )
            .await?;
            policy_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Replaces an SLA policy's targets with a new version (cases keep the version they
    /// opened under). Admins and LEGAL holders.
    async fn revise_sla_policy(
        &self,
        ctx: &Context<'_>,
        input: ReviseSlaPolicyInput,
    ) -> async_graphql::Result<SlaPolicyPayload> {
        let parse = |i: &ReviseSlaPolicyInput| {
            Ok((
                decode_id("SlaPolicy", "policyId", &i.policy_id)?,
                sla_definition(&i.policy)?,
            ))
        };
        async {
            let outcome = config_run(
                ctx,
                "reviseSlaPolicy",
                &input,
                parse,
                |caller, (id, definition), key| {
                    commands::revise_sla_policy(caller, id, definition, key)
                },
            )
            .await?;
            policy_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Retires an SLA policy: new cases routed to it get no SLA. Admins and LEGAL holders.
    async fn retire_sla_policy(
        &self,
        ctx: &Context<'_>,
        input: RetireConfigInput,
    ) -> async_graphql::Result<SlaPolicyPayload> {
        let parse = |i: &RetireConfigInput| decode_id("SlaPolicy", "id", &i.id);
        async {
            let outcome = config_run(
                ctx,
                "retireSlaPolicy",
                &input,
                parse,
                commands::retire_sla_policy,
            )
            .await?;
            policy_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Defines a business-hours calendar. Admins and LEGAL holders.
    async fn define_business_calendar(
        &self,
        ctx: &Context<'_>,
        input: DefineBusinessCalendarInput,
    ) -> async_graphql::Result<BusinessCalendarPayload> {
        let parse = |i: &DefineBusinessCalendarInput| {
            Ok(DefineCalendar {
                name: parse("name", &i.name)?,
                definition: calendar_definition(&i.calendar)?,
            })
        };
        async {
            let outcome = config_run(
                ctx,
                "defineBusinessCalendar",
                &input,
                parse,
                commands::define_calendar,
            )
            .await?;
            calendar_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Replaces a calendar's hours with a new version; every open case timed by it keeps
    /// the business time it consumed and counts only what remains under the new hours.
    /// Admins and LEGAL holders.
    async fn revise_business_calendar(
        &self,
        ctx: &Context<'_>,
        input: ReviseBusinessCalendarInput,
    ) -> async_graphql::Result<BusinessCalendarPayload> {
        let parse = |i: &ReviseBusinessCalendarInput| {
            Ok((
                decode_id("BusinessCalendar", "calendarId", &i.calendar_id)?,
                calendar_definition(&i.calendar)?,
            ))
        };
        async {
            let outcome = config_run(
                ctx,
                "reviseBusinessCalendar",
                &input,
                parse,
                |caller, (id, definition), key| {
                    commands::revise_calendar(caller, id, definition, key)
                },
            )
            .await?;
            calendar_payload(ctx, outcome).await
        }
        .await
        .gql()
    }

    /// Retires a calendar. Admins and LEGAL holders.
    async fn retire_business_calendar(
        &self,
        ctx: &Context<'_>,
        input: RetireConfigInput,
    ) -> async_graphql::Result<BusinessCalendarPayload> {
        let parse = |i: &RetireConfigInput| decode_id("BusinessCalendar", "id", &i.id);
        async {
            let outcome = config_run(
                ctx,
                "retireBusinessCalendar",
                &input,
                parse,
                commands::retire_calendar,
            )
            .await?;
            calendar_payload(ctx, outcome).await
        }
        .await
        .gql()
    }
}
