//! Given/when/then tests of replies: privacy, approval with four-eyes, withdrawal,
//! delegated authority and the outbound message's status.

use chorus_teams_domain::testing::{assert_outcomes, records, refused, ADMIN};
use chorus_teams_domain::values::RoleFunction;
use uuid::Uuid;

use super::tests::{assign, minutes, opened, role, routed, text, then, AGENT, OTHER_AGENT};
use super::*;
use crate::values::{ExternalMessageId, Reason, SlaTargetKind, Visibility};

const REPLY: Uuid = Uuid::from_u128(0x2e);
const APPROVER: Uuid = Uuid::from_u128(0xa99);

fn reply(by: Uuid, function: RoleFunction, visibility: Visibility, delegated: bool) -> CaseCommand {
    CaseCommand::ReplyToContact {
        reply_id: REPLY,
        text: text("Sorry about that, we are on it."),
        visibility,
        by,
        responder_roles: vec![role(function, 0x500)],
        delegated,
        team_reply_approver: None,
        flags: vec![],
        at: minutes(20),
    }
}

/// A complaint (handled privately) whose replies need a CUSTOMER_SERVICE approver's
/// approval, held by AGENT.
fn complaint_needing_approval() -> Vec<CaseEvent> {
    let mut routing = routed("My order arrived broken, I want a refund");
    assert_eq!(routing.function, RoleFunction::CustomerService);
    assert!(routing.handle_privately);
    routing.reply_approver = Some(RoleFunction::SeniorManagement);
    let history = records::<Case>(
        vec![],
        super::tests::open_with(routing, Some(super::tests::sla())),
    );
    then(history, assign(AGENT, RoleFunction::CustomerService))
}

fn approve(by: Uuid, function: RoleFunction) -> CaseCommand {
    CaseCommand::ApproveReply {
        reply_id: REPLY,
        by,
        approver_roles: vec![role(function, 0x600)],
        at: minutes(25),
    }
}

#[test]
fn a_complaint_handled_privately_refuses_a_public_reply() {
    let history = complaint_needing_approval();
    assert_eq!(
        refused::<Case>(
            history,
            reply(
                AGENT,
                RoleFunction::CustomerService,
                Visibility::Public,
                false
            )
        ),
        CaseError::ReplyMustBePrivate
    );
}

#[test]
fn a_reply_needing_approval_is_sent_once_another_holder_approves() {
    let submitted = then(
        complaint_needing_approval(),
        reply(
            AGENT,
            RoleFunction::CustomerService,
            Visibility::Private,
            false,
        ),
    );
    assert!(matches!(
        submitted.last(),
        Some(CaseEvent::ReplySubmitted { .. })
    ));
    // Submitting does not answer the contact: the first-response clock still runs.
    let case: Case = chorus_teams_domain::testing::replayed(submitted.clone());
    assert!(case
        .sla()
        .and_then(|s| s.deadline(SlaTargetKind::FirstResponse))
        .is_some());
    assert_outcomes::<Case>(vec![
        (
            "the responder approves their own reply",
            submitted.clone(),
            approve(AGENT, RoleFunction::SeniorManagement),
            Err(CaseError::FourEyes),
        ),
        (
            "an approver without the function",
            submitted.clone(),
            approve(APPROVER, RoleFunction::CustomerService),
            Err(CaseError::NotQualified {
                function: "SENIOR_MANAGEMENT".into(),
            }),
        ),
        (
            "an approver holding it",
            submitted.clone(),
            approve(APPROVER, RoleFunction::SeniorManagement),
            Ok(vec![
                CaseEvent::ReplyApproved {
                    reply_id: REPLY,
                    by: APPROVER,
                    assignment_id: Uuid::from_u128(0x600),
                    at: minutes(25),
                },
                CaseEvent::ReplySent {
                    reply_id: REPLY,
                    text: "Sorry about that, we are on it.".into(),
                    visibility: Visibility::Private,
                    responder: AGENT,
                    approved_by: Some(APPROVER),
                    delegated: false,
                    flags: vec![],
                    at: minutes(25),
                },
            ]),
        ),
        (
            "a resolution while it waits",
            submitted.clone(),
            CaseCommand::ResolveCase {
                code: crate::values::ResolutionCode::try_from("ANSWERED").expect("valid"),
                by: AGENT,
                at: minutes(26),
            },
            Err(CaseError::ReplyPending),
        ),
        (
            "someone else withdraws it",
            submitted.clone(),
            CaseCommand::WithdrawReply {
                reply_id: REPLY,
                by: OTHER_AGENT,
                at: minutes(26),
            },
            Err(CaseError::NotResponder),
        ),
        (
            "the responder withdraws it",
            submitted.clone(),
            CaseCommand::WithdrawReply {
                reply_id: REPLY,
                by: AGENT,
                at: minutes(26),
            },
            Ok(vec![CaseEvent::ReplyWithdrawn {
                reply_id: REPLY,
                by: AGENT,
                at: minutes(26),
            }]),
        ),
    ]);
    let approved = then(submitted, approve(APPROVER, RoleFunction::SeniorManagement));
    let case: Case = chorus_teams_domain::testing::replayed(approved.clone());
    assert!(case
        .sla()
        .and_then(|s| s.deadline(SlaTargetKind::FirstResponse))
        .is_none());
    assert_eq!(
        refused::<Case>(approved, approve(APPROVER, RoleFunction::SeniorManagement)),
        CaseError::ReplyNotPending
    );
}

