use chorus_shared::refuse_if;
use chorus_teams_domain::{Responsibility, RoleFunction, RoleScope};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ScimGroupCommand, ScimGroupEvent};

/// The role grant a group stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRole {
    pub function: RoleFunction,
    pub responsibility: Option<Responsibility>,
    pub scope: RoleScope,
}

/// Why the [`ScimGroup`] aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScimGroupError {
    /// Configure was sent to a group that already exists.
    #[error("The SCIM group already exists.")]
    AlreadyExists,
    /// The group was never configured, or was removed.
    #[error("The SCIM group was not found.")]
    NotFound,
    /// The identity provider already pushed this group.
    #[error("The identity provider has already created this group.")]
    AlreadyLinked,
    /// The rename keeps the name.
    #[error("The update does not change anything.")]
    NoChange,
    /// The responsibility cannot be held in the function.
    #[error("The responsibility {responsibility} does not belong to the function {function}.")]
    ResponsibilityNotInFunction {
        responsibility: Responsibility,
        function: RoleFunction,
    },
}

impl ScimGroupError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::AlreadyLinked => "SCIM_GROUP_LINKED",
            Self::NoChange => "NO_CHANGE",
            Self::ResponsibilityNotInFunction { .. } => "RESPONSIBILITY_NOT_IN_FUNCTION",
        }
    }
}

impl chorus_shared::DomainCode for ScimGroupError {
    fn domain_code(&self) -> &'static str {
        self.code()
    }
}

/// One SCIM group's mapping, rebuilt from events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimGroup {
    group_id: Option<Uuid>,
    display_name: String,
    role: Option<GroupRole>,
    linked: bool,
    removed: bool,
}

impl ScimGroup {
    /// The role the group stands for, `None` until configured.
    pub fn role(&self) -> Option<GroupRole> {
        self.role
    }

    /// The group's current name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// Whether the identity provider pushed the group.
    pub fn is_linked(&self) -> bool {
        self.linked
    }

    fn ensure_live(&self) -> Result<(), ScimGroupError> {
        refuse_if(
            self.group_id.is_none() || self.removed,
            ScimGroupError::NotFound,
        )
    }
}

chorus_shared::aggregate!(
    ScimGroup,
    "scim_group",
    ScimGroupCommand,
    ScimGroupEvent,
    ScimGroupError
);

impl ScimGroup {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: ScimGroupCommand) -> Result<Vec<ScimGroupEvent>, ScimGroupError> {
        let event = match command {
            ScimGroupCommand::Configure {
                group_id,
                organization_id,
                display_name,
                function,
                responsibility,
                scope,
                by,
            } => {
                refuse_if(self.group_id.is_some(), ScimGroupError::AlreadyExists)?;
                if let Some(responsibility) = responsibility {
                    refuse_if(
                        !responsibility.allows(function),
                        ScimGroupError::ResponsibilityNotInFunction {
                            responsibility,
                            function,
                        },
                    )?;
                }
                ScimGroupEvent::ScimGroupConfigured {
                    group_id,
                    organization_id,
                    display_name: display_name.into_inner(),
                    function,
                    responsibility,
                    scope,
                    by,
                }
            }
            ScimGroupCommand::Link { external_id, by } => {
                self.ensure_live()?;
                refuse_if(self.linked, ScimGroupError::AlreadyLinked)?;
                ScimGroupEvent::ScimGroupLinked {
                    external_id: external_id.map(String::from),
                    by,
                }
            }
            ScimGroupCommand::Rename { display_name, by } => {
                self.ensure_live()?;
                let display_name = display_name.into_inner();
                refuse_if(display_name == self.display_name, ScimGroupError::NoChange)?;
                ScimGroupEvent::ScimGroupRenamed { display_name, by }
            }
            ScimGroupCommand::Remove { by } => {
                self.ensure_live()?;
                ScimGroupEvent::ScimGroupRemoved { by }
            }
        };
        Ok(vec![event])
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ScimGroupEvent) {
        match event {
            ScimGroupEvent::ScimGroupConfigured {
                group_id,
                display_name,
                function,
                responsibility,
                scope,
                ..
            } => {
                self.group_id = Some(group_id);
                self.display_name = display_name;
                self.role = Some(GroupRole {
                    function,
                    responsibility,
                    scope,
                });
            }
            ScimGroupEvent::ScimGroupLinked { .. } => self.linked = true,
            ScimGroupEvent::ScimGroupRenamed { display_name, .. } => {
                self.display_name = display_name;
            }
            ScimGroupEvent::ScimGroupRemoved { .. } => self.removed = true,
        }
    }
}
