//! `createTeam`: a team at the top of the organization or under a live parent. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin, lookup, new_id};
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
    as_admin::<Team, _>(caller, key, || async {
        let parent_id = match input.parent_id {
            Some(id) => Some(
                lookup::live_team(caller, id, "parentId: the parent team")
                    .await?
                    .id,
            ),
            None => None,
        };
        let team_id = new_id();
        let command = TeamCommand::CreateTeam {
            team_id,
            organization_id: caller.organization_id(),
            name: input.name,
            parent_id,
        };
        Ok((team_id, command))
    })
    .await
}
