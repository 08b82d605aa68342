//! `renameTeam` and `archiveTeam`: a team of the caller's organization changes. Admins only.

use chorus_api::{ApiResult, Caller};
use uuid::Uuid;

use super::requests::{ArchiveTeam, RenameTeam};
use super::{lookup, AdminCommand};
use crate::domain::{Team, TeamCommand};

impl AdminCommand for RenameTeam {
    type Aggregate = Team;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, TeamCommand)> {
        let name = self.name;
        Ok((
            existing(caller, self.team_id).await?,
            TeamCommand::RenameTeam { name },
        ))
    }
}

impl AdminCommand for ArchiveTeam {
    type Aggregate = Team;

    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, TeamCommand)> {
        let reason = self.reason;
        Ok((
            existing(caller, self.team_id).await?,
            TeamCommand::ArchiveTeam { reason },
        ))
    }
}

/// The id of a team of the caller's organization (archived or not).
async fn existing(caller: Caller<'_>, team_id: Uuid) -> ApiResult<Uuid> {
    Ok(lookup::team(caller, team_id).await?.id)
}
