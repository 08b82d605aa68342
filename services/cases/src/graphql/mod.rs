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

/// What of the cases slice may be answered from a kept response ([`chorus_api::responses`]):
/// the case queue, and the fields of a case, its contact and its routing that come from
/// the cases read models alone. A case's team, assignee and channel belong to other
/// contexts (whose fields can change by time alone, such as a person's `active`), its
/// timeline and replies are pages of their own: a selection of any of them is executed.
use chorus_api::responses::{Keepable, KeepableFields};

pub const KEEPABLE: Keepable = Keepable {
    roots: &["caseQueue"],
    fields: &[
        KeepableFields {
            of: "CaseConnection",
            names: &["pageInfo", "edges", "nodes"],
        },
        KeepableFields {
            of: "CaseEdge",
            names: &["node", "cursor"],
        },
        KeepableFields {
            of: "PageInfo",
            names: &["hasPreviousPage", "hasNextPage", "startCursor", "endCursor"],
        },
        KeepableFields {
            of: "Case",
            names: &[
                "id",
                "status",
                "category",
                "priority",
                "function",
                "escalatedTo",
                "contact",
                "door",
                "externalSystem",
                "externalCaseId",
                "firstMessage",
                "handledPrivately",
                "routing",
                "nextDeadline",
                "nextDeadlineTarget",
                "breached",
                "follows",
                "mergedInto",
                "resolutionCode",
                "openedAt",
                "firstResponseAt",
                "resolvedAt",
                "updatedAt",
            ],
        },
        KeepableFields {
            of: "Contact",
            names: &["id", "displayName", "crmId", "vip", "createdAt", "handles"],
        },
        KeepableFields {
            of: "ContactHandle",
            names: &["network", "handle"],
        },
        KeepableFields {
            of: "RoutingDecision",
            names: &[
                "rulesVersion",
                "ruleIndex",
                "ruleName",
                "matchedTerm",
                "category",
                "function",
                "priority",
                "handlePrivately",
                "escalateTo",
                "replyApprover",
                "slaPolicyId",
            ],
        },
    ],
};
