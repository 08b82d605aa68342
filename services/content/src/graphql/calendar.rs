//! An entry of the content calendar (`CalendarEntry`).

use async_graphql::SimpleObject;
use chorus_teams::graphql::Channel;
use chrono::{DateTime, Utc};

use super::enums::PostStatus;
use super::post::Post;

/// A post on one channel of the content calendar.
#[derive(SimpleObject)]
pub struct CalendarEntry {
    pub(super) post: Post,
    pub(super) channel: Option<Channel>,
    pub(super) scheduled_at: Option<DateTime<Utc>>,
    pub(super) status: PostStatus,
}
