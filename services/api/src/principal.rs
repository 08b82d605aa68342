//! Who is calling: the principal a validated token names, confined to one organization.

use std::collections::HashSet;

use uuid::Uuid;

use chorus_kernel::Actor;

/// Who is calling, as proven by the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub organization_id: Uuid,
    pub actor: Actor,
    pub scopes: HashSet<String>,
    /// When the token stops being valid (long-lived subscriptions end then).
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The registration a service-account token signed with the local key must have
    /// (its `jti`): such a token is accepted only while it is registered and not revoked.
    /// `None` for people and for tokens of an identity provider, which revokes its own.
    pub token_id: Option<Uuid>,
}

impl Principal {
    /// `actor` acting through a door that presents no token (the CLI, the demo): no
    /// scopes, no registration, no expiry. Its rights come from role assignments alone.
    pub fn without_token(organization_id: Uuid, actor: Actor) -> Self {
        Self {
            organization_id,
            actor,
            scopes: HashSet::new(),
            expires_at: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            token_id: None,
        }
    }

    pub fn person_id(&self) -> Option<Uuid> {
        match self.actor.kind {
            chorus_kernel::ActorKind::Person => self.actor.id,
            _ => None,
        }
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }
}
