//! `renameOrganization`: the caller's organization gets a new name. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::RenameOrganization;
use super::AdminCommand;
use crate::domain::{Organization, OrganizationCommand};

impl AdminCommand for RenameOrganization {
    type Aggregate = Organization;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, OrganizationCommand)> {
        let command = OrganizationCommand::RenameOrganization { name: self.name };
        Ok((caller.organization_id(), command))
    }
}
