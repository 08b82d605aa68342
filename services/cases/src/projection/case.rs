//! What one case event changes in a case's rows, computed in memory: the `cases` row
//! (derived from the folded aggregate), its `case_timeline` entry, its `case_replies`
//! rows and the SLA outcomes it adds. [`super::case_batch`] folds a batch of events
//! through these functions and writes the rows set-based at the batch's end; the rows
//! are the same wherever a batch starts or ends.

use chorus_cases_domain::case::{Case, CaseEvent, IntakeRecord};
use chorus_cases_domain::values::{CaseStatus, SlaTargetKind};
use chorus_kernel::{RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::int;
use crate::read::cases::{no_deadline, CaseRow};

/// The instant an event happened, from its payload.
pub(super) fn event_at(event: &CaseEvent) -> Option<DateTime<Utc>> {
    Some(match event {
        CaseEvent::CaseOpened { at, .. }
        | CaseEvent::ContactMessageReceived { at, .. }
        | CaseEvent::CaseReopened { at }
        | CaseEvent::CaseAssigned { at, .. }
        | CaseEvent::CaseReturnedToQueue { at, .. }
        | CaseEvent::CaseTransferred { at, .. }
        | CaseEvent::ReplySubmitted { at, .. }
        | CaseEvent::ReplyApproved { at, .. }
        | CaseEvent::ReplyRejected { at, .. }
        | CaseEvent::ReplyWithdrawn { at, .. }
        | CaseEvent::ReplySent { at, .. }
        | CaseEvent::OutboundStatusRecorded { at, .. }
        | CaseEvent::CaseAwaitingContact { at, .. }
        | CaseEvent::CaseEscalated { at, .. }
        | CaseEvent::CaseResolved { at, .. }
        | CaseEvent::CaseMerged { at, .. }
        | CaseEvent::DuplicateAbsorbed { at, .. }
        | CaseEvent::SlaWarningRecorded { at, .. }
        | CaseEvent::SlaBreachRecorded { at, .. }
        | CaseEvent::SlaRecounted { at, .. } => *at,
    })
}

/// Who did it, when the event names a person or account.
fn actor(event: &CaseEvent) -> Option<Uuid> {
    match event {
        CaseEvent::CaseOpened { by, .. }
        | CaseEvent::ContactMessageReceived { by, .. }
        | CaseEvent::CaseAssigned { by, .. }
        | CaseEvent::CaseReturnedToQueue { by, .. }
        | CaseEvent::CaseTransferred { by, .. }
        | CaseEvent::ReplySubmitted { by, .. }
        | CaseEvent::ReplyApproved { by, .. }
        | CaseEvent::ReplyRejected { by, .. }
        | CaseEvent::ReplyWithdrawn { by, .. }
        | CaseEvent::OutboundStatusRecorded { by, .. }
        | CaseEvent::CaseAwaitingContact { by, .. }
        | CaseEvent::CaseEscalated { by, .. }
        | CaseEvent::CaseResolved { by, .. }
        | CaseEvent::CaseMerged { by, .. }
        | CaseEvent::DuplicateAbsorbed { by, .. } => Some(*by),
        CaseEvent::ReplySent { responder, .. } => Some(*responder),
        CaseEvent::CaseReopened { .. }
        | CaseEvent::SlaWarningRecorded { .. }
        | CaseEvent::SlaBreachRecorded { .. }
        | CaseEvent::SlaRecounted { .. } => None,
    }
}

/// What the queue and the SLA timer read off the folded case.
struct Derived {
    status: &'static str,
    is_open: bool,
    queue_team_key: Uuid,
    escalated_to: String,
    queue_deadline: DateTime<Utc>,
    next_deadline_kind: Option<&'static str>,
    next_timer: Option<DateTime<Utc>>,
    breached: bool,
}

fn derived(case: &Case, org: Uuid) -> Result<Derived, StoreError> {
    let status = case.status().unwrap_or(CaseStatus::Queued);
    let is_open = !matches!(status, CaseStatus::Resolved | CaseStatus::Merged);
    let sla = case.sla();
    let next = sla.and_then(|sla| {
        SlaTargetKind::ALL
            .iter()
            .filter_map(|kind| sla.deadline(*kind).map(|at| (at, *kind)))
            .min()
    });
    let breached = sla.is_some_and(|sla| {
        SlaTargetKind::ALL
            .iter()
            .any(|kind| sla.clock(*kind).is_some_and(|clock| clock.breached()))
    });
    Ok(Derived {
        status: status.as_str(),
        is_open,
        queue_team_key: case.team_id().unwrap_or(org),
        escalated_to: serde_json::to_string(
            &case
                .escalated_to()
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>(),
        )?,
        queue_deadline: next.map_or_else(no_deadline, |(at, _)| at),
        next_deadline_kind: next.map(|(_, kind)| kind.as_str()),
        next_timer: if is_open {
            sla.and_then(|sla| sla.next_timer())
        } else {
            None
        },
        breached,
    })
}

/// The event's fields as JSON (the variant's object).
fn details(event: &RecordedEvent) -> String {
    event
        .payload
        .as_object()
        .and_then(|variant| variant.values().next())
        .map(|value| value.to_string())
        .unwrap_or_else(|| "null".to_owned())
}

/// The row a `CaseOpened` event creates, `case` being folded through it.
pub(super) fn opened_row(
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case: &Case,
) -> Result<Option<CaseRow>, StoreError> {
    let CaseEvent::CaseOpened {
        case_id,
        organization_id,
        contact_id,
        intake,
        message,
        routing,
        sla,
        follows,
        at,
        ..
    } = decoded
    else {
        return Ok(None);
    };
    let d = derived(case, *organization_id)?;
    let (external_system, external_case_id) = match intake {
        IntakeRecord::External {
            system,
            external_case_id,
        } => (Some(system.to_string()), Some(external_case_id.to_string())),
        _ => (None, None),
    };
    Ok(Some(CaseRow {
        id: *case_id,
        organization_id: *organization_id,
        contact_id: *contact_id,
        door: intake.door().as_str().to_owned(),
        channel_id: intake.channel_id(),
        external_system,
        external_case_id,
        team_id: case.team_id(),
        queue_team_key: d.queue_team_key,
        function: routing.function.as_str().to_owned(),
        status: d.status.to_owned(),
        is_open: d.is_open,
        priority: routing.priority.as_str().to_owned(),
        category: routing.category.as_str().to_owned(),
        assignee_id: None,
        handled_privately: routing.handle_privately,
        escalated_to: d.escalated_to,
        routing: serde_json::to_string(routing)?,
        sla_policy_id: sla.as_ref().map(|s| s.policy_id),
        sla_policy_version: sla.as_ref().map(|s| int(s.version)).transpose()?,
        sla_calendar_id: sla
            .as_ref()
            .and_then(|s| s.calendar.as_ref().map(|c| c.calendar_id)),
        queue_deadline: d.queue_deadline,
        next_deadline_kind: d.next_deadline_kind.map(str::to_owned),
        next_timer: d.next_timer,
        breached: d.breached,
        follows_case_id: *follows,
        merged_into: None,
        resolution_code: None,
        first_text: message.as_ref().map(|m| m.text.to_string()),
        opened_at: *at,
        first_response_at: None,
        resolved_at: None,
        updated_at: *at,
        last_sequence: event.sequence,
    }))
}

/// Brings `row` up to date with a later event, `case` being folded through it.
pub(super) fn update_row(
    row: &mut CaseRow,
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case: &Case,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let d = derived(case, row.organization_id)?;
    row.team_id = case.team_id();
    row.queue_team_key = d.queue_team_key;
    row.function = case
        .function()
        .ok_or(StoreError::Metadata("a case without a function"))?
        .as_str()
        .to_owned();
    row.status = d.status.to_owned();
    row.is_open = d.is_open;
    row.assignee_id = case.assignee();
    row.escalated_to = d.escalated_to;
    row.queue_deadline = d.queue_deadline;
    row.next_deadline_kind = d.next_deadline_kind.map(str::to_owned);
    row.next_timer = d.next_timer;
    row.breached = d.breached;
    row.merged_into = case.merged_into();
    if let CaseEvent::ReplySent { at, .. } = decoded {
        row.first_response_at = row.first_response_at.or(Some(*at));
    }
    row.sla_calendar_id = case
        .sla()
        .and_then(|sla| sla.snapshot().calendar.as_ref().map(|c| c.calendar_id));
    match decoded {
        CaseEvent::CaseReopened { .. } => {
            row.resolution_code = None;
            row.resolved_at = None;
        }
        CaseEvent::CaseResolved { code, at, .. } => {
            row.resolution_code = Some(code.as_str().to_owned());
            row.resolved_at = Some(*at);
        }
        CaseEvent::CaseMerged { at, .. } => row.resolved_at = Some(*at),
        _ => {}
    }
    row.updated_at = at;
    row.last_sequence = event.sequence;
    Ok(())
}

/// A `case_timeline` row.
pub(super) struct TimelineRow {
    pub case_id: Uuid,
    pub sequence: i64,
    pub organization_id: Uuid,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub details: String,
}

/// The timeline entry of an event.
pub(super) fn timeline_row(
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case_id: Uuid,
    org: Uuid,
    at: DateTime<Utc>,
) -> TimelineRow {
    TimelineRow {
        case_id,
        sequence: event.sequence,
        organization_id: org,
        kind: event.event_type.clone(),
        actor_id: actor(decoded),
        at,
        details: details(event),
    }
}

/// A `case_sla_outcomes` row: an SLA clock stopped, met or breached.
pub(super) struct OutcomeRow {
    pub case_id: Uuid,
    pub kind: &'static str,
    pub cycle: i64,
    pub organization_id: Uuid,
    pub team_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub met: bool,
    pub business_seconds: i64,
    pub at: DateTime<Utc>,
}

/// The SLA outcomes the event added to `case` (it had `before` of them).
pub(super) fn outcome_rows(
    case: &Case,
    case_id: Uuid,
    org: Uuid,
    before: usize,
) -> Vec<OutcomeRow> {
    let Some(sla) = case.sla() else {
        return Vec::new();
    };
    sla.outcomes()
        .iter()
        .skip(before)
        .map(|outcome| OutcomeRow {
            case_id,
            kind: outcome.kind.as_str(),
            cycle: i64::from(outcome.cycle),
            organization_id: org,
            team_id: case.team_id(),
            assignee_id: case.assignee(),
            met: outcome.met,
            business_seconds: outcome.business_time().num_seconds(),
            at: outcome.stopped_at,
        })
        .collect()
}
