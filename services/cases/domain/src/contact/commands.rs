use chorus_teams_domain::values::SocialNetwork;
use uuid::Uuid;

use crate::values::{ContactHandle, CrmId, DisplayName};

/// Commands accepted by the [`Contact`](super::Contact) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactCommand {
    /// Record a new contact. Registering an existing contact again with the same
    /// organization is a no-op (intake doors deliver the same author many times).
    RegisterContact {
        /// Id of the contact (the application derives it from the handle or CRM id, so
        /// that the same author is one contact).
        contact_id: Uuid,
        /// Organization the contact wrote to.
        organization_id: Uuid,
        /// How the contact is called, if known.
        display_name: Option<DisplayName>,
        /// The contact's handle on a network, if the contact came from one.
        handle: Option<(SocialNetwork, ContactHandle)>,
        /// The contact's id in the organization's CRM, if known.
        crm_id: Option<CrmId>,
        /// Whether the contact is a VIP (routing may treat VIPs differently).
        vip: bool,
        /// Who registered the contact (a person, a service token, or the system).
        by: Uuid,
    },
    /// Change what is known of the contact; `None` leaves a field as it is.
    UpdateContact {
        /// The new display name.
        display_name: Option<DisplayName>,
        /// A handle to add or replace on its network.
        handle: Option<(SocialNetwork, ContactHandle)>,
        /// The new CRM id.
        crm_id: Option<CrmId>,
        /// The new VIP flag.
        vip: Option<bool>,
        /// Who changed it.
        by: Uuid,
    },
}
