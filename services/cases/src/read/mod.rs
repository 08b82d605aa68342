//! The cases read models' queries, each confined to the caller's organization and served
//! by one index: [`cases`] (a case, a team's queue, a contact's cases), [`timeline`] (a
//! case's events and replies), [`approvals`] (the replies awaiting one's approval),
//! [`contacts`], [`config`] (routing rules, SLA policies, calendars) and [`report`] (SLA
//! outcomes).

pub mod approvals;
pub mod cases;
pub mod config;
pub mod contacts;
pub mod kept;
pub mod loader;
pub mod report;
pub mod timeline;

pub use approvals::reply_approval_inbox;
pub use cases::{
    case, cases_by_ids, cases_of_contact, latest_case_of_contact, open_cases_on_calendar, queue,
    CaseRow, LatestCase, QueueFilter, QueueKey,
};
pub use contacts::{contact, ContactRow, HandleRow};
pub use loader::{CaseById, CasesLoader, ContactById, HandlesOfContact, RepliesOf, TimelineOf};
pub use timeline::{timeline_of_case, ReplyRow, TimelineRow};
