//! `renameOrganization`: the caller's organization gets a new name. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};

use super::as_admin;
use crate::domain::{Organization, OrganizationCommand, OrganizationName};

pub async fn rename_organization(
    caller: Caller<'_>,
    name: OrganizationName,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Organization, _>(caller, key, || async {
        let command = OrganizationCommand::RenameOrganization { name };
        Ok((caller.organization_id(), command))
    })
    .await
}
