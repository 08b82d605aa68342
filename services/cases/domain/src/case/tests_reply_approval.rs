//! Given/when/then tests of who must approve a reply: the routing rule's approver, else
//! the team queue's, and the lexicon's flags, which force approval and which delegated
//! authority does not cover.

use chorus_content_domain::{ContentFlag, LexiconMatch};
use chorus_teams_domain::testing::{assert_outcomes, records};
use chorus_teams_domain::values::RoleFunction;
use uuid::Uuid;

use super::tests::{minutes, open_with, role, routed, sla, text, AGENT};
use super::*;
use crate::values::Visibility;

const REPLY: Uuid = Uuid::from_u128(0x2f);
const TEXT: &str = "It is 99 EUR, with a discount today.";

fn flag() -> LexiconMatch {
    LexiconMatch {
        flag: ContentFlag::MentionsPricing,
        term: "discount".into(),
        lexicon_version: 1,
    }
}

/// A SALES holder's reply, with the team queue's approver and the lexicon's flags.
fn reply(
    delegated: bool,
    team_reply_approver: Option<RoleFunction>,
    flags: Vec<LexiconMatch>,
) -> CaseCommand {
    CaseCommand::ReplyToContact {
        reply_id: REPLY,
        text: text(TEXT),
        visibility: Visibility::Public,
        by: AGENT,
        responder_roles: vec![role(RoleFunction::Sales, 0x500)],
        delegated,
        team_reply_approver,
        flags,
        at: minutes(20),
    }
}

/// A pricing question (SALES) whose routing rule names `rule_approver`.
fn pricing_case(rule_approver: Option<RoleFunction>) -> Vec<CaseEvent> {
    let mut routing = routed("Is there a discount?");
    assert_eq!(routing.function, RoleFunction::Sales);
    routing.reply_approver = rule_approver;
    records::<Case>(vec![], open_with(routing, Some(sla())))
}

fn submitted(approver_function: RoleFunction, flags: Vec<LexiconMatch>) -> Vec<CaseEvent> {
    vec![CaseEvent::ReplySubmitted {
        reply_id: REPLY,
        text: TEXT.into(),
        visibility: Visibility::Public,
        approver_function,
        flags,
        by: AGENT,
        at: minutes(20),
    }]
}

fn sent(delegated: bool) -> Vec<CaseEvent> {
    vec![CaseEvent::ReplySent {
        reply_id: REPLY,
        text: TEXT.into(),
        visibility: Visibility::Public,
        responder: AGENT,
        approved_by: None,
        delegated,
        flags: vec![],
        at: minutes(20),
    }]
}

#[test]
fn the_rules_approver_wins_else_the_teams() {
    use RoleFunction::{PublicRelations, SeniorManagement};
    assert_outcomes::<Case>(vec![
        (
            "neither asks: sent",
            pricing_case(None),
            reply(false, None, vec![]),
            Ok(sent(false)),
        ),
        (
            "the team asks, the rule names none: the team's approver",
            pricing_case(None),
            reply(false, Some(SeniorManagement), vec![]),
            Ok(submitted(SeniorManagement, vec![])),
        ),
        (
            "both ask: the rule's approver",
            pricing_case(Some(PublicRelations)),
            reply(false, Some(SeniorManagement), vec![]),
            Ok(submitted(PublicRelations, vec![])),
        ),
        (
            "the team asks, the responder has delegated authority: sent, recorded as delegated",
            pricing_case(None),
            reply(true, Some(SeniorManagement), vec![]),
            Ok(sent(true)),
        ),
    ]);
}

#[test]
fn a_flagged_reply_always_needs_approval() {
    use RoleFunction::{PublicRelations, Sales};
    assert_outcomes::<Case>(vec![
        (
            "nothing configured: a second holder of the case's function",
            pricing_case(None),
            reply(false, None, vec![flag()]),
            Ok(submitted(Sales, vec![flag()])),
        ),
        (
            "an approver configured: that approver",
            pricing_case(Some(PublicRelations)),
            reply(false, None, vec![flag()]),
            Ok(submitted(PublicRelations, vec![flag()])),
        ),
        (
            "delegated authority does not cover a flagged reply",
            pricing_case(Some(PublicRelations)),
            reply(true, None, vec![flag()]),
            Ok(submitted(PublicRelations, vec![flag()])),
        ),
    ]);
}

#[test]
fn the_approver_a_case_would_ask_for() {
    let case: Case = chorus_teams_domain::testing::replayed(pricing_case(None));
    assert_eq!(case.configured_reply_approver(None), None);
    assert_eq!(
        case.configured_reply_approver(Some(RoleFunction::Legal)),
        Some(RoleFunction::Legal)
    );
    let case: Case =
        chorus_teams_domain::testing::replayed(pricing_case(Some(RoleFunction::PublicRelations)));
    assert_eq!(
        case.configured_reply_approver(Some(RoleFunction::Legal)),
        Some(RoleFunction::PublicRelations)
    );
}
