//! `updateContact`: what is known of a contact (display name, CRM id, a handle, the VIP
//! flag routing may look at). Integrations with `cases:intake`, admins and holders of a
//! working function.

use chorus_api::{replay_or_execute, ApiError, Caller};
use chorus_cases_domain::contact::{Contact, ContactCommand};
use chorus_cases_domain::values::{ContactHandle, CrmId, DisplayName};
use chorus_teams::values::SocialNetwork;
use uuid::Uuid;

use super::{actor_id, ensure_case_reader, Outcome, RetryKey};

/// A parsed `updateContact` request; `None` leaves a field as it is.
#[derive(Debug, Clone)]
pub struct UpdateContact {
    pub contact_id: Uuid,
    pub display_name: Option<DisplayName>,
    pub crm_id: Option<CrmId>,
    pub handle: Option<(SocialNetwork, ContactHandle)>,
    pub vip: Option<bool>,
}

pub async fn update_contact(caller: Caller<'_>, input: UpdateContact, key: RetryKey) -> Outcome {
    if caller.principal.person_id().is_none() && !caller.principal.has_scope("cases:intake") {
        return Err(ApiError::Forbidden(
            "only people who work cases and integrations with cases:intake update contacts",
        ));
    }
    ensure_case_reader(caller).await?;
    replay_or_execute::<Contact, _>(caller, key, || async move {
        let (contact, _, owner) = caller
            .runtime
            .store
            .load::<Contact>(&input.contact_id.to_string())
            .await?;
        if owner != Some(caller.organization_id()) || !contact.exists() {
            return Err(ApiError::NotFound("contact"));
        }
        let command = ContactCommand::UpdateContact {
            display_name: input.display_name,
            handle: input.handle,
            crm_id: input.crm_id,
            vip: input.vip,
            by: actor_id(&caller),
        };
        Ok((input.contact_id, command))
    })
    .await
}
