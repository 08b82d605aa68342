use chorus_teams_domain::testing::{assert_outcomes, records, ADMIN, ORG};
use chorus_teams_domain::values::SocialNetwork;
use uuid::Uuid;

use super::*;
use crate::values::{ContactHandle, DisplayName};

const CONTACT: Uuid = Uuid::from_u128(0xc0);

fn handle(raw: &str) -> (SocialNetwork, ContactHandle) {
    (
        SocialNetwork::X,
        ContactHandle::try_from(raw).expect("valid handle"),
    )
}

fn register(organization_id: Uuid) -> ContactCommand {
    ContactCommand::RegisterContact {
        contact_id: CONTACT,
        organization_id,
        display_name: Some(DisplayName::try_from("Jane Doe").expect("valid name")),
        handle: Some(handle("@jane")),
        crm_id: None,
        vip: false,
        by: ADMIN,
    }
}

fn registered() -> ContactEvent {
    ContactEvent::ContactRegistered {
        contact_id: CONTACT,
        organization_id: ORG,
        display_name: Some("Jane Doe".into()),
        handle: Some((SocialNetwork::X, "@jane".into())),
        crm_id: None,
        vip: false,
        by: ADMIN,
    }
}

fn update_vip(vip: bool) -> ContactCommand {
    ContactCommand::UpdateContact {
        display_name: None,
        handle: None,
        crm_id: None,
        vip: Some(vip),
        by: ADMIN,
    }
}

#[test]
fn registering_is_idempotent_within_the_organization() {
    assert_outcomes::<Contact>(vec![
        (
            "a new contact",
            vec![],
            register(ORG),
            Ok(vec![registered()]),
        ),
        (
            "the same contact again",
            vec![registered()],
            register(ORG),
            Ok(vec![]),
        ),
        (
            "an id another organization's contact holds",
            vec![registered()],
            register(Uuid::from_u128(0xbad)),
            Err(ContactError::OtherOrganization),
        ),
    ]);
}

#[test]
fn an_update_records_only_what_changed() {
    let update = ContactCommand::UpdateContact {
        display_name: Some(DisplayName::try_from("Jane Doe").expect("valid name")),
        handle: Some(handle("@jane")),
        crm_id: None,
        vip: Some(true),
        by: ADMIN,
    };
    assert_outcomes::<Contact>(vec![
        (
            "only the VIP flag differs",
            vec![registered()],
            update,
            Ok(vec![ContactEvent::ContactUpdated {
                display_name: None,
                handle: None,
                crm_id: None,
                vip: Some(true),
                by: ADMIN,
            }]),
        ),
        (
            "nothing differs",
            vec![registered()],
            update_vip(false),
            Err(ContactError::Unchanged),
        ),
        (
            "no contact",
            vec![],
            update_vip(true),
            Err(ContactError::NotFound),
        ),
    ]);
}

#[test]
fn a_second_network_handle_is_kept_beside_the_first() {
    let mut given = vec![registered()];
    given.extend(records::<Contact>(
        given.clone(),
        ContactCommand::UpdateContact {
            display_name: None,
            handle: Some((
                SocialNetwork::Instagram,
                ContactHandle::try_from("jane.d").expect("valid handle"),
            )),
            crm_id: None,
            vip: None,
            by: ADMIN,
        },
    ));
    let contact: Contact = chorus_teams_domain::testing::replayed(given);
    assert_eq!(contact.handles().len(), 2);
    assert_eq!(contact.handles()[&SocialNetwork::X], "@jane");
    assert_eq!(contact.handles()[&SocialNetwork::Instagram], "jane.d");
}
