//! The cases the case queue and SLA timer scenarios read: complaints and enquiries from
//! contacts, come in on the teams' channels over the history, routed by the
//! organization's rules (one catch-all rule naming an SLA policy) and timed by that
//! policy. Most are resolved; a few percent, opened in the history's last days, are
//! still open, and their SLA clocks set `next_timer`.
//!
//! Like the rest of the history, every event comes out of the aggregates' own command
//! handlers (routing decided by the rules' own `route`, the SLA snapshot by the policy's
//! own `snapshot_for`, as the intake use case does), and the `cases` read model is built
//! from them by the real `CasesProjection` during `chorus projections rebuild`.

use std::collections::BTreeMap;

use chorus_cases::domain::case::{Case, CaseCommand, Intake};
use chorus_cases::domain::contact::{Contact, ContactCommand};
use chorus_cases::domain::routing::{
    CaseFacts, RoutingRule, RoutingRules, RoutingRulesCommand, RoutingRulesSnapshot, RuleActions,
    RuleConditions,
};
use chorus_cases::domain::sla::{
    SlaPolicy, SlaPolicyCommand, SlaPolicyDefinition, SlaPolicyName, SlaTargets,
};
use chorus_cases::domain::values::{
    ContactHandle, DisplayName, ExternalMessageId, MessageText, Priority, ResolutionCode, RuleName,
    Visibility,
};
use chorus_teams::{RoleFunction, SocialNetwork};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::recorder::{value, Recorder, Tracked};
use super::Clock;
use crate::BenchError;

/// Teams whose queues take the cases (the first of them is the busy one).
pub const CASE_TEAMS: usize = 6;
/// Cases per hundred still open at the history's end.
const OPEN_PER_HUNDRED: usize = 3;
/// Cases per contact (a contact writes a few times over the history).
const CASES_PER_CONTACT: usize = 4;
/// How far back the open cases were opened.
const OPEN_WITHIN_DAYS: i64 = 3;
/// The SLA targets, in minutes: long enough that no open case is due during the run
/// (the SLA timer scenario picks its own instant, see `Dataset::sla_due`).
const FIRST_RESPONSE_MINUTES: u32 = 7 * 24 * 60;
const RESOLUTION_MINUTES: u32 = 14 * 24 * 60;
const WARNING_LEAD_MINUTES: u32 = 60;
const REOPEN_WINDOW_MINUTES: u32 = 3 * 24 * 60;

/// What the cases scenarios need to know of the generated cases.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cases {
    /// Cases stored.
    pub total: u64,
    /// Of which still open.
    pub open: u64,
    /// Open cases in the busy team's queue.
    pub busy_open: u64,
}

/// A deterministic scatter of `i` over `0..n` (no RNG dependency; reproducible).
fn scatter(i: usize, n: usize) -> usize {
    i.wrapping_mul(2_654_435_761) % n.max(1)
}

/// Which of `CASE_TEAMS` teams case `i` goes to: two in five to the busy team.
fn team_of(i: usize, teams: usize) -> usize {
    if teams <= 1 || scatter(i, 5) < 2 {
        0
    } else {
        1 + i % (teams - 1)
    }
}

