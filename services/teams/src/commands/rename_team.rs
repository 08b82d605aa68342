//! `renameTeam` and `archiveTeam`: a team of the caller's organization changes. Admins only.

use chorus_api::{ApiResult, Caller};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use super::{as_admin, lookup};
use crate::domain::{Reason, Team, TeamCommand, TeamName};

/// Renames a team.
pub async fn rename_team(
    caller: Caller<'_>,
    team_id: Uuid,
    name: TeamName,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    change_team(caller, team_id, TeamCommand::RenameTeam { name }, key).await
}

/// Archives a team; its history stays readable.
pub async fn archive_team(
    caller: Caller<'_>,
    team_id: Uuid,
    reason: Option<Reason>,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    change_team(caller, team_id, TeamCommand::ArchiveTeam { reason }, key).await
}

async fn change_team(
    caller: Caller<'_>,
    team_id: Uuid,
    command: TeamCommand,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    as_admin::<Team, _>(caller, key, || async {
        Ok((lookup::team(caller, team_id).await?.id, command))
    })
    .await
}
