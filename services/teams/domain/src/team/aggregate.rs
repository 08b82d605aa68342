use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
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
        if !self.exists() {
            return Err(TeamError::NotFound);
        }
        if self.archived {
            return Err(TeamError::Archived);
        }
        Ok(())
    }
}

impl Aggregate for Team {
    const TYPE: &'static str = "team";
    type Command = TeamCommand;
    type Event = TeamEvent;
    type Error = TeamError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _service: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        match command {
            TeamCommand::CreateTeam {
                team_id,
                organization_id,
                name,
                parent_id,
            } => {
                if self.exists() {
                    return Err(TeamError::AlreadyExists);
                }
                // Deeper cycles need the whole hierarchy and are the
                // application layer's job; self-parenting is visible here.
                if parent_id == Some(team_id) {
                    return Err(TeamError::ParentIsSelf);
                }
                let event = TeamEvent::TeamCreated {
                    team_id,
                    organization_id,
                    name: name.into_inner(),
                    parent_id,
                };
                sink.write(event, self).await;
            }
            TeamCommand::RenameTeam { name } => {
                self.ensure_changeable()?;
                if self.name == name.as_str() {
                    return Err(TeamError::NameUnchanged);
                }
                let event = TeamEvent::TeamRenamed {
                    name: name.into_inner(),
                };
                sink.write(event, self).await;
            }
            TeamCommand::ArchiveTeam { reason } => {
                self.ensure_changeable()?;
                let event = TeamEvent::TeamArchived {
                    reason: reason.map(String::from),
                };
                sink.write(event, self).await;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
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