/// Generates `count` cases over `teams` (with their `channels`) through `rec`, from
/// the clock's instant to `to`, the history's end.
pub(super) async fn load(
    rec: &mut Recorder,
    clock: &mut Clock,
    count: usize,
    (teams, channels): (&[Uuid], &[Uuid]),
    to: DateTime<Utc>,
    admin_id: Uuid,
) -> Result<Cases, BenchError> {
    let mut cases = Cases::default();
    if count == 0 {
        return Ok(cases);
    }
    let organization_id = rec.organization_id();
    let teams = &teams[..CASE_TEAMS.min(teams.len())];
    let (policy_id, policy) = sla_policy(rec, clock, admin_id).await?;
    let rules = routing_rules(rec, clock, policy_id, admin_id).await?;

    // The contacts, each with a handle on X.
    let contacts = count.div_ceil(CASES_PER_CONTACT);
    let mut contact_ids = Vec::with_capacity(contacts);
    for n in 0..contacts {
        let contact_id = Uuid::now_v7();
        let mut contact = Tracked::<Contact>::new(contact_id);
        let command = ContactCommand::RegisterContact {
            contact_id,
            organization_id,
            display_name: Some(value::<DisplayName, _>(format!("Contact {n}"))?),
            handle: Some((
                SocialNetwork::X,
                value::<ContactHandle, _>(format!("contact{n}"))?,
            )),
            crm_id: None,
            vip: false,
            by: admin_id,
        };
        rec.run(&mut contact, command, admin_id, clock.tick())
            .await?;
        contact_ids.push(contact_id);
    }

    // Resolved cases over the history (each resolved within two days), open ones in its
    // last days; in the order they were opened, as the log and the read model hold them.
    let start = clock.tick() + Duration::hours(1);
    let closed_span = (to - Duration::days(OPEN_WITHIN_DAYS)) - start;
    let open_span = Duration::days(OPEN_WITHIN_DAYS).num_milliseconds() as usize;
    let is_open = |i: usize| scatter(i, 100) < OPEN_PER_HUNDRED;
    let opened = |i: usize| {
        if is_open(i) {
            to - Duration::milliseconds(scatter(i, open_span) as i64)
        } else {
            start + closed_span * (i as i32) / (count as i32)
        }
    };
    let mut open_ones: Vec<usize> = (0..count).filter(|i| is_open(*i)).collect();
    open_ones.sort_by_key(|i| opened(*i));
    let order = (0..count).filter(|i| !is_open(*i)).chain(open_ones);
    for i in order {
        let open = is_open(i);
        let team = team_of(i, teams.len());
        let opened_at = opened(i);
        let channel_id = channels[team];
        let visibility = if i % 3 == 0 {
            Visibility::Private
        } else {
            Visibility::Public
        };
        let text =
            format!("Order {i}: the parcel arrived late and one item is missing, can you help?");
        let facts = CaseFacts {
            text: Some(text.as_str()),
            channel_id: Some(channel_id),
            network: Some(SocialNetwork::X),
            visibility: Some(visibility),
            vip: false,
            category: None,
        };
        let mut routing = rules.route(&facts);
        // The intake use case: a rule that names no team sends the case to the channel's.
        if routing.team_id.is_none() {
            routing.team_id = Some(teams[team]);
        }
        let sla = routing
            .sla_policy_id
            .filter(|id| *id == policy_id)
            .and_then(|_| policy.aggregate.snapshot_for(routing.priority, None));
        let case_id = Uuid::now_v7();
        let mut case = Tracked::<Case>::new(case_id);
        let command = CaseCommand::OpenCase {
            case_id,
            organization_id,
            contact_id: contact_ids[i % contacts],
            intake: Intake::ChannelMessage {
                channel_id,
                network: SocialNetwork::X,
                external_message_id: value::<ExternalMessageId, _>(format!("bench-{i}"))?,
                visibility,
                text: value::<MessageText, _>(text)?,
                received_at: opened_at,
            },
            routing: Box::new(routing),
            sla: sla.map(Box::new),
            follows: None,
            reopen_window_minutes: REOPEN_WINDOW_MINUTES,
            by: admin_id,
            at: opened_at,
        };
        rec.run(&mut case, command, admin_id, opened_at).await?;
        if open {
            cases.open += 1;
            if team == 0 {
                cases.busy_open += 1;
            }
        } else {
            let at = opened_at + Duration::minutes(30 + scatter(i, 47 * 60) as i64);
            let command = CaseCommand::ResolveCase {
                code: value::<ResolutionCode, _>("ANSWERED".to_owned())?,
                by: admin_id,
                at,
            };
            rec.run(&mut case, command, admin_id, at).await?;
        }
        cases.total += 1;
    }
    Ok(cases)
}

/// The organization's SLA policy: the same targets for every priority.
async fn sla_policy(
    rec: &mut Recorder,
    clock: &mut Clock,
    admin_id: Uuid,
) -> Result<(Uuid, Tracked<SlaPolicy>), BenchError> {
    let targets = SlaTargets {
        first_response: Some(FIRST_RESPONSE_MINUTES),
        next_response: Some(FIRST_RESPONSE_MINUTES),
        resolution: Some(RESOLUTION_MINUTES),
    };
    let definition = SlaPolicyDefinition::try_new(
        [
            Priority::Low,
            Priority::Normal,
            Priority::High,
            Priority::Urgent,
        ]
        .into_iter()
        .map(|p| (p, targets))
        .collect::<BTreeMap<_, _>>(),
        None,
        WARNING_LEAD_MINUTES,
    )
    .map_err(|e| BenchError::Dataset(e.to_string()))?;
    let policy_id = Uuid::now_v7();
    let mut policy = Tracked::<SlaPolicy>::new(policy_id);
    let command = SlaPolicyCommand::DefineSlaPolicy {
        policy_id,
        organization_id: rec.organization_id(),
        name: value::<SlaPolicyName, _>("Bench care standard".to_owned())?,
        definition,
        by: admin_id,
    };
    rec.run(&mut policy, command, admin_id, clock.tick())
        .await?;
    Ok((policy_id, policy))
}

/// The organization's routing rules: one rule taking every case to customer service,
/// timed by `policy_id`, in the queue of the team whose channel it came in on.
async fn routing_rules(
    rec: &mut Recorder,
    clock: &mut Clock,
    policy_id: Uuid,
    admin_id: Uuid,
) -> Result<RoutingRulesSnapshot, BenchError> {
    let organization_id = rec.organization_id();
    let rule = RoutingRule {
        name: value::<RuleName, _>("Everything to customer care".to_owned())?,
        conditions: RuleConditions::default(),
        actions: RuleActions {
            category: None,
            function: RoleFunction::CustomerService,
            team_id: None,
            priority: Priority::Normal,
            sla_policy_id: Some(policy_id),
            handle_privately: false,
            escalate_to: None,
            reply_approver: None,
        },
    };
    let mut rules = Tracked::<RoutingRules>::new(organization_id);
    let command = RoutingRulesCommand::SetRoutingRules {
        organization_id,
        rules: vec![rule],
        by: admin_id,
    };
    rec.run(&mut rules, command, admin_id, clock.tick()).await?;
    Ok(rules.aggregate.snapshot())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_team_takes_two_cases_in_five_and_a_few_percent_stay_open() {
        let n = 10_000;
        let busy = (0..n).filter(|i| team_of(*i, CASE_TEAMS) == 0).count();
        assert!((3_500..4_500).contains(&busy), "busy team: {busy}");
        let open = (0..n)
            .filter(|i| scatter(*i, 100) < OPEN_PER_HUNDRED)
            .count();
        assert!((200..500).contains(&open), "open: {open}");
        assert!((0..n).all(|i| team_of(i, CASE_TEAMS) < CASE_TEAMS));
    }
}
