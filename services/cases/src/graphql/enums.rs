//! The enums of the cases slice, mirrored from the domain so the schema names them.

use chorus_cases_domain::case as domain_case;
use chorus_cases_domain::values as domain;

chorus_api::mirror_enum!(
    /// What a case is about, as routing classified it.
    CaseCategory => domain::CaseCategory { PricingQuestion, Complaint, Crisis, LegalThreat, CommonQuestion, Other }
);
chorus_api::mirror_enum!(
    /// How urgent a case is; SLA targets are set per priority.
    CasePriority => domain::Priority { Low, Normal, High, Urgent }
);
chorus_api::mirror_enum!(
    /// Whether a message or reply is public or private.
    MessageVisibility => domain::Visibility { Public, Private }
);
chorus_api::mirror_enum!(
    /// The door a case came in through.
    IntakeDoor => domain::IntakeDoor { ChannelMessage, External, Manual }
);
chorus_api::mirror_enum!(
    /// Where a case is in its life.
    CaseStatus => domain::CaseStatus { Queued, Assigned, WaitingOnContact, Resolved, Merged }
);
chorus_api::mirror_enum!(
    /// The three clocks an SLA policy sets targets for.
    SlaTarget => domain::SlaTargetKind { FirstResponse, NextResponse, Resolution }
);
chorus_api::mirror_enum!(
    /// Where a sent reply is on its way to the network.
    OutboundStatus => domain_case::OutboundStatus { Queued, Sent, Failed }
);

/// Where a reply is.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReplyStatus {
    /// Awaiting approval.
    Pending,
    /// Sent (an outbound message).
    Sent,
    /// Refused by an approver.
    Rejected,
    /// Taken back by the responder.
    Withdrawn,
}

impl ReplyStatus {
    pub(crate) fn from_stored(value: &str) -> chorus_api::ApiResult<Self> {
        Ok(match value {
            "PENDING" => Self::Pending,
            "SENT" => Self::Sent,
            "REJECTED" => Self::Rejected,
            "WITHDRAWN" => Self::Withdrawn,
            other => {
                return Err(chorus_api::ApiError::internal(&format!(
                    "case_replies.status holds an unknown value {other:?}"
                )))
            }
        })
    }
}
