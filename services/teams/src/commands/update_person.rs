//! `updatePerson` and `offboardPerson`: a person of the caller's organization changes or
//! leaves (offboarding ends every role). Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{actor_id, as_admin, lookup};
use crate::domain::{Affiliation, DisplayName, Email, ExternalId, Person, PersonCommand, Reason};

/// A parsed `updatePerson` request: `None` leaves a field as it is.
#[derive(Debug, Clone)]
pub struct UpdatePerson {
    pub person_id: Uuid,
    pub display_name: Option<DisplayName>,
    pub email: Option<Email>,
    pub affiliation: Option<Affiliation>,
    pub external_id: Option<ExternalId>,
}

pub async fn update_person(
    caller: Caller<'_>,
    input: UpdatePerson,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    let command = PersonCommand::UpdatePerson {
        display_name: input.display_name,
        email: input.email,
        affiliation: input.affiliation,
        external_id: input.external_id,
    };
    change_person(caller, input.person_id, |_| command, key).await
}

pub async fn offboard_person(
    caller: Caller<'_>,
    person_id: Uuid,
    reason: Option<Reason>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    let command = |by| PersonCommand::OffboardPerson {
        reason,
        at: chorus_kernel::now(),
        by,
    };
    change_person(caller, person_id, command, key).await
}

async fn change_person(
    caller: Caller<'_>,
    person_id: Uuid,
    command: impl FnOnce(Uuid) -> PersonCommand,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Person, _>(caller, key, || async {
        let person = lookup::person(caller, person_id).await?;
        Ok((person.id, command(actor_id(&caller))))
    })
    .await
}
