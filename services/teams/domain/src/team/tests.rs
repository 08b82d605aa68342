use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, assert_outcomes, replayed, ORG, TEAM};
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

fn create(name_raw: &str, parent_id: Option<Uuid>) -> TeamCommand {
    TeamCommand::CreateTeam {
        team_id: TEAM,
        organization_id: ORG,
        name: name(name_raw),
        parent_id,
    }
}

fn rename(name_raw: &str) -> TeamCommand {
    TeamCommand::RenameTeam {
        name: name(name_raw),
    }
}

fn archive(reason: Option<&str>) -> TeamCommand {
    TeamCommand::ArchiveTeam {
        reason: reason.map(|raw| Reason::try_from(raw).expect("valid reason")),
    }
}

#[test]
fn create_team() {
    assert_outcomes::<Team>(vec![
        (
            "a team under a parent",
            vec![],
            create(" Social ", Some(parent_id())),
            Ok(vec![created()]),
        ),
        (
            "a top-level team",
            vec![],
            create("Social", None),
            Ok(vec![TeamEvent::TeamCreated {
                team_id: TEAM,
                organization_id: ORG,
                name: "Social".to_string(),
                parent_id: None,
            }]),
        ),
        (
            "a team created twice",
            vec![created()],
            create("Social", None),
            Err(TeamError::AlreadyExists),
        ),
        (
            "a team cannot be its own parent",
            vec![],
            create("Social", Some(TEAM)),
            Err(TeamError::ParentIsSelf),
        ),
    ]);
}

#[test]
fn rename_team() {
    assert_outcomes::<Team>(vec![
        (
            "a new name",
            vec![created()],
            rename("Social & Community"),
            Ok(vec![TeamEvent::TeamRenamed {
                name: "Social & Community".to_string(),
            }]),
        ),
        (
            "a missing team is not found",
            vec![],
            rename("Social"),
            Err(TeamError::NotFound),
        ),
        (
            "the same name is no change",
            vec![created()],
            rename("Social"),
            Err(TeamError::NameUnchanged),
        ),
        (
            "an archived team is not renamed",
            vec![created(), archived()],
            rename("Other"),
            Err(TeamError::Archived),
        ),
    ]);
}

#[test]
fn archive_team() {
    assert_outcomes::<Team>(vec![
        (
            "with a reason",
            vec![created()],
            archive(Some("merged into Brand")),
            Ok(vec![TeamEvent::TeamArchived {
                reason: Some("merged into Brand".to_string()),
            }]),
        ),
        (
            "without a reason",
            vec![created()],
            archive(None),
            Ok(vec![archived()]),
        ),
        (
            "a missing team is not found",
            vec![],
            archive(None),
            Err(TeamError::NotFound),
        ),
        (
            "an archived team is not archived again",
            vec![created(), archived()],
            archive(None),
            Err(TeamError::Archived),
        ),
    ]);
}

#[test]
fn apply_builds_state() {
    assert!(!Team::default().exists());
    let team: Team = replayed([created(), archived()]);
    assert_eq!(team.team_id(), Some(TEAM));
    assert_eq!(team.organization_id(), Some(ORG));
    assert_eq!(team.parent_id(), Some(parent_id()));
    assert_eq!(team.name(), "Social");
    assert!(team.is_archived());
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
