//! Given/when/then tests of the case aggregate: intake, routing's effects, assignment,
//! escalation, resolution, reopening, merging and the SLA timer. Replies are in
//! `tests_replies.rs`.

use chorus_content_domain::HeldRole;
use chorus_teams_domain::testing::{assert_outcomes, records, refused, t0, ADMIN, ORG};
use chorus_teams_domain::values::{RoleFunction, RoleScope, SocialNetwork};
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::*;
use crate::routing::{default_rules, route, CaseFacts, RoutingDecision};
use crate::sla::{SlaSnapshot, SlaTargets};
use crate::values::{
    CaseStatus, ExternalMessageId, MessageText, Priority, Reason, ResolutionCode, SlaTargetKind,
    Visibility,
};

pub(super) const CASE: Uuid = Uuid::from_u128(0xca5e);
pub(super) const CONTACT: Uuid = Uuid::from_u128(0xc0);
pub(super) const CHANNEL: Uuid = Uuid::from_u128(0xc4);
pub(super) const AGENT: Uuid = Uuid::from_u128(0xa6);
pub(super) const OTHER_AGENT: Uuid = Uuid::from_u128(0xa7);

pub(super) fn text(raw: &str) -> MessageText {
    MessageText::try_from(raw).expect("valid text")
}

pub(super) fn minutes(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(n)
}

/// What the built-in defaults decide for a public message saying `message`.
pub(super) fn routed(message: &str) -> RoutingDecision {
    route(
        &default_rules(),
        0,
        &CaseFacts {
            text: Some(message),
            channel_id: Some(CHANNEL),
            network: Some(SocialNetwork::X),
            visibility: Some(Visibility::Public),
            vip: false,
            category: None,
        },
    )
}

/// An around-the-clock SLA: first response in 60 minutes, resolution in 8 hours, next
/// response in 30 minutes, warned 10 minutes ahead.
pub(super) fn sla() -> SlaSnapshot {
    SlaSnapshot {
        policy_id: Uuid::from_u128(0x51a),
        version: 1,
        priority: Priority::Normal,
        targets: SlaTargets {
            first_response: Some(60),
            next_response: Some(30),
            resolution: Some(480),
        },
        warning_lead_minutes: 10,
        calendar: None,
    }
}

pub(super) fn open_with(routing: RoutingDecision, sla: Option<SlaSnapshot>) -> CaseCommand {
    CaseCommand::OpenCase {
        case_id: CASE,
        organization_id: ORG,
        contact_id: CONTACT,
        intake: Intake::ChannelMessage {
            channel_id: CHANNEL,
            network: SocialNetwork::X,
            external_message_id: ExternalMessageId::try_from("m-1").expect("valid id"),
            visibility: Visibility::Public,
            text: text("Is there a discount on the new model?"),
            received_at: t0(),
        },
        routing: Box::new(routing),
        sla: sla.map(Box::new),
        follows: None,
        reopen_window_minutes: 60 * 24,
        by: ADMIN,
        at: t0(),
    }
}

/// The history of a case opened by `message` under the defaults, with the SLA above.
pub(super) fn opened(message: &str) -> Vec<CaseEvent> {
    records::<Case>(vec![], open_with(routed(message), Some(sla())))
}

/// `history` followed by what `command` records on it.
pub(super) fn then(mut history: Vec<CaseEvent>, command: CaseCommand) -> Vec<CaseEvent> {
    let events = records::<Case>(history.clone(), command);
    history.extend(events);
    history
}

pub(super) fn role(function: RoleFunction, id: u128) -> HeldRole {
    HeldRole {
        assignment_id: Uuid::from_u128(id),
        function,
        responsibility: None,
        scope: RoleScope::organization(ORG),
    }
}

pub(super) fn assign(person: Uuid, function: RoleFunction) -> CaseCommand {
    CaseCommand::AssignCase {
        assignee: person,
        assignee_roles: vec![role(function, 0x1000 + person.as_u128())],
        by: ADMIN,
        at: minutes(1),
    }
}

