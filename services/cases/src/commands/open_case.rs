//! The three doors a case comes in through, each idempotent: a message on a registered
//! channel (`receiveChannelMessage`), a CRM or help-desk system's case
//! (`receiveExternalCase`) and a person creating one by hand (`openCase`). Each records
//! the contact (its personal data in the contact's own events), routes the case by the
//! organization's rules and times it by the routed SLA policy.

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_cases_domain::case::{Case, CaseCommand, Intake};
use chorus_cases_domain::contact::{Contact, ContactCommand};
use chorus_cases_domain::routing::CaseFacts;
use chorus_cases_domain::values::{
    CaseCategory, ContactHandle, CrmId, DisplayName, ExternalCaseId, ExternalMessageId,
    ExternalSystem, MessageText, Visibility,
};
use chorus_kernel::CommandOutcome;
use chorus_teams::values::SocialNetwork;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contact_message::{receive_contact_message, ContactMessage};
use super::{actor_id, is_admin, person_id, Outcome, RetryKey, WORKING_FUNCTIONS};
use crate::{ids, read, service, CaseSettings};

/// Who wrote, as an intake door knows them.
#[derive(Debug, Clone, Default)]
pub struct ContactInfo {
    /// Their display name, if known.
    pub display_name: Option<DisplayName>,
    /// Their CRM id, if known.
    pub crm_id: Option<CrmId>,
}

/// A parsed `receiveChannelMessage` request.
#[derive(Debug, Clone)]
pub struct ChannelMessage {
    pub channel_id: Uuid,
    pub external_message_id: ExternalMessageId,
    pub author_handle: ContactHandle,
    pub author: ContactInfo,
    pub text: MessageText,
    pub visibility: Visibility,
    pub received_at: DateTime<Utc>,
}

/// A parsed `receiveExternalCase` request.
#[derive(Debug, Clone)]
pub struct ExternalCase {
    pub system: ExternalSystem,
    pub external_case_id: ExternalCaseId,
    pub contact: ContactInfo,
    /// The contact's handle on a network, if the system knows it.
    pub handle: Option<(SocialNetwork, ContactHandle)>,
    pub text: Option<MessageText>,
    pub category: Option<CaseCategory>,
}

/// A parsed `openCase` request.
#[derive(Debug, Clone)]
pub struct ManualCase {
    /// An existing contact, or who to record.
    pub contact_id: Option<Uuid>,
    pub contact: ContactInfo,
    pub handle: Option<(SocialNetwork, ContactHandle)>,
    pub text: MessageText,
    pub channel_id: Option<Uuid>,
    pub category: Option<CaseCategory>,
}

/// Refuses a caller who may not take in cases from a channel or a system.
async fn ensure_intake(caller: Caller<'_>) -> ApiResult<()> {
    if caller.principal.has_scope("cases:intake") || is_admin(caller).await? {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only integrations with cases:intake and organization admins may take in cases",
        ))
    }
}

