//! `addPerson`: an employee or an external (agency, consultant, freelancer) joins the
//! organization. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::AddPerson;
use super::{ensure_email_free, new_id, AdminCommand};
use crate::domain::{Person, PersonCommand};

impl AdminCommand for AddPerson {
    type Aggregate = Person;
    const PROVISIONING: bool = true;

    fn claims_email(&self) -> Option<&str> {
        Some(self.email.as_str())
    }

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, PersonCommand)> {
        ensure_email_free(caller, self.email.as_str(), None).await?;
        let person_id = new_id();
        let command = PersonCommand::AddPerson {
            person_id,
            organization_id: caller.organization_id(),
            display_name: self.display_name,
            email: self.email,
            affiliation: self.affiliation,
            external_id: self.external_id,
        };
        Ok((person_id, command))
    }
}