fn resolve(at: DateTime<Utc>) -> CaseCommand {
    CaseCommand::ResolveCase {
        code: ResolutionCode::try_from("ANSWERED").expect("valid code"),
        by: AGENT,
        at,
    }
}

fn message(id: &str, at: DateTime<Utc>) -> CaseCommand {
    CaseCommand::ReceiveContactMessage {
        external_message_id: Some(ExternalMessageId::try_from(id).expect("valid id")),
        text: text("Any news?"),
        visibility: Visibility::Private,
        by: ADMIN,
        at,
    }
}

fn state(history: Vec<CaseEvent>) -> Case {
    chorus_teams_domain::testing::replayed(history)
}

#[test]
fn a_channel_message_opens_a_routed_case_once() {
    let history = opened("Is there a discount on the new model?");
    let CaseEvent::CaseOpened { routing, at, .. } = &history[0] else {
        panic!("CaseOpened first: {history:?}");
    };
    assert_eq!(routing.function, RoleFunction::Sales);
    assert_eq!(routing.matched_term.as_deref(), Some("discount"));
    assert_eq!(*at, t0());
    let case = state(history.clone());
    assert_eq!(case.status(), Some(CaseStatus::Queued));
    assert_eq!(case.function(), Some(RoleFunction::Sales));

    assert_outcomes::<Case>(vec![
        (
            "the same message delivered again",
            history.clone(),
            open_with(routed("Is there a discount on the new model?"), None),
            Ok(vec![]),
        ),
        (
            "an id another organization's case holds",
            history,
            match open_with(routed("x"), None) {
                CaseCommand::OpenCase {
                    organization_id: _,
                    case_id,
                    contact_id,
                    intake,
                    routing,
                    sla,
                    follows,
                    reopen_window_minutes,
                    by,
                    at,
                } => CaseCommand::OpenCase {
                    organization_id: Uuid::from_u128(0xbad),
                    case_id,
                    contact_id,
                    intake,
                    routing,
                    sla,
                    follows,
                    reopen_window_minutes,
                    by,
                    at,
                },
                other => other,
            },
            Err(CaseError::OtherOrganization),
        ),
    ]);
}

#[test]
fn a_crisis_is_routed_to_pr_and_escalated_to_senior_management() {
    let history = opened("This is a scandal, we will boycott you");
    assert!(
        matches!(
            history.last(),
            Some(CaseEvent::CaseEscalated {
                to: RoleFunction::SeniorManagement,
                ..
            })
        ),
        "{history:?}"
    );
    let case = state(history);
    assert_eq!(case.function(), Some(RoleFunction::PublicRelations));
    assert!(case
        .escalated_to()
        .contains(&RoleFunction::SeniorManagement));
}

#[test]
fn only_a_holder_of_the_routed_function_may_hold_the_case() {
    let history = opened("Is there a discount?");
    assert_outcomes::<Case>(vec![
        (
            "a SALES holder",
            history.clone(),
            assign(AGENT, RoleFunction::Sales),
            Ok(vec![CaseEvent::CaseAssigned {
                assignee: AGENT,
                assignment_id: Uuid::from_u128(0x1000 + AGENT.as_u128()),
                previous: None,
                by: ADMIN,
                at: minutes(1),
            }]),
        ),
        (
            "a LEGAL holder on a sales case",
            history.clone(),
            assign(AGENT, RoleFunction::Legal),
            Err(CaseError::NotQualified {
                function: "SALES".into(),
            }),
        ),
        (
            "the holder again",
            then(history.clone(), assign(AGENT, RoleFunction::Sales)),
            assign(AGENT, RoleFunction::Sales),
            Err(CaseError::AlreadyAssigned),
        ),
        (
            "a resolved case",
            then(history, resolve(minutes(5))),
            assign(AGENT, RoleFunction::Sales),
            Err(CaseError::InvalidStatus {
                status: CaseStatus::Resolved,
            }),
        ),
    ]);
}

