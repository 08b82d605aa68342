use chorus_content_domain::LexiconMatch;
use chorus_teams_domain::values::RoleFunction;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::values::FirstMessage;
use super::{IntakeRecord, OutboundStatus, ReturnReason};
use crate::routing::RoutingDecision;
use crate::sla::{CalendarSnapshot, SlaAlert, SlaAlertLevel, SlaSnapshot};
use crate::values::Visibility;

/// Facts recorded by the [`Case`](super::Case) aggregate. Cases refer to their contact by
/// id only: the contact's personal data is in the contact's own events.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum CaseEvent {
    /// A case was opened and routed.
    CaseOpened {
        /// Id of the case.
        case_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// The contact who wrote.
        contact_id: Uuid,
        /// How it came in.
        intake: IntakeRecord,
        /// The contact's first message, if the intake carried one.
        message: Option<FirstMessage>,
        /// Where routing sent it and why (rule, version, matched term).
        routing: Box<RoutingDecision>,
        /// The SLA it is timed by.
        sla: Option<Box<SlaSnapshot>>,
        /// The earlier case this one follows up.
        follows: Option<Uuid>,
        /// How long after its resolution a contact message reopens it.
        reopen_window_minutes: u32,
        /// Who opened it.
        by: Uuid,
        /// The instant the case counts from (a channel message's reception).
        at: DateTime<Utc>,
    },
    /// The contact wrote again.
    ContactMessageReceived {
        /// The network's id for the message.
        external_message_id: Option<String>,
        /// What they wrote.
        text: String,
        /// Public or private.
        visibility: Visibility,
        /// Who recorded it.
        by: Uuid,
        /// When it was received.
        at: DateTime<Utc>,
    },
    /// A resolved case was reopened by a contact message within the window.
    CaseReopened {
        /// When.
        at: DateTime<Utc>,
    },
    /// A person took the case.
    CaseAssigned {
        /// The person.
        assignee: Uuid,
        /// The role assignment that qualifies them.
        assignment_id: Uuid,
        /// Who had it before, if anyone.
        previous: Option<Uuid>,
        /// Who assigned it.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case went back to its queue.
    CaseReturnedToQueue {
        /// Who had it.
        previous: Uuid,
        /// Why.
        reason: ReturnReason,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case was sent to another team or function, unassigned.
    CaseTransferred {
        /// Team before.
        from_team: Option<Uuid>,
        /// Team after.
        to_team: Option<Uuid>,
        /// Function before.
        from_function: RoleFunction,
        /// Function after.
        to_function: RoleFunction,
        /// Who had it, if anyone.
        previous: Option<Uuid>,
        /// Why.
        reason: String,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A reply was submitted for approval.
    ReplySubmitted {
        /// Id of the reply.
        reply_id: Uuid,
        /// What it says.
        text: String,
        /// Public or private.
        visibility: Visibility,
        /// The function whose holders may approve it.
        approver_function: RoleFunction,
        /// The lexicon's matches in the text.
        flags: Vec<LexiconMatch>,
        /// The responder.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A reply awaiting approval was approved.
    ReplyApproved {
        /// The reply.
        reply_id: Uuid,
        /// The approver.
        by: Uuid,
        /// The approver's role assignment that allowed it.
        assignment_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A reply awaiting approval was refused.
    ReplyRejected {
        /// The reply.
        reply_id: Uuid,
        /// Why.
        note: String,
        /// The approver.
        by: Uuid,
        /// The approver's role assignment that allowed it.
        assignment_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The responder took back a reply awaiting approval.
    ReplyWithdrawn {
        /// The reply.
        reply_id: Uuid,
        /// The responder.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A reply was sent: it is an outbound message, queued for an integration.
    ReplySent {
        /// The reply.
        reply_id: Uuid,
        /// What it says.
        text: String,
        /// Public or private.
        visibility: Visibility,
        /// The responder.
        responder: Uuid,
        /// Who approved it, if it needed approval.
        approved_by: Option<Uuid>,
        /// Whether the responder replied under delegated authority.
        delegated: bool,
        /// The lexicon's matches in the text.
        flags: Vec<LexiconMatch>,
        /// When.
        at: DateTime<Utc>,
    },
    /// An integration reported where a sent reply is.
    OutboundStatusRecorded {
        /// The reply.
        reply_id: Uuid,
        /// Its status.
        status: OutboundStatus,
        /// The network's id for the sent message.
        network_message_id: Option<String>,
        /// What went wrong.
        detail: Option<String>,
        /// The integration.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case waits on the contact; its clocks are paused.
    CaseAwaitingContact {
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case was escalated.
    CaseEscalated {
        /// The function escalated to.
        to: RoleFunction,
        /// Why (a person's reason, or the routing rule's name).
        reason: String,
        /// Who (the system when a routing rule escalates).
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case was resolved.
    CaseResolved {
        /// How.
        code: String,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case was merged into another.
    CaseMerged {
        /// The case that absorbed it.
        target: Uuid,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A duplicate case was merged into this one.
    DuplicateAbsorbed {
        /// The merged case.
        duplicate: Uuid,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// An SLA target's warning lead was reached (recorded once per cycle).
    SlaWarningRecorded {
        /// Which target, cycle and deadline.
        alert: SlaAlert,
        /// The timer's instant.
        at: DateTime<Utc>,
    },
    /// An SLA target was breached (recorded once per cycle).
    SlaBreachRecorded {
        /// Which target, cycle and deadline.
        alert: SlaAlert,
        /// The timer's instant.
        at: DateTime<Utc>,
    },
    /// The case's calendar changed; only the remaining time is counted under the new one.
    SlaRecounted {
        /// The calendar's new version.
        calendar: CalendarSnapshot,
        /// When.
        at: DateTime<Utc>,
    },
}

chorus_shared::domain_event!(CaseEvent);

impl CaseEvent {
    /// The event recording `alert`.
    pub(crate) fn for_alert(alert: SlaAlert, at: DateTime<Utc>) -> Self {
        match alert.level {
            SlaAlertLevel::Warning => Self::SlaWarningRecorded { alert, at },
            SlaAlertLevel::Breach => Self::SlaBreachRecorded { alert, at },
        }
    }
}
