use chorus_teams_domain::{Responsibility, RoleFunction, RoleScope};
use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::values::GroupName;

type Given = TestFramework<ScimGroup>;

fn name(raw: &str) -> GroupName {
    GroupName::try_from(raw.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn configure(responsibility: Option<Responsibility>) -> ScimGroupCommand {
    ScimGroupCommand::Configure {
        group_id: Uuid::from_u128(7),
        organization_id: Uuid::from_u128(1),
        display_name: name("Social Team Managers"),
        function: RoleFunction::Marketing,
        responsibility,
        scope: RoleScope::team(Uuid::from_u128(3)),
        by: Uuid::nil(),
    }
}

fn configured() -> ScimGroupEvent {
    ScimGroupEvent::ScimGroupConfigured {
        group_id: Uuid::from_u128(7),
        organization_id: Uuid::from_u128(1),
        display_name: "Social Team Managers".into(),
        function: RoleFunction::Marketing,
        responsibility: None,
        scope: RoleScope::team(Uuid::from_u128(3)),
        by: Uuid::nil(),
    }
}

#[test]
fn a_group_is_configured_once() {
    Given::with(())
        .given_no_previous_events()
        .when(configure(None))
        .then_expect_events(vec![configured()]);
    Given::with(())
        .given(vec![configured()])
        .when(configure(None))
        .then_expect_error(ScimGroupError::AlreadyExists);
}

#[test]
fn a_responsibility_outside_the_function_is_refused() {
    Given::with(())
        .given_no_previous_events()
        .when(configure(Some(Responsibility::SocialMediaManager)))
        .then_expect_error(ScimGroupError::ResponsibilityNotInFunction {
            responsibility: Responsibility::SocialMediaManager,
            function: RoleFunction::Marketing,
        });
}

#[test]
fn the_identity_provider_links_a_group_once_and_not_after_removal() {
    let link = || ScimGroupCommand::Link {
        external_id: None,
        by: Uuid::nil(),
    };
    let linked = ScimGroupEvent::ScimGroupLinked {
        external_id: None,
        by: Uuid::nil(),
    };
    Given::with(())
        .given(vec![configured()])
        .when(link())
        .then_expect_events(vec![linked.clone()]);
    Given::with(())
        .given(vec![configured(), linked])
        .when(link())
        .then_expect_error(ScimGroupError::AlreadyLinked);
    Given::with(())
        .given(vec![
            configured(),
            ScimGroupEvent::ScimGroupRemoved { by: Uuid::nil() },
        ])
        .when(link())
        .then_expect_error(ScimGroupError::NotFound);
    Given::with(())
        .given_no_previous_events()
        .when(ScimGroupCommand::Rename {
            display_name: name("x"),
            by: Uuid::nil(),
        })
        .then_expect_error(ScimGroupError::NotFound);
}
