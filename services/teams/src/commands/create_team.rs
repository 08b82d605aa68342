//! `createTeam`: a team at the top of the organization or under a live parent. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::CreateTeam;
use super::{lookup, new_id, AdminCommand};
use crate::domain::{Team, TeamCommand};

impl AdminCommand for CreateTeam {
    type Aggregate = Team;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, TeamCommand)> {
        let parent_id = match self.parent_id {
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
            name: self.name,
            parent_id,
        };
        Ok((team_id, command))
    }
}
