//! `revokeRole`: a role assignment of the caller's organization ends now. Admins only.

use async_graphql::dataloader::Loader;
use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::actor_id;
use crate::access::ensure_admin;
use crate::domain::{Person, PersonCommand, Reason};
use crate::read::{RoleById, TeamsLoader};

pub async fn revoke_role(
    caller: Caller<'_>,
    assignment_id: Uuid,
    reason: Reason,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let loader = TeamsLoader {
        db: caller.runtime.db.clone(),
        org: caller.organization_id(),
    };
    let role = loader
        .load(&[RoleById(assignment_id)])
        .await?
        .remove(&RoleById(assignment_id))
        .ok_or(ApiError::NotFound("role assignment"))?;
    let command = PersonCommand::RevokeRole {
        assignment_id,
        reason,
        revoked_by: actor_id(&caller),
        at: chorus_kernel::now(),
    };
    execute_for::<Person>(caller, role.person_id, command, key).await
}
