//! `createTeam`: a team at the top of the organization or under a live parent. Admins only.

use chorus_api::{execute_for, replayed_for, ApiError, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{lookup, new_id};
use crate::access::ensure_admin;
use crate::domain::{Team, TeamCommand, TeamName};

/// A parsed `createTeam` request.
#[derive(Debug, Clone)]
pub struct CreateTeam {
    pub name: TeamName,
    pub parent_id: Option<Uuid>,
}

pub async fn create_team(
    caller: Caller<'_>,
    input: CreateTeam,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    ensure_admin(caller).await?;
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    let parent_id = match input.parent_id {
        Some(id) => {
            let parent = lookup::team(caller, id).await?;
            if parent.archived_at.is_some() {
                return Err(ApiError::Domain {
                    code: "TEAM_ARCHIVED",
                    message: "parentId: the parent team is archived".into(),
                });
            }
            Some(parent.id)
        }
        None => None,
    };
    let team_id = new_id();
    let command = TeamCommand::CreateTeam {
        team_id,
        organization_id: caller.organization_id(),
        name: input.name,
        parent_id,
    };
    execute_for::<Team>(caller, team_id, command, key).await
}
