use chorus_shared::refuse_if;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ServiceTokenCommand, ServiceTokenError, ServiceTokenEvent};

/// State of one service token, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceToken {
    token_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    expires_at: Option<DateTime<Utc>>,
    revoked: bool,
}

impl ServiceToken {
    /// Id of the token, `None` until issued.
    pub fn token_id(&self) -> Option<Uuid> {
        self.token_id
    }

    /// Organization of the token, `None` until issued.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Whether the token was revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked
    }
}

chorus_shared::aggregate!(
    ServiceToken,
    "service_token",
    ServiceTokenCommand,
    ServiceTokenEvent,
    ServiceTokenError
);

impl ServiceToken {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(
        &self,
        command: ServiceTokenCommand,
    ) -> Result<Vec<ServiceTokenEvent>, ServiceTokenError> {
        let events = match command {
            ServiceTokenCommand::IssueServiceToken {
                token_id,
                organization_id,
                service_account_id,
                scopes,
                description,
                expires_at,
                issued_by,
                now,
            } => {
                refuse_if(self.token_id.is_some(), ServiceTokenError::AlreadyExists)?;
                let mut unique = scopes.clone();
                unique.sort();
                unique.dedup();
                refuse_if(
                    scopes.is_empty() || unique.len() != scopes.len(),
                    ServiceTokenError::InvalidScopes,
                )?;
                refuse_if(expires_at <= now, ServiceTokenError::ExpiresBeforeIssue)?;
                vec![ServiceTokenEvent::ServiceTokenIssued {
                    token_id,
                    organization_id,
                    service_account_id,
                    scopes,
                    description: description.map(String::from),
                    expires_at,
                    issued_by,
                    at: now,
                }]
            }
            ServiceTokenCommand::RevokeServiceToken {
                reason,
                revoked_by,
                now,
            } => {
                refuse_if(self.token_id.is_none(), ServiceTokenError::NotFound)?;
                refuse_if(self.revoked, ServiceTokenError::AlreadyRevoked)?;
                vec![ServiceTokenEvent::ServiceTokenRevoked {
                    reason: reason.map(String::from),
                    revoked_by,
                    at: now,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ServiceTokenEvent) {
        match event {
            ServiceTokenEvent::ServiceTokenIssued {
                token_id,
                organization_id,
                expires_at,
                ..
            } => {
                self.token_id = Some(token_id);
                self.organization_id = Some(organization_id);
                self.expires_at = Some(expires_at);
            }
            ServiceTokenEvent::ServiceTokenRevoked { .. } => self.revoked = true,
        }
    }
}
