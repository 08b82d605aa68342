use chorus_content_domain::{HeldRole, LexiconMatch};
use chorus_teams_domain::values::RoleFunction;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Intake, OutboundStatus, ReturnReason};
use crate::routing::RoutingDecision;
use crate::sla::{CalendarSnapshot, SlaSnapshot};
use crate::values::{ExternalMessageId, MessageText, Reason, ResolutionCode, Visibility};

/// Commands accepted by the [`Case`](super::Case) aggregate. Each carries its instant
/// (`at`): the application layer reads the clock, the domain never does.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseCommand {
    /// Open a case. The application derives the case id from the intake's key (channel
    /// and message id, or system and external id), so a second delivery of the same
    /// intake reaches the same case and records nothing.
    OpenCase {
        /// Id of the case.
        case_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// The contact who wrote.
        contact_id: Uuid,
        /// How it came in.
        intake: Intake,
        /// Where routing sent it, and why.
        routing: Box<RoutingDecision>,
        /// The SLA the case is timed by, if its policy sets targets for its priority.
        sla: Option<Box<SlaSnapshot>>,
        /// The earlier case this one follows up (a message after the reopen window).
        follows: Option<Uuid>,
        /// How long after its resolution a new contact message reopens the case.
        reopen_window_minutes: u32,
        /// Who opened it (a person, a service token, or the system).
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Record a further message from the contact: it resumes the clocks of a case waiting
    /// on the contact, and reopens a resolved case within the reopen window.
    ReceiveContactMessage {
        /// The network's id for the message; a second delivery records nothing.
        external_message_id: Option<ExternalMessageId>,
        /// What the contact wrote.
        text: MessageText,
        /// Public or private.
        visibility: Visibility,
        /// Who recorded it.
        by: Uuid,
        /// When it was received.
        at: DateTime<Utc>,
    },
    /// Give the case to a person holding its routed function in its scope.
    AssignCase {
        /// The person.
        assignee: Uuid,
        /// The roles the person holds at `at` whose scope covers the case.
        assignee_roles: Vec<HeldRole>,
        /// Who assigned it (the assignee, a manager, or the system's queue).
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Put the case back in its team's queue.
    ReturnToQueue {
        /// Why.
        reason: ReturnReason,
        /// Who (the system when the holder was offboarded or lost the role).
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Send the case to another team or function; it goes to that queue, unassigned.
    TransferCase {
        /// The team whose queue takes it (`None`: the organization's).
        team_id: Option<Uuid>,
        /// The function that works it there.
        function: RoleFunction,
        /// Why.
        reason: Reason,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Answer the contact. The reply is submitted for approval instead of sent when
    /// the case's routing rule asks for a reply approver (or, when it names none, the
    /// team's queue does: `team_reply_approver`) and the responder has no delegated
    /// authority, and whenever the lexicon flags it (see [`Case::reply_approver`]).
    ReplyToContact {
        /// Id of the reply.
        reply_id: Uuid,
        /// What it says.
        text: MessageText,
        /// Public or private.
        visibility: Visibility,
        /// The responder.
        by: Uuid,
        /// The roles the responder holds at `at` whose scope covers the case.
        responder_roles: Vec<HeldRole>,
        /// Whether the responder replies under delegated authority (a manager), which
        /// needs no approval for an unflagged reply; the application decides it from the
        /// roles and [`Case::configured_reply_approver`].
        delegated: bool,
        /// The reply approver the case's team queue configures, if any (the routing
        /// rule's wins when it names one).
        team_reply_approver: Option<RoleFunction>,
        /// The organization's lexicon's matches in the text.
        flags: Vec<LexiconMatch>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Approve a reply awaiting approval; it is then sent.
    ApproveReply {
        /// The reply.
        reply_id: Uuid,
        /// The approver (never the responder).
        by: Uuid,
        /// The roles the approver holds at `at` whose scope covers the case.
        approver_roles: Vec<HeldRole>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Refuse a reply awaiting approval, with a note for the responder.
    RejectReply {
        /// The reply.
        reply_id: Uuid,
        /// Why.
        note: Reason,
        /// The approver (never the responder).
        by: Uuid,
        /// The roles the approver holds at `at` whose scope covers the case.
        approver_roles: Vec<HeldRole>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The responder takes back a reply awaiting approval.
    WithdrawReply {
        /// The reply.
        reply_id: Uuid,
        /// The responder.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Record where a sent reply is on its way to the network.
    RecordOutboundStatus {
        /// The reply.
        reply_id: Uuid,
        /// Sent or failed.
        status: OutboundStatus,
        /// The network's id for the sent message.
        network_message_id: Option<ExternalMessageId>,
        /// What went wrong, when it failed.
        detail: Option<Reason>,
        /// The integration.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The case waits on the contact; its SLA clocks pause until they write.
    WaitOnContact {
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Escalate to PR, LEGAL or SENIOR_MANAGEMENT.
    EscalateCase {
        /// The function escalated to.
        to: RoleFunction,
        /// Why.
        reason: Reason,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Close the case with a resolution code.
    ResolveCase {
        /// How it was resolved.
        code: ResolutionCode,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// This case duplicates another: it closes, pointing at the other.
    MergeInto {
        /// The case that absorbs this one.
        target: Uuid,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Another case was merged into this one.
    AbsorbDuplicate {
        /// The merged case.
        duplicate: Uuid,
        /// Who.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Record the SLA warnings and breaches due at `now` that are not yet recorded
    /// (the leading process's timer); records nothing when none is due.
    RecordSlaAlerts {
        /// The timer's instant.
        now: DateTime<Utc>,
    },
    /// The case's business-hours calendar changed: its clocks keep the business time
    /// consumed so far and count only what remains under the new calendar.
    RecountSla {
        /// The calendar's new version.
        calendar: CalendarSnapshot,
        /// When the edit took effect.
        at: DateTime<Utc>,
    },
}
