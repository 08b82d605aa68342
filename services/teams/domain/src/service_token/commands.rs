use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ServiceScope;
use crate::values::Reason;

/// Commands accepted by the [`ServiceToken`](super::ServiceToken) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceTokenCommand {
    /// Register a new token of a service account.
    IssueServiceToken {
        /// Id of the token (also the aggregate id and the token's `jti`).
        token_id: Uuid,
        /// Organization the token is confined to.
        organization_id: Uuid,
        /// The service account the token speaks for.
        service_account_id: Uuid,
        /// What the token may do: at least one scope.
        scopes: Vec<ServiceScope>,
        /// What the token is for, shown when tokens are listed.
        description: Option<Reason>,
        /// When the token stops being valid; after `now`.
        expires_at: DateTime<Utc>,
        /// The person who issued it (none for the command line).
        issued_by: Option<Uuid>,
        /// The application's current time.
        now: DateTime<Utc>,
    },
    /// Revoke the token: it is refused from now on.
    RevokeServiceToken {
        /// Why, if given.
        reason: Option<Reason>,
        /// The person who revoked it (none for the command line).
        revoked_by: Option<Uuid>,
        /// The application's current time.
        now: DateTime<Utc>,
    },
}
