//! A further message from the contact on an existing case: it resumes a case waiting on
//! them and reopens one resolved within the reopen window. Reached through the channel
//! intake (`receiveChannelMessage` finds the case) and `recordContactMessage` (a person
//! or an integration naming the case).

use chorus_api::{execute_for, replayed_for, ApiError, Caller};
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_cases_domain::values::{ExternalMessageId, MessageText, Visibility};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{actor_id, is_admin, load_case, Outcome, RetryKey};

/// A parsed contact message on a known case.
#[derive(Debug, Clone)]
pub struct ContactMessage {
    pub case_id: Uuid,
    pub external_message_id: Option<ExternalMessageId>,
    pub text: MessageText,
    pub visibility: Visibility,
    pub at: DateTime<Utc>,
}

/// Records the message on its case (the caller is already authorized for intake when
/// this is reached from a channel message).
pub(crate) async fn receive_contact_message(
    caller: Caller<'_>,
    input: ContactMessage,
    key: RetryKey,
) -> Outcome {
    load_case(caller, input.case_id).await?;
    let command = CaseCommand::ReceiveContactMessage {
        external_message_id: input.external_message_id,
        text: input.text,
        visibility: input.visibility,
        by: actor_id(&caller),
        at: input.at.min(chorus_kernel::now()),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}

/// `recordContactMessage`: integrations with `cases:intake`, admins, and the case's
/// workers (who record what a contact said on the phone).
pub async fn record_contact_message(
    caller: Caller<'_>,
    input: ContactMessage,
    key: RetryKey,
) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    let allowed = caller.principal.has_scope("cases:intake")
        || is_admin(caller).await?
        || super::as_worker(caller, &case).await.is_ok();
    if !allowed {
        return Err(ApiError::Forbidden(
            "only integrations with cases:intake, admins and the case's workers record contact messages",
        ));
    }
    receive_contact_message(caller, input, key).await
}
