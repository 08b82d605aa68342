//! Who did what, on whose behalf, and why: the audit metadata stored with every event.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What kind of principal caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Person,
    ServiceAccount,
    System,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::ServiceAccount => "service_account",
            ActorKind::System => "system",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "person" => Some(ActorKind::Person),
            "service_account" => Some(ActorKind::ServiceAccount),
            "system" => Some(ActorKind::System),
            _ => None,
        }
    }
}

/// The principal behind a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub kind: ActorKind,
    /// The person or service account id; `None` for the system itself.
    pub id: Option<Uuid>,
}

impl Actor {
    pub fn person(id: Uuid) -> Self {
        Self {
            kind: ActorKind::Person,
            id: Some(id),
        }
    }

    pub fn service_account(id: Uuid) -> Self {
        Self {
            kind: ActorKind::ServiceAccount,
            id: Some(id),
        }
    }

    pub fn system() -> Self {
        Self {
            kind: ActorKind::System,
            id: None,
        }
    }
}

/// An idempotency key with the canonical request it was first used for, so a reuse of
/// the key for a different request is refused rather than silently answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub request: String,
}

/// Everything the store records about a command besides its events.
#[derive(Debug, Clone)]
pub struct CommandContext {
    pub organization_id: Uuid,
    pub actor: Actor,
    pub occurred_at: DateTime<Utc>,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    /// Where the command came from, e.g. `graphql`, `cli`, `scim`.
    pub request_source: String,
    pub idempotency: Option<IdempotencyKey>,
}

impl CommandContext {
    /// A context for `actor` in `organization_id`, stamped now, with a fresh correlation id.
    pub fn new(organization_id: Uuid, actor: Actor, request_source: impl Into<String>) -> Self {
        Self {
            organization_id,
            actor,
            occurred_at: crate::now(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            request_source: request_source.into(),
            idempotency: None,
        }
    }

    pub fn with_idempotency(mut self, key: Option<IdempotencyKey>) -> Self {
        self.idempotency = key;
        self
    }
}