#[test]
fn a_rejected_reply_keeps_its_note_and_its_id() {
    let submitted = then(
        complaint_needing_approval(),
        reply(
            AGENT,
            RoleFunction::CustomerService,
            Visibility::Private,
            false,
        ),
    );
    let rejected = then(
        submitted,
        CaseCommand::RejectReply {
            reply_id: REPLY,
            note: Reason::try_from("Offer the voucher instead").expect("valid"),
            by: APPROVER,
            approver_roles: vec![role(RoleFunction::SeniorManagement, 0x600)],
            at: minutes(25),
        },
    );
    assert!(
        matches!(rejected.last(), Some(CaseEvent::ReplyRejected { note, .. }) if note == "Offer the voucher instead")
    );
    assert_eq!(
        refused::<Case>(
            rejected,
            reply(
                AGENT,
                RoleFunction::CustomerService,
                Visibility::Private,
                false
            )
        ),
        CaseError::ReplyExists
    );
}

#[test]
fn delegated_authority_replies_without_waiting() {
    let sent = records::<Case>(
        complaint_needing_approval(),
        reply(
            AGENT,
            RoleFunction::CustomerService,
            Visibility::Private,
            true,
        ),
    );
    assert!(matches!(
        sent.as_slice(),
        [CaseEvent::ReplySent {
            delegated: true,
            approved_by: None,
            ..
        }]
    ));
}

#[test]
fn only_holders_of_a_working_function_reply() {
    let history = opened("Is there a discount?");
    assert_outcomes::<Case>(vec![
        (
            "a LEGAL holder on a sales case",
            history.clone(),
            reply(AGENT, RoleFunction::Legal, Visibility::Public, false),
            Err(CaseError::NotQualified {
                function: "SALES".into(),
            }),
        ),
        (
            "a SALES holder, publicly",
            history,
            reply(AGENT, RoleFunction::Sales, Visibility::Public, false),
            Ok(vec![CaseEvent::ReplySent {
                reply_id: REPLY,
                text: "Sorry about that, we are on it.".into(),
                visibility: Visibility::Public,
                responder: AGENT,
                approved_by: None,
                delegated: false,
                flags: vec![],
                at: minutes(20),
            }]),
        ),
    ]);
}

#[test]
fn an_integration_reports_the_outbound_message() {
    let history = opened("Is there a discount?");
    let status = |status| CaseCommand::RecordOutboundStatus {
        reply_id: REPLY,
        status,
        network_message_id: Some(ExternalMessageId::try_from("x-77").expect("valid")),
        detail: None,
        by: ADMIN,
        at: minutes(21),
    };
    assert_eq!(
        refused::<Case>(history.clone(), status(OutboundStatus::Sent)),
        CaseError::ReplyNotSent
    );
    let sent = then(
        history,
        reply(AGENT, RoleFunction::Sales, Visibility::Public, false),
    );
    assert_eq!(
        records::<Case>(sent.clone(), status(OutboundStatus::Sent)).len(),
        1
    );
    assert!(matches!(
        refused::<Case>(sent, status(OutboundStatus::Queued)),
        CaseError::Invalid(_)
    ));
}
