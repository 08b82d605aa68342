//! Pins the names the event store keeps: each aggregate's `TYPE` and each event's
//! `event_type`. They are stored data, so changing one orphans every stored stream.

use cqrs_es::Aggregate;
use strum::VariantNames;

use super::*;

#[test]
fn aggregate_types_are_pinned() {
    assert_eq!(Organization::TYPE, "organization");
    assert_eq!(Team::TYPE, "team");
    assert_eq!(Person::TYPE, "person");
    assert_eq!(ReportingLines::TYPE, "reporting_lines");
    assert_eq!(Channel::TYPE, "channel");
    assert_eq!(ServiceToken::TYPE, "service_token");
}

#[test]
fn event_types_are_pinned() {
    assert_eq!(
        OrganizationEvent::VARIANTS,
        ["OrganizationCreated", "OrganizationRenamed"]
    );
    assert_eq!(
        TeamEvent::VARIANTS,
        ["TeamCreated", "TeamRenamed", "TeamArchived"]
    );
    assert_eq!(
        PersonEvent::VARIANTS,
        [
            "PersonAdded",
            "PersonUpdated",
            "PersonOffboarded",
            "RoleAssigned",
            "RoleRevoked"
        ]
    );
    assert_eq!(
        ReportingLinesEvent::VARIANTS,
        ["ReportingLineSet", "ReportingLineCleared"]
    );
    assert_eq!(
        ChannelEvent::VARIANTS,
        ["ChannelRegistered", "ChannelRetired"]
    );
    assert_eq!(
        ServiceTokenEvent::VARIANTS,
        ["ServiceTokenIssued", "ServiceTokenRevoked"]
    );
}
