//! `revokeServiceToken`: one service-account token of the caller's organization is
//! refused from now on (its open subscriptions end). Admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use uuid::Uuid;

use super::requests::RevokeServiceToken;
use super::AdminCommand;
use crate::domain::{ServiceToken, ServiceTokenCommand};

impl AdminCommand for RevokeServiceToken {
    type Aggregate = ServiceToken;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, ServiceTokenCommand)> {
        crate::read::token(&caller.runtime.db, caller.organization_id(), self.token_id)
            .await?
            .ok_or(ApiError::NotFound("service token"))?;
        let command = ServiceTokenCommand::RevokeServiceToken {
            reason: self.reason,
            revoked_by: caller.principal.person_id(),
            now: chorus_kernel::now(),
        };
        Ok((self.token_id, command))
    }
}
