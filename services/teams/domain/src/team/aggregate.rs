use chorus_shared::refuse_if;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{TeamCommand, TeamError, TeamEvent};

/// State of one team, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    team_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    name: String,
    parent_id: Option<Uuid>,
    archived: bool,
}

impl Team {
    /// Id of the team, `None` until it has been created.
    pub fn team_id(&self) -> Option<Uuid> {
        self.team_id
    }

    /// Organization the team belongs to, `None` until created.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Current name (empty until created).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Parent team, if nested.
    pub fn parent_id(&self) -> Option<Uuid> {
        self.parent_id
    }

    /// Whether the team has been archived.
    pub fn is_archived(&self) -> bool {
        self.archived
    }

    /// Whether the team has been created.
    pub fn exists(&self) -> bool {
        self.team_id.is_some()
    }

    /// Guard shared by every command that changes an existing team.
    fn ensure_changeable(&self) -> Result<(), TeamError> {
        refuse_if(!self.exists(), TeamError::NotFound)?;
        refuse_if(self.archived, TeamError::Archived)?;
        Ok(())
    }
}

chorus_shared::aggregate!(Team, "team", TeamCommand, TeamEvent, TeamError);

impl Team {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: TeamCommand) -> Result<Vec<TeamEvent>, TeamError> {
        let events = match command {
            TeamCommand::CreateTeam {
                team_id,
                organization_id,
                name,
                parent_id,
            } => {
                refuse_if(self.exists(), TeamError::AlreadyExists)?;
                // Deeper cycles need the whole hierarchy and are the
                // application layer's job; self-parenting is visible here.
                refuse_if(parent_id == Some(team_id), TeamError::ParentIsSelf)?;
                vec![TeamEvent::TeamCreated {
                    team_id,
                    organization_id,
                    name: name.into_inner(),
                    parent_id,
                }]
            }
            TeamCommand::RenameTeam { name } => {
                self.ensure_changeable()?;
                refuse_if(self.name == name.as_str(), TeamError::NameUnchanged)?;
                vec![TeamEvent::TeamRenamed {
                    name: name.into_inner(),
                }]
            }
            TeamCommand::ArchiveTeam { reason } => {
                self.ensure_changeable()?;
                vec![TeamEvent::TeamArchived {
                    reason: reason.map(String::from),
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: TeamEvent) {
        match event {
            TeamEvent::TeamCreated {
                team_id,
                organization_id,
                name,
                parent_id,
            } => {
                self.team_id = Some(team_id);
                self.organization_id = Some(organization_id);
                self.name = name;
                self.parent_id = parent_id;
            }
            TeamEvent::TeamRenamed { name } => {
                self.name = name;
            }
            TeamEvent::TeamArchived { .. } => {
                self.archived = true;
            }
        }
    }
}