/// A message on a registered channel: it joins its author's open case on that channel,
/// reopens one resolved within the reopen window, or opens a new case (following the old
/// one when the window has passed). A second delivery of the same message changes nothing
/// and answers with the same case.
pub async fn receive_channel_message(
    caller: Caller<'_>,
    input: ChannelMessage,
    settings: CaseSettings,
    key: RetryKey,
) -> Outcome {
    ensure_intake(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let org = caller.organization_id();
    let channel = chorus_teams::api::channel(caller, input.channel_id).await?;
    if channel.retired_at.is_some() {
        return Err(ApiError::Domain {
            code: "CHANNEL_RETIRED",
            message: "channelId: the channel is retired".into(),
        });
    }
    let network: SocialNetwork =
        chorus_api::decode_stored("channels", "network", &channel.network)?;
    let contact_id = ids::contact_of_handle(org, network, input.author_handle.as_str());
    let vip = register_contact(
        caller,
        contact_id,
        input.author.clone(),
        Some((network, input.author_handle.clone())),
    )
    .await?;
    let case_id = ids::case_of_message(org, channel.id, input.external_message_id.as_str());
    let mut follows = None;
    if let Some(latest) =
        read::latest_case_of_contact(&caller.runtime.db, org, contact_id, channel.id).await?
    {
        let reopens = latest.resolved_at.is_some_and(|resolved| {
            input.received_at
                <= resolved + chrono::TimeDelta::minutes(i64::from(settings.reopen_window_minutes))
        });
        if latest.is_open || reopens {
            let message = ContactMessage {
                case_id: latest.id,
                external_message_id: Some(input.external_message_id),
                text: input.text,
                visibility: input.visibility,
                at: input.received_at,
            };
            return receive_contact_message(caller, message, key).await;
        }
        if latest.id != case_id {
            follows = Some(latest.id);
        }
    }
    let facts = CaseFacts {
        text: Some(input.text.as_str()),
        channel_id: Some(channel.id),
        network: Some(network),
        visibility: Some(input.visibility),
        vip,
        category: None,
    };
    let intake = Intake::ChannelMessage {
        channel_id: channel.id,
        network,
        external_message_id: input.external_message_id,
        visibility: input.visibility,
        text: input.text.clone(),
        received_at: input.received_at,
    };
    let opening = Opening {
        case_id,
        contact_id,
        default_team: Some(channel.team_id),
        follows,
        settings,
    };
    open(caller, opening, intake, &facts, key).await
}

/// A CRM or help-desk system's case: a second delivery of the same system and external id
/// changes nothing and answers with the same case.
pub async fn receive_external_case(
    caller: Caller<'_>,
    input: ExternalCase,
    settings: CaseSettings,
    key: RetryKey,
) -> Outcome {
    ensure_intake(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let org = caller.organization_id();
    let contact_id = contact_for(org, None, &input.contact, input.handle.as_ref())?;
    let vip = register_contact(caller, contact_id, input.contact, input.handle).await?;
    let text = input.text.clone();
    let facts = CaseFacts {
        text: text.as_ref().map(MessageText::as_str),
        channel_id: None,
        network: None,
        visibility: Some(Visibility::Private),
        vip,
        category: input.category,
    };
    let opening = Opening {
        case_id: ids::case_of_external(org, input.system.as_str(), input.external_case_id.as_str()),
        contact_id,
        default_team: None,
        follows: None,
        settings,
    };
    let intake = Intake::External {
        system: input.system,
        external_case_id: input.external_case_id,
        text: input.text,
    };
    open(caller, opening, intake, &facts, key).await
}

/// A case a person records by hand (a phone call, an email): holders of a working
/// function and admins.
pub async fn open_case(
    caller: Caller<'_>,
    input: ManualCase,
    settings: CaseSettings,
    key: RetryKey,
) -> Outcome {
    let person = person_id(
        &caller,
        "only people open cases by hand; integrations use the intake mutations",
    )?;
    let roles = chorus_teams::api::active_assignments(
        &caller.runtime.db,
        caller.organization_id(),
        person,
        chorus_kernel::now(),
    )
    .await?;
    if !roles
        .iter()
        .any(|r| WORKING_FUNCTIONS.contains(&r.function))
        && !is_admin(caller).await?
    {
        return Err(ApiError::Forbidden(
            "only holders of a customer service, sales, PR, legal or social media role and admins may open cases",
        ));
    }
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let org = caller.organization_id();
    let mut default_team = None;
    let mut network = None;
    if let Some(channel_id) = input.channel_id {
        let channel = chorus_teams::api::channel(caller, channel_id).await?;
        default_team = Some(channel.team_id);
        network = Some(chorus_api::decode_stored(
            "channels",
            "network",
            &channel.network,
        )?);
    }
    let contact_id = match input.contact_id {
        Some(id) => {
            let (contact, _, owner) = caller
                .runtime
                .store
                .load::<Contact>(&id.to_string())
                .await?;
            if owner != Some(org) || !contact.exists() {
                return Err(ApiError::NotFound("contact"));
            }
            id
        }
        None => contact_for(
            org,
            Some(Uuid::now_v7()),
            &input.contact,
            input.handle.as_ref(),
        )?,
    };
    let vip = register_contact(caller, contact_id, input.contact, input.handle).await?;
    let text = input.text.clone();
    let facts = CaseFacts {
        text: Some(text.as_str()),
        channel_id: input.channel_id,
        network,
        visibility: Some(Visibility::Private),
        vip,
        category: input.category,
    };
    let opening = Opening {
        case_id: Uuid::now_v7(),
        contact_id,
        default_team,
        follows: None,
        settings,
    };
    let intake = Intake::Manual {
        text: input.text,
        channel_id: input.channel_id,
    };
    open(caller, opening, intake, &facts, key).await
}

/// The contact an intake names: by CRM id, else by handle, else `fresh` (a new contact).
fn contact_for(
    org: Uuid,
    fresh: Option<Uuid>,
    info: &ContactInfo,
    handle: Option<&(SocialNetwork, ContactHandle)>,
) -> ApiResult<Uuid> {
    if let Some(crm) = &info.crm_id {
        return Ok(ids::contact_of_crm(org, crm.as_str()));
    }
    if let Some((network, handle)) = handle {
        return Ok(ids::contact_of_handle(org, *network, handle.as_str()));
    }
    fresh.ok_or_else(|| ApiError::bad_input("contact", "must give the contact's crmId or a handle"))
}

/// Records the contact unless known, and answers whether they are a VIP (a new contact is
/// not).
async fn register_contact(
    caller: Caller<'_>,
    contact_id: Uuid,
    info: ContactInfo,
    handle: Option<(SocialNetwork, ContactHandle)>,
) -> ApiResult<bool> {
    let (known, _, owner) = caller
        .runtime
        .store
        .load::<Contact>(&contact_id.to_string())
        .await?;
    if known.exists() && owner == Some(caller.organization_id()) {
        return Ok(known.is_vip());
    }
    let command = ContactCommand::RegisterContact {
        contact_id,
        organization_id: caller.organization_id(),
        display_name: info.display_name,
        handle,
        crm_id: info.crm_id,
        vip: false,
        by: actor_id(&caller),
    };
    execute_for::<Contact>(caller, contact_id, command, None).await?;
    Ok(false)
}

/// What a new case needs besides its intake.
struct Opening {
    case_id: Uuid,
    contact_id: Uuid,
    /// The team whose queue takes the case when its rule names none (the channel's).
    default_team: Option<Uuid>,
    follows: Option<Uuid>,
    settings: CaseSettings,
}

/// Routes and opens the case.
async fn open(
    caller: Caller<'_>,
    opening: Opening,
    intake: Intake,
    facts: &CaseFacts<'_>,
    key: RetryKey,
) -> ApiResult<CommandOutcome> {
    let org = caller.organization_id();
    let rules = service::routing_rules(&caller.runtime.store, org).await?;
    let mut routing = rules.route(facts);
    if routing.team_id.is_none() {
        routing.team_id = opening.default_team;
    }
    let sla = service::sla_for(
        &caller.runtime.store,
        org,
        routing.sla_policy_id,
        routing.priority,
    )
    .await?;
    let command = CaseCommand::OpenCase {
        case_id: opening.case_id,
        organization_id: org,
        contact_id: opening.contact_id,
        intake,
        routing: Box::new(routing),
        sla: sla.map(Box::new),
        follows: opening.follows,
        reopen_window_minutes: opening.settings.reopen_window_minutes,
        by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Case>(caller, opening.case_id, command, key).await
}
