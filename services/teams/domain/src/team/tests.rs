use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, ORG, TEAM};
use crate::values::{Reason, TeamName};

type TeamTest = TestFramework<Team>;

fn parent_id() -> Uuid {
    Uuid::from_u128(0x9a)
}

fn name(raw: &str) -> TeamName {
    TeamName::try_from(raw).expect("valid team name")
}

fn created() -> TeamEvent {
    TeamEvent::TeamCreated {
        team_id: TEAM,
        organization_id: ORG,
        name: "Social".to_string(),
        parent_id: Some(parent_id()),
    }
}

fn archived() -> TeamEvent {
    TeamEvent::TeamArchived { reason: None }
}

#[test]
fn create_team() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::CreateTeam {
            team_id: TEAM,
            organization_id: ORG,
            name: name(" Social "),
            parent_id: Some(parent_id()),
        })
        .then_expect_events(vec![created()]);
}

#[test]
fn create_top_level_team() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::CreateTeam {
            team_id: TEAM,
            organization_id: ORG,
            name: name("Social"),
            parent_id: None,
        })
        .then_expect_events(vec![TeamEvent::TeamCreated {
            team_id: TEAM,
            organization_id: ORG,
            name: "Social".to_string(),
            parent_id: None,
        }]);
}

#[test]
fn create_twice_is_refused() {
    TeamTest::with(())
        .given(vec![created()])
        .when(TeamCommand::CreateTeam {
            team_id: TEAM,
            organization_id: ORG,
            name: name("Social"),
            parent_id: None,
        })
        .then_expect_error(TeamError::AlreadyExists);
}

#[test]
fn team_cannot_be_its_own_parent() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::CreateTeam {
            team_id: TEAM,
            organization_id: ORG,
            name: name("Social"),
            parent_id: Some(TEAM),
        })
        .then_expect_error(TeamError::ParentIsSelf);
}

#[test]
fn rename_team() {
    TeamTest::with(())
        .given(vec![created()])
        .when(TeamCommand::RenameTeam {
            name: name("Social & Community"),
        })
        .then_expect_events(vec![TeamEvent::TeamRenamed {
            name: "Social & Community".to_string(),
        }]);
}

#[test]
fn rename_missing_team_is_not_found() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::RenameTeam {
            name: name("Social"),
        })
        .then_expect_error(TeamError::NotFound);
}

#[test]
fn rename_to_same_name_is_no_change() {
    TeamTest::with(())
        .given(vec![created()])
        .when(TeamCommand::RenameTeam {
            name: name("Social"),
        })
        .then_expect_error(TeamError::NameUnchanged);
}

#[test]
fn rename_archived_team_is_refused() {
    TeamTest::with(())
        .given(vec![created(), archived()])
        .when(TeamCommand::RenameTeam {
            name: name("Other"),
        })
        .then_expect_error(TeamError::Archived);
}

#[test]
fn archive_team_with_reason() {
    TeamTest::with(())
        .given(vec![created()])
        .when(TeamCommand::ArchiveTeam {
            reason: Some(Reason::try_from("merged into Brand").expect("valid reason")),
        })
        .then_expect_events(vec![TeamEvent::TeamArchived {
            reason: Some("merged into Brand".to_string()),
        }]);
}

#[test]
fn archive_team_without_reason() {
    TeamTest::with(())
        .given(vec![created()])
        .when(TeamCommand::ArchiveTeam { reason: None })
        .then_expect_events(vec![archived()]);
}

#[test]
fn archive_missing_team_is_not_found() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::ArchiveTeam { reason: None })
        .then_expect_error(TeamError::NotFound);
}

#[test]
fn archive_archived_team_is_refused() {
    TeamTest::with(())
        .given(vec![created(), archived()])
        .when(TeamCommand::ArchiveTeam { reason: None })
        .then_expect_error(TeamError::Archived);
}

#[test]
fn apply_builds_state() {
    let mut team = Team::default();
    assert!(!team.exists());
    cqrs_es::Aggregate::apply(&mut team, created());
    cqrs_es::Aggregate::apply(&mut team, archived());
    assert_eq!(team.team_id(), Some(TEAM));
    assert_eq!(team.organization_id(), Some(ORG));
    assert_eq!(team.parent_id(), Some(parent_id()));
    assert_eq!(team.name(), "Social");
    assert!(team.is_archived());
}

#[test]
fn error_codes() {
    assert_eq!(TeamError::AlreadyExists.code(), "ALREADY_EXISTS");
    assert_eq!(TeamError::NotFound.code(), "NOT_FOUND");
    assert_eq!(TeamError::Archived.code(), "TEAM_ARCHIVED");
    assert_eq!(TeamError::NameUnchanged.code(), "NO_CHANGE");
    assert_eq!(TeamError::ParentIsSelf.code(), "INVALID_PARENT");
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        created(),
        TeamEvent::TeamRenamed {
            name: "Brand".to_string(),
        },
        archived(),
        TeamEvent::TeamArchived {
            reason: Some("merged".to_string()),
        },
    ];
    assert_events_round_trip(&events);
}
