use super::*;
use crate::testing::{assert_events_round_trip, records, refused, replayed, ADMIN, ORG};
use crate::values::OrganizationName;

fn name(raw: &str) -> OrganizationName {
    OrganizationName::try_from(raw).expect("valid organization name")
}

fn created() -> OrganizationEvent {
    OrganizationEvent::OrganizationCreated {
        organization_id: ORG,
        name: "Acme".to_string(),
        founding_admin_id: ADMIN,
    }
}

#[test]
fn create_organization() {
    assert_eq!(
        records::<Organization>(
            vec![],
            OrganizationCommand::CreateOrganization {
                organization_id: ORG,
                name: name("  Acme "),
                founding_admin_id: ADMIN,
            }
        ),
        vec![created()]
    );
}

#[test]
fn create_twice_is_refused() {
    assert_eq!(
        refused::<Organization>(
            vec![created()],
            OrganizationCommand::CreateOrganization {
                organization_id: ORG,
                name: name("Acme"),
                founding_admin_id: ADMIN,
            }
        ),
        OrganizationError::AlreadyExists
    );
}

#[test]
fn rename_organization() {
    assert_eq!(
        records::<Organization>(
            vec![created()],
            OrganizationCommand::RenameOrganization {
                name: name("Acme Global"),
            }
        ),
        vec![OrganizationEvent::OrganizationRenamed {
            name: "Acme Global".to_string(),
        }]
    );
}

#[test]
fn rename_missing_organization_is_not_found() {
    assert_eq!(
        refused::<Organization>(
            vec![],
            OrganizationCommand::RenameOrganization { name: name("Acme") }
        ),
        OrganizationError::NotFound
    );
}

#[test]
fn rename_to_same_name_is_no_change() {
    assert_eq!(
        refused::<Organization>(
            vec![
                created(),
                OrganizationEvent::OrganizationRenamed {
                    name: "Acme Global".to_string(),
                },
            ],
            OrganizationCommand::RenameOrganization {
                name: name("Acme Global"),
            }
        ),
        OrganizationError::NameUnchanged
    );
}

#[test]
fn apply_builds_state() {
    assert!(!Organization::default().exists());
    let org: Organization = replayed([created()]);
    assert_eq!(org.organization_id(), Some(ORG));
    assert_eq!(org.founding_admin_id(), Some(ADMIN));
    assert_eq!(org.name(), "Acme");
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        created(),
        OrganizationEvent::OrganizationRenamed {
            name: "Acme Global".to_string(),
        },
    ];
    assert_events_round_trip(&events);
}
