//! `revokeRole`: a role assignment of the caller's organization ends now. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{actor_id, as_admin, lookup};
use crate::domain::{Person, PersonCommand, Reason};

pub async fn revoke_role(
    caller: Caller<'_>,
    assignment_id: Uuid,
    reason: Reason,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Person, _>(caller, key, || async {
        let role = lookup::role(caller, assignment_id).await?;
        let command = PersonCommand::RevokeRole {
            assignment_id,
            reason,
            revoked_by: actor_id(&caller),
            at: chorus_kernel::now(),
        };
        Ok((role.person_id, command))
    })
    .await
}
