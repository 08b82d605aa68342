//! The teams context's use cases, one file per command: authorize → replay → look up →
//! build the domain command → execute. GraphQL resolvers, the CLI's demo and the
//! integrations call these, so each rule is written once.
//!
//! Inputs arrive parsed (domain newtypes, uuids); a use case answers with the command's
//! outcome, from which each caller builds its own reply.

mod add_person;
mod assign_role;
mod clear_reporting_line;
mod create_team;
mod lookup;
mod register_channel;
mod rename_organization;
mod rename_team;
mod retire_channel;
mod revoke_role;
mod set_reporting_line;
mod update_person;

pub use add_person::{add_person, AddPerson};
pub use assign_role::{assign_role, AssignRole, RoleAssigned, ScopeRef};
pub use clear_reporting_line::clear_reporting_line;
pub use create_team::{create_team, CreateTeam};
pub use lookup::{channel, person, team};
pub use register_channel::{register_channel, RegisterChannel};
pub use rename_organization::rename_organization;
pub use rename_team::{archive_team, rename_team};
pub use retire_channel::retire_channel;
pub use revoke_role::revoke_role;
pub use set_reporting_line::{set_reporting_line, SetReportingLine};
pub use update_person::{offboard_person, update_person, UpdatePerson};

/// A new aggregate or entity id: time-ordered, so keyset pages follow creation order.
pub(crate) fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// The acting principal's id as recorded in `granted_by` / `revoked_by` / `by`.
pub(crate) fn actor_id(caller: &chorus_api::Caller<'_>) -> uuid::Uuid {
    caller.principal.actor.id.unwrap_or_default()
}
