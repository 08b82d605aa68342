use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ChannelCommand, ChannelError, ChannelEvent};
use crate::values::SocialNetwork;

/// State of one channel, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    channel_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    team_id: Option<Uuid>,
    network: Option<SocialNetwork>,
    handle: String,
    retired: bool,
}

impl Channel {
    /// Id of the channel, `None` until registered.
    pub fn channel_id(&self) -> Option<Uuid> {
        self.channel_id
    }

    /// Organization the channel belongs to, `None` until registered.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Team that runs the channel, `None` until registered.
    pub fn team_id(&self) -> Option<Uuid> {
        self.team_id
    }

    /// Network of the account, `None` until registered.
    pub fn network(&self) -> Option<SocialNetwork> {
        self.network
    }

    /// Account handle (empty until registered).
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// Whether the channel has been retired.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Whether the channel has been registered.
    pub fn exists(&self) -> bool {
        self.channel_id.is_some()
    }
}

chorus_shared::aggregate!(
    Channel,
    "channel",
    ChannelCommand,
    ChannelEvent,
    ChannelError
);

impl Channel {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: ChannelCommand) -> Result<Vec<ChannelEvent>, ChannelError> {
        let events = match command {
            ChannelCommand::RegisterChannel {
                channel_id,
                organization_id,
                team_id,
                network,
                handle,
            } => {
                refuse_if(self.exists(), ChannelError::AlreadyExists)?;
                vec![ChannelEvent::ChannelRegistered {
                    channel_id,
                    organization_id,
                    team_id,
                    network,
                    handle: handle.into_inner(),
                }]
            }
            ChannelCommand::RetireChannel { reason } => {
                refuse_if(!self.exists(), ChannelError::NotFound)?;
                refuse_if(self.retired, ChannelError::Retired)?;
                vec![ChannelEvent::ChannelRetired {
                    reason: reason.map(String::from),
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ChannelEvent) {
        match event {
            ChannelEvent::ChannelRegistered {
                channel_id,
                organization_id,
                team_id,
                network,
                handle,
            } => {
                self.channel_id = Some(channel_id);
                self.organization_id = Some(organization_id);
                self.team_id = Some(team_id);
                self.network = Some(network);
                self.handle = handle;
            }
            ChannelEvent::ChannelRetired { .. } => {
                self.retired = true;
            }
        }
    }
}
