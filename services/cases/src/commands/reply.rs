//! Answering the contact: `replyToCase` (sent, or submitted for approval when the case's
//! routing rule, or else its team's queue, names a reply approver and the responder has
//! no delegated authority, or when the lexicon flags the reply), `approveCaseReply`,
//! `rejectCaseReply` and `withdrawCaseReply`. The lexicon scans replies as it scans
//! posts; the domain decides who approves (`Case::reply_approver`).

use chorus_api::{execute_for, replayed_for, Caller};
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_cases_domain::values::{MessageText, Reason, Visibility};
use uuid::Uuid;

use super::{as_worker, load_case, person_id, roles_on, Outcome, RetryKey};
use crate::service;

/// A parsed `replyToCase` request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub case_id: Uuid,
    pub text: MessageText,
    pub visibility: Visibility,
}

/// A parsed `approveCaseReply`, `rejectCaseReply` or `withdrawCaseReply` request.
#[derive(Debug, Clone)]
pub struct DecideReply {
    pub case_id: Uuid,
    pub reply_id: Uuid,
    /// Why (required to reject).
    pub note: Option<Reason>,
}

/// A worker answers. The approver configured for the case is the routing rule's, else
/// the one its team's queue names. A responder who holds that function themselves, when
/// it is not the case's own function, replies under delegated authority (a manager),
/// without waiting, unless the lexicon flags the reply; when the approver function is the
/// case's own, every reply needs a second holder's approval (four-eyes).
pub async fn reply_to_case(caller: Caller<'_>, input: Reply, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    let (responder, roles) = as_worker(caller, &case).await?;
    let team_reply_approver = service::team_reply_approver(
        &caller.runtime.store,
        caller.organization_id(),
        case.team_id(),
    )
    .await?;
    let approver = case.configured_reply_approver(team_reply_approver);
    let delegated = approver.is_some_and(|function| {
        Some(function) != case.function() && roles.iter().any(|r| r.function == function)
    });
    let flags = service::scan_lexicon(
        &caller.runtime.store,
        caller.organization_id(),
        input.text.as_str(),
    )
    .await?;
    let reply_id = Uuid::now_v7();
    let command = CaseCommand::ReplyToContact {
        reply_id,
        text: input.text,
        visibility: input.visibility,
        by: responder,
        responder_roles: roles,
        delegated,
        team_reply_approver,
        flags,
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}

/// An approver's decision, with their roles covering the case (the domain checks the
/// function and four-eyes).
async fn decide(caller: Caller<'_>, input: DecideReply, key: RetryKey, approve: bool) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    let approver = person_id(&caller, "only people approve or reject replies")?;
    let approver_roles = roles_on(caller, &case, approver).await?;
    let at = chorus_kernel::now();
    let command = match (approve, input.note) {
        (true, _) => CaseCommand::ApproveReply {
            reply_id: input.reply_id,
            by: approver,
            approver_roles,
            at,
        },
        (false, Some(note)) => CaseCommand::RejectReply {
            reply_id: input.reply_id,
            note,
            by: approver,
            approver_roles,
            at,
        },
        (false, None) => {
            return Err(chorus_api::ApiError::bad_input("note", "must not be empty"));
        }
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}

pub async fn approve_reply(caller: Caller<'_>, input: DecideReply, key: RetryKey) -> Outcome {
    decide(caller, input, key, true).await
}

pub async fn reject_reply(caller: Caller<'_>, input: DecideReply, key: RetryKey) -> Outcome {
    decide(caller, input, key, false).await
}

/// The responder takes back a reply awaiting approval (the domain checks who).
pub async fn withdraw_reply(caller: Caller<'_>, input: DecideReply, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    load_case(caller, input.case_id).await?;
    let responder = person_id(&caller, "only people withdraw replies")?;
    let command = CaseCommand::WithdrawReply {
        reply_id: input.reply_id,
        by: responder,
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}