#[test]
fn losing_the_holder_or_a_transfer_puts_the_case_back_in_a_queue() {
    let held = then(
        opened("Is there a discount?"),
        assign(AGENT, RoleFunction::Sales),
    );
    let returned = then(
        held.clone(),
        CaseCommand::ReturnToQueue {
            reason: ReturnReason::Offboarded,
            by: ADMIN,
            at: minutes(2),
        },
    );
    let case = state(returned.clone());
    assert_eq!(case.status(), Some(CaseStatus::Queued));
    assert_eq!(case.assignee(), None);
    assert_eq!(
        refused::<Case>(
            returned,
            CaseCommand::ReturnToQueue {
                reason: ReturnReason::Unassigned,
                by: ADMIN,
                at: minutes(3),
            }
        ),
        CaseError::NotAssigned
    );

    let team = Uuid::from_u128(0x7e2);
    let transferred = then(
        held,
        CaseCommand::TransferCase {
            team_id: Some(team),
            function: RoleFunction::CustomerService,
            reason: Reason::try_from("It is a complaint after all").expect("valid reason"),
            by: AGENT,
            at: minutes(3),
        },
    );
    let case = state(transferred.clone());
    assert_eq!(
        (
            case.team_id(),
            case.function(),
            case.assignee(),
            case.status()
        ),
        (
            Some(team),
            Some(RoleFunction::CustomerService),
            None,
            Some(CaseStatus::Queued)
        )
    );
    assert!(matches!(
        refused::<Case>(transferred, assign(AGENT, RoleFunction::Sales)),
        CaseError::NotQualified { .. }
    ));
}

#[test]
fn escalation_goes_to_pr_legal_or_senior_management_once() {
    let history = opened("Is there a discount?");
    let escalate = |to| CaseCommand::EscalateCase {
        to,
        reason: Reason::try_from("They threaten to go to the press").expect("valid reason"),
        by: AGENT,
        at: minutes(4),
    };
    let escalated = then(history.clone(), escalate(RoleFunction::PublicRelations));
    assert_outcomes::<Case>(vec![
        (
            "to marketing",
            history,
            escalate(RoleFunction::Marketing),
            Err(CaseError::Invalid(chorus_shared::ValueError::new(
                "to",
                "must be PUBLIC_RELATIONS, LEGAL or SENIOR_MANAGEMENT",
            ))),
        ),
        (
            "to PR twice",
            escalated.clone(),
            escalate(RoleFunction::PublicRelations),
            Err(CaseError::AlreadyEscalated {
                function: "PUBLIC_RELATIONS".into(),
            }),
        ),
    ]);
    // A PR holder may now take the sales case too.
    assert!(records::<Case>(escalated, assign(AGENT, RoleFunction::PublicRelations)).len() == 1);
}

#[test]
fn a_contact_message_reopens_within_the_window_only() {
    let resolved = then(opened("Is there a discount?"), resolve(minutes(10)));
    let inside = minutes(10 + 60 * 24);
    let reopened = then(resolved.clone(), message("m-2", inside));
    assert!(matches!(
        reopened[reopened.len() - 2],
        CaseEvent::CaseReopened { .. }
    ));
    assert_eq!(state(reopened).status(), Some(CaseStatus::Queued));
    assert_outcomes::<Case>(vec![
        (
            "after the window",
            resolved.clone(),
            message("m-2", inside + TimeDelta::seconds(1)),
            Err(CaseError::ReopenWindowClosed),
        ),
        (
            "the opening message delivered again",
            resolved,
            message("m-1", inside),
            Ok(vec![]),
        ),
    ]);
}

#[test]
fn waiting_on_the_contact_ends_with_their_reply() {
    let held = then(
        opened("Is there a discount?"),
        assign(AGENT, RoleFunction::Sales),
    );
    let waiting = then(
        held,
        CaseCommand::WaitOnContact {
            by: AGENT,
            at: minutes(5),
        },
    );
    assert_eq!(
        state(waiting.clone()).status(),
        Some(CaseStatus::WaitingOnContact)
    );
    assert_eq!(
        refused::<Case>(
            waiting.clone(),
            CaseCommand::WaitOnContact {
                by: AGENT,
                at: minutes(6)
            }
        ),
        CaseError::InvalidStatus {
            status: CaseStatus::WaitingOnContact
        }
    );
    let answered = then(waiting, message("m-2", minutes(30)));
    assert_eq!(state(answered).status(), Some(CaseStatus::Assigned));
}

