use chorus_teams_domain::testing::{assert_outcomes, ADMIN, ORG, TEAM};
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
        settings: QueueSettings { strategy, capacity },
        by: ADMIN,
    }
}

fn configured(version: u64, strategy: AssignmentStrategy, capacity: Option<u32>) -> CaseQueueEvent {
    CaseQueueEvent::QueueConfigured {
        team_id: TEAM,
        organization_id: ORG,
        version,
        settings: QueueSettings { strategy, capacity },
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
