use uuid::Uuid;

use crate::values::{Reason, TeamName};

/// Commands accepted by the [`Team`](super::Team) aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamCommand {
    /// Create the team.
    CreateTeam {
        /// Id of the new team (also the aggregate id).
        team_id: Uuid,
        /// Organization the team belongs to.
        organization_id: Uuid,
        /// Initial name.
        name: TeamName,
        /// Parent team, if this team is nested.
        parent_id: Option<Uuid>,
    },
    /// Give the team a new name.
    RenameTeam {
        /// New name.
        name: TeamName,
    },
    /// Archive the team; archived teams accept no further changes.
    ArchiveTeam {
        /// Why the team is archived, if given.
        reason: Option<Reason>,
    },
}
