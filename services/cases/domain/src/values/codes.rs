//! The cases context's fieldless enums, stored and sent by their `SCREAMING_SNAKE_CASE`
//! names.

use chorus_shared::code_enum;
use serde::{Deserialize, Serialize};

/// What a case is about, as routing classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseCategory {
    /// A question on pricing, a discount or a promotion: a sales lead.
    PricingQuestion,
    /// A complaint about a product or service.
    Complaint,
    /// Something that may become a public crisis.
    Crisis,
    /// A threat of legal action.
    LegalThreat,
    /// A common question the social media team answers.
    CommonQuestion,
    /// Anything else.
    Other,
}

code_enum!(CaseCategory, "category", {
    PricingQuestion => "PRICING_QUESTION",
    Complaint => "COMPLAINT",
    Crisis => "CRISIS",
    LegalThreat => "LEGAL_THREAT",
    CommonQuestion => "COMMON_QUESTION",
    Other => "OTHER",
});

/// How urgent a case is; SLA targets are set per priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The default.
    Normal,
    /// Answer before normal cases.
    High,
    /// Answer now.
    Urgent,
}

code_enum!(Priority, "priority", {
    Low => "LOW",
    Normal => "NORMAL",
    High => "HIGH",
    Urgent => "URGENT",
});

/// Whether a message or reply is seen by the public or only by its addressee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    /// A public post, comment or mention.
    Public,
    /// A direct or private message.
    Private,
}

code_enum!(Visibility, "visibility", {
    Public => "PUBLIC",
    Private => "PRIVATE",
});

/// The door a case came in through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntakeDoor {
    /// A message on a registered channel.
    ChannelMessage,
    /// A CRM or help-desk system.
    External,
    /// A person created it by hand.
    Manual,
}

code_enum!(IntakeDoor, "door", {
    ChannelMessage => "CHANNEL_MESSAGE",
    External => "EXTERNAL",
    Manual => "MANUAL",
});

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseStatus {
    /// Routed to a team's queue, held by nobody.
    Queued,
    /// Held by a person.
    Assigned,
    /// Answered; waiting on the contact (SLA clocks paused).
    WaitingOnContact,
    /// Resolved with a resolution code.
    Resolved,
    /// Merged into another case.
    Merged,
}

code_enum!(CaseStatus, "status", {
    Queued => "QUEUED",
    Assigned => "ASSIGNED",
    WaitingOnContact => "WAITING_ON_CONTACT",
    Resolved => "RESOLVED",
    Merged => "MERGED",
});

/// The three clocks an SLA policy sets targets for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SlaTargetKind {
    /// From the case's opening to its first reply.
    FirstResponse,
    /// From the oldest unanswered contact message to the next reply.
    NextResponse,
    /// From the case's opening to its resolution.
    Resolution,
}

code_enum!(SlaTargetKind, "target", {
    FirstResponse => "FIRST_RESPONSE",
    NextResponse => "NEXT_RESPONSE",
    Resolution => "RESOLUTION",
});
