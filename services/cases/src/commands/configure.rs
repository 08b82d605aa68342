//! The organization's case configuration, managed by admins and LEGAL holders:
//! `setRoutingRules`, `defineSlaPolicy` / `reviseSlaPolicy` / `retireSlaPolicy` and
//! `defineBusinessCalendar` / `reviseBusinessCalendar` / `retireBusinessCalendar`. A
//! calendar's revision is recounted on every open case timed by it (only the remaining
//! time counts under the new hours).

use chorus_api::{execute_for, replay_or_execute, ApiError, ApiResult, Caller};
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_cases_domain::queue::{CaseQueue, CaseQueueCommand, QueueSettings};
use chorus_cases_domain::routing::{RoutingRule, RoutingRules, RoutingRulesCommand};
use chorus_cases_domain::sla::{
    BusinessCalendar, BusinessCalendarCommand, CalendarDefinition, CalendarName, SlaPolicy,
    SlaPolicyCommand, SlaPolicyDefinition, SlaPolicyName,
};
use chorus_kernel::CommandOutcome;
use uuid::Uuid;

use super::{actor_id, Outcome, RetryKey};
use crate::read;

/// A parsed `defineSlaPolicy` request.
#[derive(Debug, Clone)]
pub struct DefineSlaPolicy {
    pub name: SlaPolicyName,
    pub definition: SlaPolicyDefinition,
}

/// A parsed `defineBusinessCalendar` request.
#[derive(Debug, Clone)]
pub struct DefineCalendar {
    pub name: CalendarName,
    pub definition: CalendarDefinition,
}

/// Refuses a caller who may not change case configuration: people who are neither
/// LEGAL holders nor organization admins, and service accounts without `teams:write`.
pub async fn ensure_configurer(caller: Caller<'_>) -> ApiResult<()> {
    chorus_content::commands::require_policy_manager(caller)
        .await
        .map_err(|e| match e {
            ApiError::Forbidden(_) => ApiError::Forbidden(
                "only legal-role holders and organization admins may change routing rules, SLA policies and calendars",
            ),
            other => other,
        })
}

pub async fn set_routing_rules(
    caller: Caller<'_>,
    rules: Vec<RoutingRule>,
    key: RetryKey,
) -> Outcome {
    ensure_configurer(caller).await?;
    let org = caller.organization_id();
    replay_or_execute::<RoutingRules, _>(caller, key, || async move {
        let command = RoutingRulesCommand::SetRoutingRules {
            organization_id: org,
            rules,
            by: actor_id(&caller),
        };
        Ok((org, command))
    })
    .await
}

pub async fn define_sla_policy(
    caller: Caller<'_>,
    input: DefineSlaPolicy,
    key: RetryKey,
) -> Outcome {
    ensure_configurer(caller).await?;
    replay_or_execute::<SlaPolicy, _>(caller, key, || async move {
        calendar_of_organization(caller, input.definition.calendar_id()).await?;
        let policy_id = Uuid::now_v7();
        let command = SlaPolicyCommand::DefineSlaPolicy {
            policy_id,
            organization_id: caller.organization_id(),
            name: input.name,
            definition: input.definition,
            by: actor_id(&caller),
        };
        Ok((policy_id, command))
    })
    .await
}

pub async fn revise_sla_policy(
    caller: Caller<'_>,
    policy_id: Uuid,
    definition: SlaPolicyDefinition,
    key: RetryKey,
) -> Outcome {
    ensure_configurer(caller).await?;
    replay_or_execute::<SlaPolicy, _>(caller, key, || async move {
        policy_of_organization(caller, policy_id).await?;
        calendar_of_organization(caller, definition.calendar_id()).await?;
        let by = actor_id(&caller);
        Ok((
            policy_id,
            SlaPolicyCommand::ReviseSlaPolicy { definition, by },
        ))
    })
    .await
}

pub async fn retire_sla_policy(caller: Caller<'_>, policy_id: Uuid, key: RetryKey) -> Outcome {
    ensure_configurer(caller).await?;
    replay_or_execute::<SlaPolicy, _>(caller, key, || async move {
        policy_of_organization(caller, policy_id).await?;
        let by = actor_id(&caller);
        Ok((policy_id, SlaPolicyCommand::RetireSlaPolicy { by }))
    })
    .await
}

pub async fn define_calendar(caller: Caller<'_>, input: DefineCalendar, key: RetryKey) -> Outcome {
    ensure_configurer(caller).await?;
    replay_or_execute::<BusinessCalendar, _>(caller, key, || async move {
        let calendar_id = Uuid::now_v7();
        let command = BusinessCalendarCommand::DefineCalendar {
            calendar_id,
            organization_id: caller.organization_id(),
            name: input.name,
            definition: input.definition,
            by: actor_id(&caller),
        };
        Ok((calendar_id, command))
    })
    .await
}

