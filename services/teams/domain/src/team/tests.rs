use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, records, refused, ORG, TEAM};
use crate::values::{Reason, TeamName};

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
    assert_eq!(
        records::<Team>(
            vec![],
            TeamCommand::CreateTeam {
                team_id: TEAM,
                organization_id: ORG,
                name: name(" Social "),
                parent_id: Some(parent_id()),
            }
        ),
        vec![created()]
    );
}

#[test]
fn create_top_level_team() {
    assert_eq!(
        records::<Team>(
            vec![],
            TeamCommand::CreateTeam {
                team_id: TEAM,
                organization_id: ORG,
                name: name("Social"),
                parent_id: None,
            }
        ),
        vec![TeamEvent::TeamCreated {
            team_id: TEAM,
            organization_id: ORG,
            name: "Social".to_string(),
            parent_id: None,
        }]
    );
}

#[test]
fn create_twice_is_refused() {
    assert_eq!(
        refused::<Team>(
            vec![created()],
            TeamCommand::CreateTeam {
                team_id: TEAM,
                organization_id: ORG,
                name: name("Social"),
                parent_id: None,
            }
        ),
        TeamError::AlreadyExists
    );
}

#[test]
fn team_cannot_be_its_own_parent() {
    assert_eq!(
        refused::<Team>(
            vec![],
            TeamCommand::CreateTeam {
                team_id: TEAM,
                organization_id: ORG,
                name: name("Social"),
                parent_id: Some(TEAM),
            }
        ),
        TeamError::ParentIsSelf
    );
}

#[test]
fn rename_team() {
    assert_eq!(
        records::<Team>(
            vec![created()],
            TeamCommand::RenameTeam {
                name: name("Social & Community"),
            }
        ),
        vec![TeamEvent::TeamRenamed {
            name: "Social & Community".to_string(),
        }]
    );
}

#[test]
fn rename_missing_team_is_not_found() {
    assert_eq!(
        refused::<Team>(
            vec![],
            TeamCommand::RenameTeam {
                name: name("Social"),
            }
        ),
        TeamError::NotFound
    );
}

#[test]
fn rename_to_same_name_is_no_change() {
    assert_eq!(
        refused::<Team>(
            vec![created()],
            TeamCommand::RenameTeam {
                name: name("Social"),
            }
        ),
        TeamError::NameUnchanged
    );
}

#[test]
fn rename_archived_team_is_refused() {
    assert_eq!(
        refused::<Team>(
            vec![created(), archived()],
            TeamCommand::RenameTeam {
                name: name("Other"),
            }
        ),
        TeamError::Archived
    );
}

#[test]
fn archive_team_with_reason() {
    assert_eq!(
        records::<Team>(
            vec![created()],
            TeamCommand::ArchiveTeam {
                reason: Some(Reason::try_from("merged into Brand").expect("valid reason")),
            }
        ),
        vec![TeamEvent::TeamArchived {
            reason: Some("merged into Brand".to_string()),
        }]
    );
}

#[test]
fn archive_team_without_reason() {
    assert_eq!(
        records::<Team>(vec![created()], TeamCommand::ArchiveTeam { reason: None }),
        vec![archived()]
    );
}

#[test]
fn archive_missing_team_is_not_found() {
    assert_eq!(
        refused::<Team>(vec![], TeamCommand::ArchiveTeam { reason: None }),
        TeamError::NotFound
    );
}

#[test]
fn archive_archived_team_is_refused() {
    assert_eq!(
        refused::<Team>(
            vec![created(), archived()],
            TeamCommand::ArchiveTeam { reason: None }
        ),
        TeamError::Archived
    );
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
