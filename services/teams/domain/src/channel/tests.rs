use uuid::Uuid;

use super::*;
use crate::testing::{assert_events_round_trip, records, refused, replayed, ORG, TEAM};
use crate::values::{Handle, Reason, SocialNetwork};

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
    assert_eq!(records::<Channel>(vec![], register()), vec![registered()]);
}

#[test]
fn register_twice_is_refused() {
    assert_eq!(
        refused::<Channel>(vec![registered()], register()),
        ChannelError::AlreadyExists
    );
}

#[test]
fn retire_channel() {
    assert_eq!(
        records::<Channel>(
            vec![registered()],
            ChannelCommand::RetireChannel {
                reason: Some(Reason::try_from("account closed").expect("valid reason")),
            }
        ),
        vec![ChannelEvent::ChannelRetired {
            reason: Some("account closed".to_string()),
        }]
    );
}

#[test]
fn retire_missing_channel_is_not_found() {
    assert_eq!(
        refused::<Channel>(vec![], ChannelCommand::RetireChannel { reason: None }),
        ChannelError::NotFound
    );
}

#[test]
fn retire_retired_channel_is_refused() {
    assert_eq!(
        refused::<Channel>(
            vec![registered(), ChannelEvent::ChannelRetired { reason: None },],
            ChannelCommand::RetireChannel { reason: None }
        ),
        ChannelError::Retired
    );
}

#[test]
fn apply_builds_state() {
    assert!(!Channel::default().exists());
    let channel: Channel = replayed([registered()]);
    assert_eq!(channel.channel_id(), Some(channel_id()));
    assert_eq!(channel.organization_id(), Some(ORG));
    assert_eq!(channel.team_id(), Some(TEAM));
    assert_eq!(channel.network(), Some(SocialNetwork::Bluesky));
    assert_eq!(channel.handle(), "acme.bsky.social");
    assert!(!channel.is_retired());
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
