//! `revokeRole`: a role assignment of the caller's organization ends now. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::RevokeRole;
use super::{actor_id, lookup, AdminCommand};
use crate::domain::{Person, PersonCommand};

impl AdminCommand for RevokeRole {
    type Aggregate = Person;
    const PROVISIONING: bool = true;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, PersonCommand)> {
        let role = lookup::role(caller, self.assignment_id).await?;
        let command = PersonCommand::RevokeRole {
            assignment_id: self.assignment_id,
            reason: self.reason,
            revoked_by: actor_id(&caller),
            at: chorus_kernel::now(),
        };
        Ok((role.person_id, command))
    }
}
