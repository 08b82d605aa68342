//! What the cases subscriptions need: who may subscribe, and which events concern one
//! team's queue (`caseQueueUpdates(teamId)`).

use std::collections::HashSet;
use std::sync::Mutex;

use chorus_api::{ApiResult, Caller};
use chorus_cases_domain::case::CaseEvent;
use chorus_kernel::RecordedEvent;
use uuid::Uuid;

use crate::commands::ensure_case_reader;
use crate::read::{self, QueueFilter};
use crate::QUEUE_EVENTS;

/// Most open cases of one queue a subscription follows from the start; cases that enter
/// the queue later are followed as they do.
const MAX_FOLLOWED: i64 = 20_000;

/// Refuses a subscriber who may not read cases.
pub async fn ensure_subscriber(caller: Caller<'_>) -> ApiResult<()> {
    ensure_case_reader(caller).await
}

/// The cases of one queue a subscriber follows: the open ones when it subscribed, and
/// those that enter it since (opened or transferred into it).
pub struct QueueWatch {
    team: Option<Uuid>,
    cases: Mutex<HashSet<String>>,
}

impl QueueWatch {
    /// Starts following the queue of `team` (`None`: the organization's own queue).
    pub async fn start(caller: Caller<'_>, team: Option<Uuid>) -> ApiResult<Self> {
        ensure_case_reader(caller).await?;
        let filter = QueueFilter {
            team: Some(team),
            ..QueueFilter::default()
        };
        let rows = read::queue(
            &caller.runtime.db,
            caller.organization_id(),
            &filter,
            None,
            MAX_FOLLOWED,
        )
        .await?;
        Ok(Self {
            team,
            cases: Mutex::new(rows.into_iter().map(|row| row.id.to_string()).collect()),
        })
    }

    /// Whether `event` changes the followed queue: a case entering, leaving or moving in
    /// it.
    pub fn admits(&self, event: &RecordedEvent) -> bool {
        if event.aggregate_type != "case" || !QUEUE_EVENTS.contains(&event.event_type.as_str()) {
            return false;
        }
        let Ok(mut cases) = self.cases.lock() else {
            return false;
        };
        match event.decode::<CaseEvent>() {
            Ok(CaseEvent::CaseOpened { routing, .. }) if routing.team_id == self.team => {
                cases.insert(event.aggregate_id.clone());
                true
            }
            Ok(CaseEvent::CaseTransferred {
                from_team, to_team, ..
            }) => {
                if to_team == self.team {
                    cases.insert(event.aggregate_id.clone());
                    true
                } else if from_team == self.team {
                    cases.remove(&event.aggregate_id);
                    true
                } else {
                    false
                }
            }
            _ => cases.contains(&event.aggregate_id),
        }
    }
}
