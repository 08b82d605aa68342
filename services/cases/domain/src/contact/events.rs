use chorus_teams_domain::values::SocialNetwork;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Facts recorded by the [`Contact`](super::Contact) aggregate. They hold the contact's
/// personal data and nothing else of a case.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum ContactEvent {
    /// A contact was recorded.
    ContactRegistered {
        /// Id of the contact.
        contact_id: Uuid,
        /// Organization the contact wrote to.
        organization_id: Uuid,
        /// Display name, if known.
        display_name: Option<String>,
        /// Handle on a network, if known.
        handle: Option<(SocialNetwork, String)>,
        /// CRM id, if known.
        crm_id: Option<String>,
        /// Whether the contact is a VIP.
        vip: bool,
        /// Who registered the contact.
        by: Uuid,
    },
    /// What is known of the contact changed; only the fields that changed are set.
    ContactUpdated {
        /// The new display name.
        display_name: Option<String>,
        /// A handle added or replaced on its network.
        handle: Option<(SocialNetwork, String)>,
        /// The new CRM id.
        crm_id: Option<String>,
        /// The new VIP flag.
        vip: Option<bool>,
        /// Who changed it.
        by: Uuid,
    },
}

chorus_shared::domain_event!(ContactEvent);
