//! `chorus init`: an organization is founded with its first admin. Nobody holds a role in
//! an organization that does not exist yet, so this use case takes no caller: the
//! operator's door (the CLI) runs it as the system actor, and the founding admin's
//! rights come from the organization's `founding_admin_id`, not from a role assignment.

use chorus_api::{execute_for, ApiResult, Caller, Principal, Runtime};
use chorus_kernel::Actor;
use uuid::Uuid;

use super::new_id;
use crate::domain::{
    Affiliation, DisplayName, Email, Organization, OrganizationCommand, OrganizationName, Person,
    PersonCommand,
};

pub struct FoundOrganization {
    pub name: OrganizationName,
    pub admin_name: DisplayName,
    pub admin_email: Email,
}

/// The new organization and its founding admin.
pub struct Founded {
    pub organization_id: Uuid,
    pub admin_id: Uuid,
}

/// Founds an organization with its founding admin, through `channel` (recorded in the
/// events' metadata), and waits until the read models show both.
pub async fn found_organization(
    runtime: &Runtime,
    channel: &'static str,
    input: FoundOrganization,
) -> ApiResult<Founded> {
    let organization_id = new_id();
    let admin_id = new_id();
    let system = Principal::without_token(organization_id, Actor::system());
    let caller = Caller {
        runtime,
        principal: &system,
        channel,
    };
    let create = OrganizationCommand::CreateOrganization {
        organization_id,
        name: input.name,
        founding_admin_id: admin_id,
    };
    execute_for::<Organization>(caller, organization_id, create, None).await?;
    let add = PersonCommand::AddPerson {
        person_id: admin_id,
        organization_id,
        display_name: input.admin_name,
        email: input.admin_email,
        affiliation: Affiliation::Internal,
        external_id: None,
    };
    execute_for::<Person>(caller, admin_id, add, None).await?;
    Ok(Founded {
        organization_id,
        admin_id,
    })
}
