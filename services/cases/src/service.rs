//! The cases application layer's look-ups: what the pure domain needs before a command
//! can be decided. The domain does no I/O; this module reads the role history, the
//! routing rules, SLA policy and calendar in force and the lexicon, and hands the results
//! to the commands.
//!
//! # Decided rules
//!
//! **A case's scope** is its organization, the team whose queue holds it (and that team's
//! ancestors), and the channel it came in on (and the team owning that channel, with its
//! ancestors). A person's role assignment covers a case when it is active at the instant
//! and its scope is the organization, one of those teams, or the channel. Assignments of
//! the organization-wide functions (LEGAL, HUMAN_RESOURCES, SENIOR_MANAGEMENT) cover
//! every case, as they cover every post. The domain then decides which functions are
//! needed (the routed one, an escalation's, a reply approver's).
//!
//! **Routing** uses the organization's current routing rules (the `RoutingRules`
//! aggregate keyed by the organization's id), or the built-in defaults (version 0).
//!
//! **Reply approval**: a case's team queue may name a reply approver function
//! (`CaseQueue`, keyed by the team's id, read from its events like the routing rules);
//! the routing rule's approver wins over it (see `Case::configured_reply_approver`).
//!
//! **SLA**: the routed SLA policy's current version, with its business-hours calendar's
//! current version when it counts business time; nothing when the policy is unknown,
//! retired or sets no target for the case's priority.

use chorus_api::ApiResult;
use chorus_cases_domain::queue::CaseQueue;
use chorus_cases_domain::routing::{RoutingRules, RoutingRulesSnapshot};
use chorus_cases_domain::sla::{BusinessCalendar, SlaPolicy, SlaSnapshot};
use chorus_cases_domain::values::Priority;
use chorus_content::domain::{HeldRole, LexiconMatch};
use chorus_kernel::{Db, EventStore};
use chorus_teams::api as teams_api;
use chorus_teams::values::{RoleFunction, ScopeKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where a case sits: the scope its workers' roles must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseScope {
    /// The team whose queue holds the case (`None`: the organization's own queue).
    pub team_id: Option<Uuid>,
    /// The channel it came in on, if any.
    pub channel_id: Option<Uuid>,
}

/// The role assignments of `person` that cover a case at `scope` at `at`, oldest first
/// (see the module documentation for the rule).
pub async fn case_roles(
    db: &Db,
    org: Uuid,
    person: Uuid,
    scope: CaseScope,
    at: DateTime<Utc>,
) -> ApiResult<Vec<HeldRole>> {
    let assignments = teams_api::active_assignments(db, org, person, at).await?;
    if assignments.is_empty() {
        return Ok(Vec::new());
    }
    let mut teams = match scope.team_id {
        Some(team) => teams_api::team_ancestors(db, org, team).await?,
        None => Vec::new(),
    };
    let channels: Vec<Uuid> = scope.channel_id.into_iter().collect();
    if !channels.is_empty() {
        let owners = teams_api::channel_owners(db, org, &channels).await?;
        teams.extend(owners.team_parents.iter().map(|(team, _)| *team));
    }
    Ok(assignments
        .into_iter()
        .filter(|a| {
            chorus_content::service::ORGANIZATION_WIDE.contains(&a.function)
                || match a.scope.kind {
                    ScopeKind::Organization => a.scope.id == org,
                    ScopeKind::Team => teams.contains(&a.scope.id),
                    ScopeKind::Channel => channels.contains(&a.scope.id),
                }
        })
        .map(|a| HeldRole {
            assignment_id: a.id,
            function: a.function,
            responsibility: a.responsibility,
            scope: a.scope,
        })
        .collect())
}

/// The organization's routing rules in force (the defaults, version 0, when it set none).
pub async fn routing_rules(store: &EventStore, org: Uuid) -> ApiResult<RoutingRulesSnapshot> {
    let (rules, _, owner) = store.load::<RoutingRules>(&org.to_string()).await?;
    if owner.is_some_and(|owner| owner != org) {
        return Ok(RoutingRules::default().snapshot());
    }
    Ok(rules.snapshot())
}

/// The reply approver the queue of `team` (of organization `org`) configures, if any; none
/// for the organization's own queue (`team` is `None`) and for an unconfigured queue.
pub async fn team_reply_approver(
    store: &EventStore,
    org: Uuid,
    team: Option<Uuid>,
) -> ApiResult<Option<RoleFunction>> {
    let Some(team) = team else {
        return Ok(None);
    };
    let (queue, _, owner) = store.load::<CaseQueue>(&team.to_string()).await?;
    if owner != Some(org) {
        return Ok(None);
    }
    Ok(queue.settings().reply_approver)
}

/// The SLA a case of `priority` routed to `policy` is timed by (see the module
/// documentation).
pub async fn sla_for(
    store: &EventStore,
    org: Uuid,
    policy: Option<Uuid>,
    priority: Priority,
) -> ApiResult<Option<SlaSnapshot>> {
    let Some(policy_id) = policy else {
        return Ok(None);
    };
    let (policy, _, owner) = store.load::<SlaPolicy>(&policy_id.to_string()).await?;
    if owner != Some(org) || !policy.exists() || policy.is_retired() {
        return Ok(None);
    }
    let calendar = match policy.definition().and_then(|d| d.calendar_id()) {
        Some(calendar_id) => {
            let (calendar, _, owner) = store
                .load::<BusinessCalendar>(&calendar_id.to_string())
                .await?;
            if owner != Some(org) {
                None
            } else {
                calendar.snapshot()
            }
        }
        None => None,
    };
    Ok(policy.snapshot_for(priority, calendar))
}

/// What the organization's lexicon finds in a reply.
pub async fn scan_lexicon(
    store: &EventStore,
    org: Uuid,
    text: &str,
) -> ApiResult<Vec<LexiconMatch>> {
    chorus_content::service::scan_lexicon(store, org, text).await
}
