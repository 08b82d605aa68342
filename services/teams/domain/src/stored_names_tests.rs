//! Pins the names the event store keeps: each aggregate's `TYPE` and each event's
//! `event_type`. They are stored data, so changing one orphans every stored stream.

use cqrs_es::Aggregate;
use strum::VariantNames;

use super::*;

#[test]
fn aggregate_types_are_pinned() {
    let types = [
        Organization::TYPE,
        Team::TYPE,
        Person::TYPE,
        ReportingLines::TYPE,
        Channel::TYPE,
        ServiceToken::TYPE,
    ];
    assert_eq!(
        types,
        [
            "organization",
            "team",
            "person",
            "reporting_lines",
            "channel",
            "service_token"
        ]
    );
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
