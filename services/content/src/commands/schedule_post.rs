//! `schedulePost`: the author sets or moves a post's publication time.

use chorus_api::Caller;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{as_author, Outcome, RetryKey};
use crate::domain::PostCommand;

/// A parsed `schedulePost` request.
#[derive(Debug, Clone, Copy)]
pub struct SchedulePost {
    pub post_id: Uuid,
    pub scheduled_at: DateTime<Utc>,
}

pub async fn schedule_post(caller: Caller<'_>, input: SchedulePost, key: RetryKey) -> Outcome {
    as_author(caller, input.post_id, key, |_, by| async move {
        let scheduled_at = input.scheduled_at;
        let now = chorus_kernel::now();
        Ok(PostCommand::SchedulePost {
            scheduled_at,
            by,
            now,
        })
    })
    .await
}