#[test]
fn sla_warning_and_breach_are_each_recorded_once() {
    let history = opened("Is there a discount?");
    let alerts = |now| CaseCommand::RecordSlaAlerts { now };
    assert_eq!(
        records::<Case>(history.clone(), alerts(minutes(49))),
        vec![]
    );
    let warned = then(history, alerts(minutes(50)));
    assert!(
        matches!(
            warned.last(),
            Some(CaseEvent::SlaWarningRecorded { alert, .. }) if alert.kind == SlaTargetKind::FirstResponse
        ),
        "{warned:?}"
    );
    assert_eq!(records::<Case>(warned.clone(), alerts(minutes(55))), vec![]);
    let breached = then(warned, alerts(minutes(61)));
    assert!(matches!(
        breached.last(),
        Some(CaseEvent::SlaBreachRecorded { alert, .. }) if alert.kind == SlaTargetKind::FirstResponse
    ));
    assert_eq!(
        records::<Case>(breached.clone(), alerts(minutes(62))),
        vec![]
    );
    // Resolved: nothing more, not even the resolution target's alerts.
    let resolved = then(breached, resolve(minutes(63)));
    assert_eq!(records::<Case>(resolved, alerts(minutes(60 * 24))), vec![]);
}

#[test]
fn waiting_on_the_contact_pauses_the_clocks() {
    let waiting = then(
        opened("Is there a discount?"),
        CaseCommand::WaitOnContact {
            by: AGENT,
            at: minutes(20),
        },
    );
    // Paused for a day: nothing falls due.
    assert_eq!(
        records::<Case>(
            waiting.clone(),
            CaseCommand::RecordSlaAlerts {
                now: minutes(60 * 24)
            }
        ),
        vec![]
    );
    let resumed = then(waiting, message("m-2", minutes(60 * 24)));
    let case = state(resumed);
    let deadline = case
        .sla()
        .and_then(|sla| sla.deadline(SlaTargetKind::FirstResponse))
        .expect("the first-response clock runs again");
    // 20 minutes were consumed before the pause: 40 remain from the contact's reply.
    assert_eq!(deadline, minutes(60 * 24 + 40));
}

#[test]
fn a_resolution_waits_for_pending_replies_and_a_merge_names_another_case() {
    let history = opened("Is there a discount?");
    assert_outcomes::<Case>(vec![
        (
            "merge into itself",
            history.clone(),
            CaseCommand::MergeInto {
                target: CASE,
                by: AGENT,
                at: minutes(3),
            },
            Err(CaseError::MergeIntoItself),
        ),
        (
            "merge into another",
            history.clone(),
            CaseCommand::MergeInto {
                target: Uuid::from_u128(0xca5f),
                by: AGENT,
                at: minutes(3),
            },
            Ok(vec![CaseEvent::CaseMerged {
                target: Uuid::from_u128(0xca5f),
                by: AGENT,
                at: minutes(3),
            }]),
        ),
    ]);
    let merged = then(
        history,
        CaseCommand::MergeInto {
            target: Uuid::from_u128(0xca5f),
            by: AGENT,
            at: minutes(3),
        },
    );
    assert_eq!(
        refused::<Case>(merged, message("m-9", minutes(4))),
        CaseError::InvalidStatus {
            status: CaseStatus::Merged
        }
    );
}

#[test]
fn case_events_round_trip() {
    let history = then(
        then(
            opened("This is a scandal"),
            assign(AGENT, RoleFunction::PublicRelations),
        ),
        resolve(minutes(9)),
    );
    chorus_teams_domain::testing::assert_events_round_trip(&history);
}
