//! Queries over the content read models. Every query is confined to one organization
//! and served by an index of `0004_content_read_models.sql`; nested lists of a page of
//! posts are loaded in batches (see [`ContentLoader`]).
//!
//! Lists ordered by time use keyset pagination on (instant, id, sequence) — see
//! [`Keyset`]; lists ordered by id use the API's usual id cursor.

/// Appends the keyset condition "(col, id, seq) > after" when a cursor was given.
macro_rules! push_keyset {
    ($qb:ident, $after:expr, $time:literal, $id:literal, $seq:literal) => {
        if let Some(after) = $after {
            // With an instant: "(time > at OR (time = at AND <the id condition>))".
            if let Some(at) = after.at {
                $qb.push(concat!(" AND (", $time, " > "))
                    .push_bind(at)
                    .push(concat!(" OR (", $time, " = "))
                    .push_bind(at);
            }
            $qb.push(concat!(" AND (", $id, " > "))
                .push_bind(after.id)
                .push(concat!(" OR (", $id, " = "))
                .push_bind(after.id)
                .push(concat!(" AND ", $seq, " > "))
                .push_bind(after.seq)
                .push("))");
            if after.at.is_some() {
                $qb.push("))");
            }
        }
    };
}

/// Appends `sql` followed by a bound value for each optional filter that is set.
macro_rules! push_filters {
    ($qb:ident, $($sql:literal => $value:expr),+ $(,)?) => {
        $(
            if let Some(value) = $value {
                $qb.push($sql).push_bind(value);
            }
        )+
    };
}

mod compliance;
mod history;
mod inbox;
mod loader;
mod policies;
mod posts;
mod rows;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use compliance::compliance_violations;
pub use history::{approvals, legal_review, legal_reviews, ApprovalFilter, ReviewFilter};
pub use inbox::approval_inbox;
pub use loader::{ApprovalsOfPost, ChannelsOfPost, ContentLoader, OpenStepsOfPost};
pub use policies::{lexicon_terms, policies_at, policies_now, policy};
pub use posts::{calendar, delegated_publications, post, status_at, text_at, timeline};
pub use rows::{
    ApprovalRow, CalendarRow, LegalReviewRow, LexiconTermRow, OpenStepRow, PolicyRow, PostRow,
    TimelineRow, ViolationRow,
};

/// A place in a time-ordered list: the row's instant, id and sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct KeysetKey {
    pub at: Option<DateTime<Utc>>,
    pub id: Uuid,
    pub seq: i64,
}

/// One page request of a time-ordered list: rows after `after`, at most `limit` (one
/// more than the page size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Keyset {
    pub after: Option<KeysetKey>,
    pub limit: i64,
}
