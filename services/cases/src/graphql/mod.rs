//! The cases slice of the GraphQL schema: the case queue, cases with their timeline and
//! replies, the reply approval inbox, contacts, the SLA report, the case configuration (routing rules, SLA
//! policies, business calendars), and every case mutation. Who may do what is decided by
//! the use cases ([`crate::commands`]); reading needs a working function, an admin, or a
//! service account with `cases:read`.

mod approvals;
mod case;
mod config;
pub(crate) mod contact;
mod enums;
mod mutations;
mod node;
mod query;
mod queue;
mod shared;
mod timeline;

pub use case::{Case, CaseSnapshot, RoutingDecision};
pub use config::{BusinessCalendar, RoutingRules, SlaPolicy};
pub use contact::{Contact, ContactHandle};
pub use enums::{
    CaseCategory, CasePriority, CaseStatus, IntakeDoor, MessageVisibility, OutboundStatus,
    ReplyStatus, SlaTarget,
};
pub use mutations::CasesMutation;
pub use node::{find_node, CasesNode, NODE_KINDS};
pub use query::{CaseQueueFilter, CasesQuery, SlaReportLine};
pub use queue::{AssignmentStrategy, CaseQueueSettings};
pub use timeline::{CaseReply, CaseTimelineEntry};
