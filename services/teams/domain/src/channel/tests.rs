use cqrs_es::test::TestFramework;
use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, ORG, TEAM};
use crate::values::{Handle, Reason, SocialNetwork};

type ChannelTest = TestFramework<Channel>;

fn channel_id() -> Uuid {
    Uuid::from_u128(0xc4)
}

fn registered() -> ChannelEvent {
    ChannelEvent::ChannelRegistered {
        channel_id: channel_id(),
        organization_id: ORG,
        team_id: TEAM,
        network: SocialNetwork::Bluesky,
        handle: "acme.bsky.social".to_string(),
    }
}

fn register() -> ChannelCommand {
    ChannelCommand::RegisterChannel {
        channel_id: channel_id(),
        organization_id: ORG,
        team_id: TEAM,
        network: SocialNetwork::Bluesky,
        handle: Handle::try_from("@acme.bsky.social").expect("valid handle"),
    }
}

#[test]
fn register_channel() {
    ChannelTest::with(())
        .given_no_previous_events()
        .when(register())
        .then_expect_events(vec![registered()]);
}

#[test]
fn register_twice_is_refused() {
    ChannelTest::with(())
        .given(vec![registered()])
        .when(register())
        .then_expect_error(ChannelError::AlreadyExists);
}

#[test]
fn retire_channel() {
    ChannelTest::with(())
        .given(vec![registered()])
        .when(ChannelCommand::RetireChannel {
            reason: Some(Reason::try_from("account closed").expect("valid reason")),
        })
        .then_expect_events(vec![ChannelEvent::ChannelRetired {
            reason: Some("account closed".to_string()),
        }]);
}

#[test]
fn retire_missing_channel_is_not_found() {
    ChannelTest::with(())
        .given_no_previous_events()
        .when(ChannelCommand::RetireChannel { reason: None })
        .then_expect_error(ChannelError::NotFound);
}

#[test]
fn retire_retired_channel_is_refused() {
    ChannelTest::with(())
        .given(vec![
            registered(),
            ChannelEvent::ChannelRetired { reason: None },
        ])
        .when(ChannelCommand::RetireChannel { reason: None })
        .then_expect_error(ChannelError::Retired);
}

#[test]
fn apply_builds_state() {
    let mut channel = Channel::default();
    assert!(!channel.exists());
    cqrs_es::Aggregate::apply(&mut channel, registered());
    assert_eq!(channel.channel_id(), Some(channel_id()));
    assert_eq!(channel.organization_id(), Some(ORG));
    assert_eq!(channel.team_id(), Some(TEAM));
    assert_eq!(channel.network(), Some(SocialNetwork::Bluesky));
    assert_eq!(channel.handle(), "acme.bsky.social");
    assert!(!channel.is_retired());
}

#[test]
fn error_codes() {
    assert_eq!(ChannelError::AlreadyExists.code(), "ALREADY_EXISTS");
    assert_eq!(ChannelError::NotFound.code(), "NOT_FOUND");
    assert_eq!(ChannelError::Retired.code(), "CHANNEL_RETIRED");
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        registered(),
        ChannelEvent::ChannelRetired { reason: None },
        ChannelEvent::ChannelRetired {
            reason: Some("closed".to_string()),
        },
    ];
    assert_events_round_trip(&events);
}
