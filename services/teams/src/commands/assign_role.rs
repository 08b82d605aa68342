//! `assignRole`: grants a person a function (and optionally a responsibility) at the
//! organization, a team or a channel, from now or a moment later. Admins only.

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::requests::{AssignRole, ScopeRef};
use super::{actor_id, lookup, new_id, run, AdminCommand};
use crate::domain::{Person, PersonCommand, RoleScope};

/// What `assignRole` did: the outcome, and the assignment's id (`None` on a replay,
/// whose assignment is the first request's; read it from the outcome's event).
#[derive(Debug, Clone)]
pub struct RoleAssigned {
    pub outcome: CommandOutcome,
    pub assignment_id: Option<Uuid>,
}

impl AssignRole {
    /// Runs the request ([`run`]) and names the new assignment: its id is minted here,
    /// before the use case runs, so the reply can name it.
    pub async fn assign(
        self,
        caller: Caller<'_>,
        key: Option<IdempotencyKey>,
    ) -> ApiResult<RoleAssigned> {
        let assignment_id = new_id();
        let outcome = run(caller, NewAssignment(assignment_id, self), key).await?;
        Ok(RoleAssigned {
            // On an idempotent replay the assignment is the first request's, not the id minted here.
            assignment_id: (!outcome.replayed).then_some(assignment_id),
            outcome,
        })
    }
}

/// An `assignRole` request with the id its assignment gets.
struct NewAssignment(Uuid, AssignRole);

impl AdminCommand for NewAssignment {
    type Aggregate = Person;
    const PROVISIONING: bool = true;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, PersonCommand)> {
        let NewAssignment(assignment_id, input) = self;
        let person = lookup::person(caller, input.person_id).await?;
        let scope = match input.scope {
            ScopeRef::Organization => RoleScope::organization(caller.organization_id()),
            ScopeRef::Team(id) => RoleScope::team(
                lookup::live_team(caller, id, "scope.id: the team")
                    .await?
                    .id,
            ),
            ScopeRef::Channel(id) => {
                let channel = lookup::channel(caller, id).await?;
                if channel.retired_at.is_some() {
                    return Err(ApiError::Domain {
                        code: "CHANNEL_RETIRED",
                        message: "scope.id: the channel is retired".into(),
                    });
                }
                RoleScope::channel(channel.id)
            }
        };
        let now = chorus_kernel::now();
        let command = PersonCommand::AssignRole {
            assignment_id,
            function: input.function,
            responsibility: input.responsibility,
            scope,
            effective_from: input.effective_from.unwrap_or(now),
            reason: input.reason,
            granted_by: actor_id(&caller),
            now,
        };
        Ok((person.id, command))
    }
}
