//! `addPerson`: an employee or an external (agency, consultant, freelancer) joins the
//! organization. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};

use super::{as_admin, new_id};
use crate::domain::{Affiliation, DisplayName, Email, ExternalId, Person, PersonCommand};

/// A parsed `addPerson` request.
#[derive(Debug, Clone)]
pub struct AddPerson {
    pub display_name: DisplayName,
    pub email: Email,
    pub affiliation: Affiliation,
    pub external_id: Option<ExternalId>,
}

pub async fn add_person(
    caller: Caller<'_>,
    input: AddPerson,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Person, _>(caller, key, || async {
        let person_id = new_id();
        let command = PersonCommand::AddPerson {
            person_id,
            organization_id: caller.organization_id(),
            display_name: input.display_name,
            email: input.email,
            affiliation: input.affiliation,
            external_id: input.external_id,
        };
        Ok((person_id, command))
    })
    .await
}
