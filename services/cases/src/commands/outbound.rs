//! `recordOutboundMessage`: an integration (`cases:intake`) or a worker of the case
//! reports where a sent reply is on its way to the network. Chorus does not send to
//! networks itself.

use chorus_api::{execute_for, replayed_for, ApiError, Caller};
use chorus_cases_domain::case::{Case, CaseCommand, OutboundStatus};
use chorus_cases_domain::values::{ExternalMessageId, Reason};
use uuid::Uuid;

use super::{actor_id, as_worker, load_case, Outcome, RetryKey};

/// A parsed `recordOutboundMessage` request.
#[derive(Debug, Clone)]
pub struct RecordOutbound {
    pub case_id: Uuid,
    pub reply_id: Uuid,
    pub status: OutboundStatus,
    pub network_message_id: Option<ExternalMessageId>,
    pub detail: Option<Reason>,
}

pub async fn record_outbound(caller: Caller<'_>, input: RecordOutbound, key: RetryKey) -> Outcome {
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let case = load_case(caller, input.case_id).await?;
    if !caller.principal.has_scope("cases:intake") && as_worker(caller, &case).await.is_err() {
        return Err(ApiError::Forbidden(
            "only integrations with cases:intake and the case's workers report outbound messages",
        ));
    }
    let command = CaseCommand::RecordOutboundStatus {
        reply_id: input.reply_id,
        status: input.status,
        network_message_id: input.network_message_id,
        detail: input.detail,
        by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, input.case_id, command, key).await
}