/// Revises the calendar, then recounts every open case timed by it.
pub async fn revise_calendar(
    caller: Caller<'_>,
    calendar_id: Uuid,
    definition: CalendarDefinition,
    key: RetryKey,
) -> Outcome {
    ensure_configurer(caller).await?;
    let outcome = replay_or_execute::<BusinessCalendar, _>(caller, key, || async move {
        calendar_of_organization(caller, Some(calendar_id)).await?;
        let by = actor_id(&caller);
        Ok((
            calendar_id,
            BusinessCalendarCommand::ReviseCalendar { definition, by },
        ))
    })
    .await?;
    recount_cases(caller, calendar_id).await?;
    Ok(outcome)
}

/// Retires the calendar; cases already timed by it keep the version they recorded.
pub async fn retire_calendar(caller: Caller<'_>, calendar_id: Uuid, key: RetryKey) -> Outcome {
    ensure_configurer(caller).await?;
    replay_or_execute::<BusinessCalendar, _>(caller, key, || async move {
        calendar_of_organization(caller, Some(calendar_id)).await?;
        let by = actor_id(&caller);
        Ok((calendar_id, BusinessCalendarCommand::RetireCalendar { by }))
    })
    .await
}

/// Recounts the open cases timed by the calendar's current version (idempotent: a case
/// already on that version records nothing), so a retry completes what a failed attempt
/// left.
async fn recount_cases(caller: Caller<'_>, calendar_id: Uuid) -> ApiResult<()> {
    let (calendar, _, _) = caller
        .runtime
        .store
        .load::<BusinessCalendar>(&calendar_id.to_string())
        .await?;
    let Some(snapshot) = calendar.snapshot() else {
        return Ok(());
    };
    let org = caller.organization_id();
    let mut after = None;
    loop {
        let page =
            read::open_cases_on_calendar(&caller.runtime.db, org, calendar_id, after, 500).await?;
        let Some(last) = page.last().copied() else {
            break;
        };
        for case_id in page {
            let command = CaseCommand::RecountSla {
                calendar: snapshot.clone(),
                at: chorus_kernel::now(),
            };
            recount_one(caller, case_id, command).await?;
        }
        after = Some(last);
    }
    Ok(())
}

async fn recount_one(
    caller: Caller<'_>,
    case_id: Uuid,
    command: CaseCommand,
) -> ApiResult<CommandOutcome> {
    let mut attempts = 0;
    loop {
        match execute_for::<Case>(caller, case_id, command.clone(), None).await {
            Err(ApiError::Conflict) if attempts < 5 => attempts += 1,
            other => return other,
        }
    }
}

async fn policy_of_organization(caller: Caller<'_>, policy_id: Uuid) -> ApiResult<()> {
    let (policy, _, owner) = caller
        .runtime
        .store
        .load::<SlaPolicy>(&policy_id.to_string())
        .await?;
    if owner != Some(caller.organization_id()) || !policy.exists() {
        return Err(ApiError::NotFound("SLA policy"));
    }
    Ok(())
}

async fn calendar_of_organization(caller: Caller<'_>, calendar_id: Option<Uuid>) -> ApiResult<()> {
    let Some(calendar_id) = calendar_id else {
        return Ok(());
    };
    let (calendar, _, owner) = caller
        .runtime
        .store
        .load::<BusinessCalendar>(&calendar_id.to_string())
        .await?;
    if owner != Some(caller.organization_id()) || !calendar.exists() {
        return Err(ApiError::NotFound("business calendar"));
    }
    if calendar.is_retired() {
        return Err(ApiError::Domain {
            code: "CALENDAR_RETIRED",
            message: "calendarId: the business calendar is retired".into(),
        });
    }
    Ok(())
}

/// Sets how a team's queue hands its cases out, and which function approves replies to
/// its cases: organization admins only (they manage the teams).
pub async fn configure_queue(
    caller: Caller<'_>,
    team_id: Uuid,
    settings: QueueSettings,
    key: RetryKey,
) -> Outcome {
    if !super::is_admin(caller).await? {
        return Err(ApiError::Forbidden(
            "only organization admins may configure a team's case queue",
        ));
    }
    replay_or_execute::<CaseQueue, _>(caller, key, || async move {
        chorus_teams::api::team(caller, team_id).await?;
        let command = CaseQueueCommand::ConfigureQueue {
            team_id,
            organization_id: caller.organization_id(),
            settings,
            by: actor_id(&caller),
        };
        Ok((team_id, command))
    })
    .await
}
