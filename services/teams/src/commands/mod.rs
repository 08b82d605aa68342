//! The teams context's use cases, one file per command: authorize → replay → look up →
//! build the domain command → execute. GraphQL resolvers, the CLI's demo and the
//! integrations call these, so each rule is written once.
//!
//! Inputs arrive parsed (domain newtypes, uuids); a use case answers with the command's
//! outcome, from which each caller builds its own reply.

mod add_person;
mod assign_role;
mod create_team;
mod lookup;
mod register_channel;
mod set_reporting_line;

pub use add_person::{add_person, AddPerson};
pub use assign_role::{assign_role, AssignRole, RoleAssigned, ScopeRef};
pub use create_team::{create_team, CreateTeam};
pub use lookup::{channel, person, team};
pub use register_channel::{register_channel, RegisterChannel};
pub use set_reporting_line::{set_reporting_line, SetReportingLine};

/// A new aggregate or entity id: time-ordered, so keyset pages follow creation order.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// The acting principal's id as recorded in `granted_by` / `revoked_by` / `by`.
pub(crate) fn actor_id(caller: &chorus_api::Caller<'_>) -> uuid::Uuid {
    caller.principal.actor.id.unwrap_or_default()
}
