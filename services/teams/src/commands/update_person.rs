//! `updatePerson` and `offboardPerson`: a person of the caller's organization changes or
//! leaves (offboarding ends every role). Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::{OffboardPerson, UpdatePerson};
use super::{actor_id, ensure_email_free, lookup, AdminCommand};
use crate::domain::{Person, PersonCommand};

impl AdminCommand for UpdatePerson {
    type Aggregate = Person;
    const PROVISIONING: bool = true;

    fn claims_email(&self) -> Option<&str> {
        self.email.as_ref().map(|email| email.as_str())
    }

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, PersonCommand)> {
        let person_id = existing(caller, self.person_id).await?;
        if let Some(email) = &self.email {
            ensure_email_free(caller, email.as_str(), Some(person_id)).await?;
        }
        let command = PersonCommand::UpdatePerson {
            display_name: self.display_name,
            email: self.email,
            affiliation: self.affiliation,
            external_id: self.external_id,
        };
        Ok((person_id, command))
    }
}

impl AdminCommand for OffboardPerson {
    type Aggregate = Person;
    const PROVISIONING: bool = true;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, PersonCommand)> {
        let person_id = existing(caller, self.person_id).await?;
        let command = PersonCommand::OffboardPerson {
            reason: self.reason,
            at: chorus_kernel::now(),
            by: actor_id(&caller),
        };
        Ok((person_id, command))
    }
}

/// The id of a person of the caller's organization (offboarded or not).
async fn existing(caller: Caller<'_>, person_id: Uuid) -> ApiResult<Uuid> {
    Ok(lookup::person(caller, person_id).await?.id)
}
