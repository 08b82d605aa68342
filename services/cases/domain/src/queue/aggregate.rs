use chorus_shared::{code_enum, refuse_if, ValueError};
use chorus_teams_domain::values::RoleFunction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseQueueCommand, CaseQueueError, CaseQueueEvent};

/// How a queue hands its cases out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssignmentStrategy {
    /// Workers take cases themselves (or a manager assigns them).
    #[default]
    Manual,
    /// The oldest queued case goes to the holder assigned least recently.
    RoundRobin,
    /// The oldest queued case goes to the holder with the fewest open cases.
    LoadBalanced,
}

code_enum!(AssignmentStrategy, "strategy", {
    Manual => "MANUAL",
    RoundRobin => "ROUND_ROBIN",
    LoadBalanced => "LOAD_BALANCED",
});

/// A queue's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueueSettings {
    /// How cases are handed out.
    pub strategy: AssignmentStrategy,
    /// Most open cases one person holds before the queue skips them (`None`: no limit).
    pub capacity: Option<u32>,
    /// Replies to the team's cases need the approval of a holder of this function
    /// (`None`: the team asks for none). A routing rule's reply approver wins over it:
    /// the team's applies to the cases whose rule names none. Settings recorded before
    /// it existed have none.
    #[serde(default)]
    pub reply_approver: Option<RoleFunction>,
}

/// The most a capacity may be.
pub const MAX_CAPACITY: u32 = 1_000;

impl QueueSettings {
    /// Settings whose capacity is 1 to [`MAX_CAPACITY`].
    pub fn try_new(
        strategy: AssignmentStrategy,
        capacity: Option<u32>,
        reply_approver: Option<RoleFunction>,
    ) -> Result<Self, ValueError> {
        if capacity.is_some_and(|c| c == 0 || c > MAX_CAPACITY) {
            return Err(ValueError::new(
                "capacity",
                format!("must be between 1 and {MAX_CAPACITY}"),
            ));
        }
        Ok(Self {
            strategy,
            capacity,
            reply_approver,
        })
    }
}

/// State of one team's queue settings, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseQueue {
    organization_id: Option<Uuid>,
    version: u64,
    settings: QueueSettings,
}

impl CaseQueue {
    /// The settings (manual until configured).
    pub fn settings(&self) -> QueueSettings {
        self.settings
    }

    /// The settings' version (0 until configured).
    pub fn version(&self) -> u64 {
        self.version
    }
}

chorus_shared::aggregate!(
    CaseQueue,
    "case_queue",
    CaseQueueCommand,
    CaseQueueEvent,
    CaseQueueError
);

impl CaseQueue {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: CaseQueueCommand) -> Result<Vec<CaseQueueEvent>, CaseQueueError> {
        let CaseQueueCommand::ConfigureQueue {
            team_id,
            organization_id,
            settings,
            by,
        } = command;
        refuse_if(
            self.organization_id
                .is_some_and(|org| org != organization_id),
            CaseQueueError::OtherOrganization,
        )?;
        let settings = QueueSettings::try_new(
            settings.strategy,
            settings.capacity,
            settings.reply_approver,
        )?;
        refuse_if(
            self.version > 0 && self.settings == settings,
            CaseQueueError::Unchanged,
        )?;
        Ok(vec![CaseQueueEvent::QueueConfigured {
            team_id,
            organization_id,
            version: self.version + 1,
            settings,
            by,
        }])
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: CaseQueueEvent) {
        let CaseQueueEvent::QueueConfigured {
            organization_id,
            version,
            settings,
            ..
        } = event;
        self.organization_id = Some(organization_id);
        self.version = version;
        self.settings = settings;
    }
}
