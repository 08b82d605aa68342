//! The ids that make intake idempotent: a channel message, an external system's case and
//! a contact's handle each name one record whatever the number of deliveries, because its
//! id is derived (UUID version 5) from the organization and the intake's own key.

use chorus_teams::values::SocialNetwork;
use uuid::Uuid;

/// The namespace of every id derived here.
const NAMESPACE: Uuid = Uuid::from_u128(0x6368_6f72_7573_2d63_6173_6573_2d69_6473);

fn derived(org: Uuid, parts: &[&str]) -> Uuid {
    let mut name = org.to_string();
    for part in parts {
        name.push('\u{1f}');
        name.push_str(part);
    }
    Uuid::new_v5(&NAMESPACE, name.as_bytes())
}

/// The case a message on a channel opens.
pub fn case_of_message(org: Uuid, channel: Uuid, external_message_id: &str) -> Uuid {
    derived(org, &["message", &channel.to_string(), external_message_id])
}

/// The case an external system's case becomes.
pub fn case_of_external(org: Uuid, system: &str, external_case_id: &str) -> Uuid {
    derived(org, &["external", &system.to_lowercase(), external_case_id])
}

/// The contact behind a handle on a network (handles compare case-insensitively).
pub fn contact_of_handle(org: Uuid, network: SocialNetwork, handle: &str) -> Uuid {
    derived(org, &["handle", network.as_str(), &handle.to_lowercase()])
}

/// The contact behind a CRM id.
pub fn contact_of_crm(org: Uuid, crm_id: &str) -> Uuid {
    derived(org, &["crm", crm_id])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_depend_on_every_part_and_on_the_organization() {
        let org = Uuid::from_u128(1);
        let channel = Uuid::from_u128(2);
        let a = case_of_message(org, channel, "m-1");
        assert_eq!(a, case_of_message(org, channel, "m-1"));
        assert_ne!(a, case_of_message(org, channel, "m-2"));
        assert_ne!(a, case_of_message(Uuid::from_u128(3), channel, "m-1"));
        assert_eq!(
            contact_of_handle(org, SocialNetwork::X, "@Jane"),
            contact_of_handle(org, SocialNetwork::X, "@jane")
        );
        assert_ne!(
            contact_of_handle(org, SocialNetwork::X, "@jane"),
            contact_of_handle(org, SocialNetwork::Instagram, "@jane")
        );
        assert_ne!(
            case_of_external(org, "zendesk", "1"),
            case_of_external(org, "freshdesk", "1")
        );
    }
}
