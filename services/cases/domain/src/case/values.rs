//! What a case's commands and events carry besides the shared values.

use chorus_shared::code_enum;
use chorus_teams_domain::values::SocialNetwork;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::values::{
    ExternalCaseId, ExternalMessageId, ExternalSystem, IntakeDoor, MessageText, Visibility,
};

/// How a case came in: one of the three doors, each with what it knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Intake {
    /// A message on a registered channel.
    ChannelMessage {
        /// The channel the message came in on.
        channel_id: Uuid,
        /// The channel's network.
        network: SocialNetwork,
        /// The network's id for the message (a second delivery is the same message).
        external_message_id: ExternalMessageId,
        /// Whether the message is public (a comment, a mention) or private.
        visibility: Visibility,
        /// What the contact wrote.
        text: MessageText,
        /// When the network received it.
        received_at: DateTime<Utc>,
    },
    /// A CRM or help-desk system handed the case over.
    External {
        /// The system's name.
        system: ExternalSystem,
        /// The system's id for the case (a second delivery opens nothing new).
        external_case_id: ExternalCaseId,
        /// What the contact wrote, if the system sends it.
        text: Option<MessageText>,
    },
    /// A person created the case by hand.
    Manual {
        /// What the contact said, as the person recorded it.
        text: MessageText,
        /// The channel it concerns, if any.
        channel_id: Option<Uuid>,
    },
}

/// The intake as it is recorded in `CaseOpened`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "door", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntakeRecord {
    /// A message on a registered channel.
    ChannelMessage {
        /// The channel.
        channel_id: Uuid,
        /// Its network.
        network: SocialNetwork,
        /// The network's id for the message.
        external_message_id: String,
        /// Whether the message was public.
        visibility: Visibility,
        /// When the network received it.
        received_at: DateTime<Utc>,
    },
    /// A CRM or help-desk system.
    External {
        /// The system.
        system: String,
        /// Its id for the case.
        external_case_id: String,
    },
    /// By hand.
    Manual {
        /// The channel it concerns, if any.
        channel_id: Option<Uuid>,
    },
}

impl IntakeRecord {
    /// The door.
    pub fn door(&self) -> IntakeDoor {
        match self {
            Self::ChannelMessage { .. } => IntakeDoor::ChannelMessage,
            Self::External { .. } => IntakeDoor::External,
            Self::Manual { .. } => IntakeDoor::Manual,
        }
    }

    /// The channel the case concerns, if any.
    pub fn channel_id(&self) -> Option<Uuid> {
        match self {
            Self::ChannelMessage { channel_id, .. } => Some(*channel_id),
            Self::Manual { channel_id } => *channel_id,
            Self::External { .. } => None,
        }
    }
}

impl Intake {
    /// Splits the intake into its record, the contact's first message (text, visibility
    /// and the network's id for it) and the instant the case counts from.
    pub(crate) fn into_parts(
        self,
        at: DateTime<Utc>,
    ) -> (IntakeRecord, Option<FirstMessage>, DateTime<Utc>) {
        match self {
            Intake::ChannelMessage {
                channel_id,
                network,
                external_message_id,
                visibility,
                text,
                received_at,
            } => (
                IntakeRecord::ChannelMessage {
                    channel_id,
                    network,
                    external_message_id: external_message_id.clone().into_inner(),
                    visibility,
                    received_at,
                },
                Some(FirstMessage {
                    text: text.into_inner(),
                    visibility,
                    external_message_id: Some(external_message_id.into_inner()),
                }),
                // A message delivered late still counts from when it was received.
                received_at.min(at),
            ),
            Intake::External {
                system,
                external_case_id,
                text,
            } => (
                IntakeRecord::External {
                    system: system.into_inner(),
                    external_case_id: external_case_id.into_inner(),
                },
                text.map(|text| FirstMessage {
                    text: text.into_inner(),
                    visibility: Visibility::Private,
                    external_message_id: None,
                }),
                at,
            ),
            Intake::Manual { text, channel_id } => (
                IntakeRecord::Manual { channel_id },
                Some(FirstMessage {
                    text: text.into_inner(),
                    visibility: Visibility::Private,
                    external_message_id: None,
                }),
                at,
            ),
        }
    }
}

/// The contact's first message, as `CaseOpened` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstMessage {
    /// What the contact wrote.
    pub text: String,
    /// Public or private.
    pub visibility: Visibility,
    /// The network's id for it, if it came from a network.
    pub external_message_id: Option<String>,
}

/// Why a case went back to its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnReason {
    /// Someone unassigned it.
    Unassigned,
    /// Its holder was offboarded.
    Offboarded,
    /// Its holder no longer holds the routed function in the case's scope.
    RoleLost,
}

code_enum!(ReturnReason, "reason", {
    Unassigned => "UNASSIGNED",
    Offboarded => "OFFBOARDED",
    RoleLost => "ROLE_LOST",
});

/// Where a sent reply is on its way to the network, as an integration reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OutboundStatus {
    /// Waiting for an integration to send it.
    Queued,
    /// The network accepted it.
    Sent,
    /// The network refused it, or sending failed.
    Failed,
}

code_enum!(OutboundStatus, "status", {
    Queued => "QUEUED",
    Sent => "SENT",
    Failed => "FAILED",
});
