use chorus_teams_domain::testing::{assert_outcomes, ADMIN, ORG, TEAM};
use chorus_teams_domain::values::RoleFunction;
use uuid::Uuid;

use super::*;

fn configure(
    organization_id: Uuid,
    strategy: AssignmentStrategy,
    capacity: Option<u32>,
) -> CaseQueueCommand {
    CaseQueueCommand::ConfigureQueue {
        team_id: TEAM,
        organization_id,
        settings: QueueSettings {
            strategy,
            capacity,
            reply_approver: None,
        },
        by: ADMIN,
    }
}

fn configured(version: u64, strategy: AssignmentStrategy, capacity: Option<u32>) -> CaseQueueEvent {
    CaseQueueEvent::QueueConfigured {
        team_id: TEAM,
        organization_id: ORG,
        version,
        settings: QueueSettings {
            strategy,
            capacity,
            reply_approver: None,
        },
        by: ADMIN,
    }
}

#[test]
fn a_queue_is_configured_in_versions() {
    use AssignmentStrategy::{LoadBalanced, RoundRobin};
    assert_outcomes::<CaseQueue>(vec![
        (
            "the first settings",
            vec![],
            configure(ORG, RoundRobin, Some(5)),
            Ok(vec![configured(1, RoundRobin, Some(5))]),
        ),
        (
            "new settings",
            vec![configured(1, RoundRobin, Some(5))],
            configure(ORG, LoadBalanced, None),
            Ok(vec![configured(2, LoadBalanced, None)]),
        ),
        (
            "the same settings",
            vec![configured(1, RoundRobin, Some(5))],
            configure(ORG, RoundRobin, Some(5)),
            Err(CaseQueueError::Unchanged),
        ),
        (
            "another organization",
            vec![configured(1, RoundRobin, Some(5))],
            configure(Uuid::from_u128(0xbad), LoadBalanced, None),
            Err(CaseQueueError::OtherOrganization),
        ),
        (
            "a reply approver added to the same strategy",
            vec![configured(1, RoundRobin, Some(5))],
            CaseQueueCommand::ConfigureQueue {
                team_id: TEAM,
                organization_id: ORG,
                settings: QueueSettings {
                    strategy: RoundRobin,
                    capacity: Some(5),
                    reply_approver: Some(RoleFunction::SeniorManagement),
                },
                by: ADMIN,
            },
            Ok(vec![CaseQueueEvent::QueueConfigured {
                team_id: TEAM,
                organization_id: ORG,
                version: 2,
                settings: QueueSettings {
                    strategy: RoundRobin,
                    capacity: Some(5),
                    reply_approver: Some(RoleFunction::SeniorManagement),
                },
                by: ADMIN,
            }]),
        ),
        (
            "a capacity of zero",
            vec![],
            configure(ORG, RoundRobin, Some(0)),
            Err(CaseQueueError::Invalid(chorus_shared::ValueError::new(
                "capacity",
                "must be between 1 and 1000",
            ))),
        ),
    ]);
}

#[test]
fn settings_recorded_before_the_reply_approver_have_none() {
    let old = serde_json::json!({ "strategy": "ROUND_ROBIN", "capacity": 3 });
    let settings: QueueSettings = serde_json::from_value(old).expect("old settings decode");
    assert_eq!(settings.reply_approver, None);
}
