//! `renameTeam` and `archiveTeam`: a team of the caller's organization changes. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::{ChangeTeam, TeamChange};
use super::{lookup, AdminCommand};
use crate::domain::{Team, TeamCommand};

impl AdminCommand for ChangeTeam {
    type Aggregate = Team;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, TeamCommand)> {
        let team = lookup::team(caller, self.team_id).await?;
        let command = match self.change {
            TeamChange::Rename(name) => TeamCommand::RenameTeam { name },
            TeamChange::Archive(reason) => TeamCommand::ArchiveTeam { reason },
        };
        Ok((team.id, command))
    }
}
