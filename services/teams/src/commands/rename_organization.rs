//! `renameOrganization`: the caller's organization gets a new name. Admins only.

use chorus_api::{execute_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};

use crate::access::ensure_admin;
use crate::domain::{Organization, OrganizationCommand, OrganizationName};

pub async fn rename_organization(
    caller: Caller<'_>,
    name: OrganizationName,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let command = OrganizationCommand::RenameOrganization { name };
    execute_for::<Organization>(caller, caller.organization_id(), command, key).await
}
