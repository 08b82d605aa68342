//! `receiveChannelMessage`, `receiveExternalCase`, `openCase` and `recordContactMessage`.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::{decode_id, parse, parse_opt, ApiError, ApiResult};
use chorus_teams::graphql::SocialNetwork;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{case_id, case_mutation, keyed, settings, CaseAnswer};
use crate::commands::{
    self, ChannelMessage, ContactInfo, ContactMessage, ExternalCase, ManualCase,
};
use crate::graphql::enums::{CaseCategory, MessageVisibility};

/// A message that arrived on one of the organization's channels.
#[derive(InputObject, Serialize)]
pub struct ReceiveChannelMessageInput {
    channel_id: ID,
    /// The network's id for the message: a second delivery changes nothing.
    external_message_id: String,
    /// The author's handle on the channel's network.
    author_handle: String,
    author_name: Option<String>,
    text: String,
    visibility: MessageVisibility,
    /// When the network received it (default: now).
    received_at: Option<DateTime<Utc>>,
    idempotency_key: Option<String>,
}

/// A case handed over by a CRM or help-desk system.
#[derive(InputObject, Serialize)]
pub struct ReceiveExternalCaseInput {
    /// The system's name (`zendesk`).
    system: String,
    /// The system's id for the case: a second delivery answers with the same case.
    external_case_id: String,
    /// The contact's id in the CRM.
    crm_id: Option<String>,
    display_name: Option<String>,
    /// The contact's handle on a network, if known (with `network`).
    handle: Option<String>,
    network: Option<SocialNetwork>,
    text: Option<String>,
    /// The category the system gave it; routing may use it.
    category: Option<CaseCategory>,
    idempotency_key: Option<String>,
}

/// A case recorded by hand.
#[derive(InputObject, Serialize)]
pub struct OpenCaseInput {
    /// An existing contact; otherwise the contact is recorded from `crmId` or `handle`.
    contact_id: Option<ID>,
    crm_id: Option<String>,
    display_name: Option<String>,
    handle: Option<String>,
    network: Option<SocialNetwork>,
    /// What the contact said.
    text: String,
    /// The channel it concerns, if any.
    channel_id: Option<ID>,
    category: Option<CaseCategory>,
    idempotency_key: Option<String>,
}

/// A further message from the contact on a known case.
#[derive(InputObject, Serialize)]
pub struct RecordContactMessageInput {
    case_id: ID,
    external_message_id: Option<String>,
    text: String,
    visibility: MessageVisibility,
    /// When it was received (default: now).
    received_at: Option<DateTime<Utc>>,
    idempotency_key: Option<String>,
}

/// What is known of a contact; omitted fields stay as they are.
#[derive(InputObject, Serialize)]
pub struct UpdateContactInput {
    contact_id: ID,
    display_name: Option<String>,
    crm_id: Option<String>,
    /// A handle to add or replace on its network (with `network`).
    handle: Option<String>,
    network: Option<SocialNetwork>,
    /// Whether routing treats the contact as a VIP.
    vip: Option<bool>,
    idempotency_key: Option<String>,
}

/// Result of `updateContact`.
#[derive(async_graphql::SimpleObject)]
pub struct ContactPayload {
    contact: Option<crate::graphql::contact::Contact>,
    position: chorus_api::LogPositionScalar,
    replayed: bool,
}

keyed!(
    UpdateContactInput,
    ReceiveChannelMessageInput,
    ReceiveExternalCaseInput,
    OpenCaseInput,
    RecordContactMessageInput,
);

/// A handle with its network: both or neither.
fn handle_of(
    handle: &Option<String>,
    network: Option<SocialNetwork>,
) -> ApiResult<
    Option<(
        chorus_teams::values::SocialNetwork,
        chorus_cases_domain::values::ContactHandle,
    )>,
> {
    match (handle, network) {
        (Some(handle), Some(network)) => Ok(Some((network.into(), parse("handle", handle)?))),
        (None, None) => Ok(None),
        _ => Err(ApiError::bad_input(
            "network",
            "must be given together with handle",
        )),
    }
}

fn request_id(outcome: &chorus_kernel::CommandOutcome) -> ApiResult<uuid::Uuid> {
    chorus_api::outcome_uuid(outcome)
}

/// A reception time: not in the future.
fn received(at: Option<DateTime<Utc>>) -> ApiResult<DateTime<Utc>> {
    let now = chorus_kernel::now();
    match at {
        Some(at) if at > now + chrono::TimeDelta::minutes(5) => Err(ApiError::bad_input(
            "receivedAt",
            "must not be in the future",
        )),
        Some(at) => Ok(at.min(now)),
        None => Ok(now),
    }
}

#[derive(Default)]
pub struct IntakeMutation;

