//! `revokeServiceToken`: one service-account token of the caller's organization is
//! refused from now on (its open subscriptions end). Admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::as_admin;
use crate::domain::{Reason, ServiceToken, ServiceTokenCommand};

pub async fn revoke_service_token(
    caller: Caller<'_>,
    token_id: Uuid,
    reason: Option<Reason>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<ServiceToken, _>(caller, key, || async {
        crate::read::token(&caller.runtime.db, caller.organization_id(), token_id)
            .await?
            .ok_or(ApiError::NotFound("service token"))?;
        let command = ServiceTokenCommand::RevokeServiceToken {
            reason,
            revoked_by: caller.principal.person_id(),
            now: chorus_kernel::now(),
        };
        Ok((token_id, command))
    })
    .await
}
