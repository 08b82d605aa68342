use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ServiceScope;

/// Facts recorded by the [`ServiceToken`](super::ServiceToken) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum ServiceTokenEvent {
    /// A token was issued and registered.
    ServiceTokenIssued {
        /// Id of the token (its `jti`).
        token_id: Uuid,
        /// Organization the token is confined to.
        organization_id: Uuid,
        /// The service account it speaks for.
        service_account_id: Uuid,
        /// What it may do.
        scopes: Vec<ServiceScope>,
        /// What it is for.
        description: Option<String>,
        /// When it stops being valid.
        expires_at: DateTime<Utc>,
        /// Who issued it (none for the command line).
        issued_by: Option<Uuid>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The token was revoked.
    ServiceTokenRevoked {
        /// Why, if given.
        reason: Option<String>,
        /// Who revoked it (none for the command line).
        revoked_by: Option<Uuid>,
        /// When.
        at: DateTime<Utc>,
    },
}

chorus_shared::domain_event!(ServiceTokenEvent);