#[Object]
impl IntakeMutation {
    /// Changes what is known of a contact (the VIP flag routing rules may look at).
    /// Holders of a working function, admins and integrations with `cases:intake`.
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactInput,
    ) -> async_graphql::Result<ContactPayload> {
        use super::Keyed;
        use chorus_api::Gql;
        async {
            let (caller, key) = chorus_api::Caller::for_mutation(
                ctx,
                "updateContact",
                input.idempotency_key(),
                &input,
            )?;
            let request = commands::UpdateContact {
                contact_id: decode_id("Contact", "contactId", &input.contact_id)?,
                display_name: parse_opt("displayName", &input.display_name)?,
                crm_id: parse_opt("crmId", &input.crm_id)?,
                handle: handle_of(&input.handle, input.network)?,
                vip: input.vip,
            };
            let outcome = commands::update_contact(caller, request, key).await?;
            let org = chorus_api::principal(ctx)?.organization_id;
            let db = &chorus_api::runtime(ctx)?.db;
            Ok(ContactPayload {
                contact: crate::read::contact(db, org, request_id(&outcome)?)
                    .await?
                    .map(crate::graphql::contact::Contact),
                position: chorus_api::seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Takes in a message from a registered channel: it joins its author's open case on
    /// that channel, reopens one resolved within the reopen window, or opens a routed
    /// case. Integrations with `cases:intake` and admins.
    async fn receive_channel_message(
        &self,
        ctx: &Context<'_>,
        input: ReceiveChannelMessageInput,
    ) -> CaseAnswer {
        let settings = settings(ctx);
        let parse = |i: &ReceiveChannelMessageInput| {
            Ok(ChannelMessage {
                channel_id: decode_id("Channel", "channelId", &i.channel_id)?,
                external_message_id: parse("externalMessageId", &i.external_message_id)?,
                author_handle: parse("authorHandle", &i.author_handle)?,
                author: ContactInfo {
                    display_name: parse_opt("authorName", &i.author_name)?,
                    crm_id: None,
                },
                text: parse("text", &i.text)?,
                visibility: i.visibility.into(),
                received_at: received(i.received_at)?,
            })
        };
        case_mutation(
            ctx,
            "receiveChannelMessage",
            &input,
            parse,
            |caller, request, key| {
                commands::receive_channel_message(caller, request, settings, key)
            },
        )
        .await
    }

    /// Takes in a case from a CRM or help-desk system; a second delivery of the same
    /// system and id answers with the same case. Integrations with `cases:intake` and
    /// admins.
    async fn receive_external_case(
        &self,
        ctx: &Context<'_>,
        input: ReceiveExternalCaseInput,
    ) -> CaseAnswer {
        let settings = settings(ctx);
        let parse = |i: &ReceiveExternalCaseInput| {
            let handle = handle_of(&i.handle, i.network)?;
            if i.crm_id.is_none() && handle.is_none() {
                return Err(ApiError::bad_input(
                    "crmId",
                    "must be given when no handle is",
                ));
            }
            Ok(ExternalCase {
                system: parse("system", &i.system)?,
                external_case_id: parse("externalCaseId", &i.external_case_id)?,
                contact: ContactInfo {
                    display_name: parse_opt("displayName", &i.display_name)?,
                    crm_id: parse_opt("crmId", &i.crm_id)?,
                },
                handle,
                text: parse_opt("text", &i.text)?,
                category: i.category.map(Into::into),
            })
        };
        case_mutation(
            ctx,
            "receiveExternalCase",
            &input,
            parse,
            |caller, request, key| commands::receive_external_case(caller, request, settings, key),
        )
        .await
    }

    /// Records a case by hand (a call, an email). Holders of a customer service, sales,
    /// PR, legal or social media role, and admins.
    async fn open_case(&self, ctx: &Context<'_>, input: OpenCaseInput) -> CaseAnswer {
        let settings = settings(ctx);
        let parse = |i: &OpenCaseInput| {
            Ok(ManualCase {
                contact_id: i
                    .contact_id
                    .as_ref()
                    .map(|id| decode_id("Contact", "contactId", id))
                    .transpose()?,
                contact: ContactInfo {
                    display_name: parse_opt("displayName", &i.display_name)?,
                    crm_id: parse_opt("crmId", &i.crm_id)?,
                },
                handle: handle_of(&i.handle, i.network)?,
                text: parse("text", &i.text)?,
                channel_id: i
                    .channel_id
                    .as_ref()
                    .map(|id| decode_id("Channel", "channelId", id))
                    .transpose()?,
                category: i.category.map(Into::into),
            })
        };
        case_mutation(ctx, "openCase", &input, parse, |caller, request, key| {
            commands::open_case(caller, request, settings, key)
        })
        .await
    }

    /// Records a further message from the contact on a case: it resumes a case waiting
    /// on them and reopens one resolved within the reopen window. Integrations with
    /// `cases:intake`, admins and the case's workers.
    async fn record_contact_message(
        &self,
        ctx: &Context<'_>,
        input: RecordContactMessageInput,
    ) -> CaseAnswer {
        let parse = |i: &RecordContactMessageInput| {
            Ok(ContactMessage {
                case_id: case_id(&i.case_id)?,
                external_message_id: parse_opt("externalMessageId", &i.external_message_id)?,
                text: parse("text", &i.text)?,
                visibility: i.visibility.into(),
                at: received(i.received_at)?,
            })
        };
        case_mutation(
            ctx,
            "recordContactMessage",
            &input,
            parse,
            commands::record_contact_message,
        )
        .await
    }
}
