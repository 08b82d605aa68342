//! A case's rows: `cases` (derived from the folded aggregate), `case_states`,
//! `case_timeline`, `case_replies` and `case_sla_outcomes`.

use chorus_cases_domain::case::{Case, CaseEvent, IntakeRecord};
use chorus_cases_domain::values::{CaseStatus, SlaTargetKind};
use chorus_kernel::{on_tx, DbTx, RecordedEvent, StoreError};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use uuid::Uuid;

use super::{aggregate_uuid, int};
use crate::read::cases::no_deadline;

/// Applies one case event: folds it into the stored state, then writes what it changed.
pub(super) async fn apply(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let case_id = aggregate_uuid(event)?;
    let decoded: CaseEvent = event.decode()?;
    let mut case = load_state(tx, case_id).await?;
    let outcomes_before = case.sla().map_or(0, |sla| sla.outcomes().len());
    case.apply(decoded.clone());
    let org = case
        .organization_id()
        .ok_or(StoreError::Metadata("a case event before CaseOpened"))?;
    let at = event_at(&decoded).unwrap_or(event.metadata.occurred_at);
    save_state(tx, case_id, org, &case).await?;
    if let CaseEvent::CaseOpened { .. } = &decoded {
        insert_case(tx, event, &decoded, &case).await?;
    } else {
        update_case(tx, event, &decoded, &case, at).await?;
    }
    timeline(tx, event, &decoded, case_id, org, at).await?;
    reply_rows(tx, &decoded, case_id, org, at).await?;
    if let (CaseEvent::CaseAssigned { assignee, .. }, Some(team)) = (&decoded, case.team_id()) {
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO case_queue_members (team_id, person_id, last_assigned_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (team_id, person_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at",
            )
            .bind(team)
            .bind(assignee)
            .bind(at)
            .execute(&mut *c)
            .await?;
        });
    }
    outcome_rows(tx, &case, case_id, org, outcomes_before).await?;
    Ok(())
}

/// The instant an event happened, from its payload.
fn event_at(event: &CaseEvent) -> Option<DateTime<Utc>> {
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

async fn load_state(tx: &mut DbTx, case_id: Uuid) -> Result<Case, StoreError> {
    let state: Option<(String,)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT state FROM case_states WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *c)
            .await?
    });
    Ok(match state {
        Some((json,)) => serde_json::from_str(&json)?,
        None => Case::default(),
    })
}

async fn save_state(
    tx: &mut DbTx,
    case_id: Uuid,
    org: Uuid,
    case: &Case,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(case)?;
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO case_states (case_id, organization_id, state) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
        )
        .bind(case_id)
        .bind(org)
        .bind(&json)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
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

async fn insert_case(
    tx: &mut DbTx,
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case: &Case,
) -> Result<(), StoreError> {
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
        return Ok(());
    };
    let d = derived(case, *organization_id)?;
    let (system, external_id) = match intake {
        IntakeRecord::External {
            system,
            external_case_id,
        } => (Some(system.as_str()), Some(external_case_id.as_str())),
        _ => (None, None),
    };
    let routing_json = serde_json::to_string(routing)?;
    let sla_policy = sla.as_ref().map(|s| s.policy_id);
    let sla_version = sla.as_ref().map(|s| int(s.version)).transpose()?;
    let sla_calendar = sla
        .as_ref()
        .and_then(|s| s.calendar.as_ref().map(|c| c.calendar_id));
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO cases (id, organization_id, contact_id, door, channel_id, external_system, \
             external_case_id, team_id, queue_team_key, function, status, is_open, priority, category, \
             assignee_id, handled_privately, escalated_to, routing, sla_policy_id, sla_policy_version, \
             sla_calendar_id, queue_deadline, next_deadline_kind, next_timer, breached, follows_case_id, \
             merged_into, resolution_code, first_text, opened_at, first_response_at, resolved_at, \
             updated_at, last_sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
             $14, NULL, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, NULL, NULL, $26, $27, \
             NULL, NULL, $27, $28)",
        )
        .bind(case_id)
        .bind(organization_id)
        .bind(contact_id)
        .bind(intake.door().as_str())
        .bind(intake.channel_id())
        .bind(system)
        .bind(external_id)
        .bind(case.team_id())
        .bind(d.queue_team_key)
        .bind(routing.function.as_str())
        .bind(d.status)
        .bind(d.is_open)
        .bind(routing.priority.as_str())
        .bind(routing.category.as_str())
        .bind(routing.handle_privately)
        .bind(&d.escalated_to)
        .bind(&routing_json)
        .bind(sla_policy)
        .bind(sla_version)
        .bind(sla_calendar)
        .bind(d.queue_deadline)
        .bind(d.next_deadline_kind)
        .bind(d.next_timer)
        .bind(d.breached)
        .bind(follows)
        .bind(message.as_ref().map(|m| m.text.as_str()))
        .bind(at)
        .bind(event.sequence)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

async fn update_case(
    tx: &mut DbTx,
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case: &Case,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let org = case.organization_id().unwrap_or_default();
    let d = derived(case, org)?;
    let resolution = match decoded {
        CaseEvent::CaseResolved { code, .. } => Some(code.as_str()),
        _ => None,
    };
    let resolved_at = match decoded {
        CaseEvent::CaseResolved { at, .. } | CaseEvent::CaseMerged { at, .. } => Some(*at),
        _ => None,
    };
    let reopened = matches!(decoded, CaseEvent::CaseReopened { .. });
    let responded = match decoded {
        CaseEvent::ReplySent { at, .. } => Some(*at),
        _ => None,
    };
    let calendar = case
        .sla()
        .and_then(|sla| sla.snapshot().calendar.as_ref().map(|c| c.calendar_id));
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE cases SET team_id = $1, queue_team_key = $2, function = $3, status = $4, \
             is_open = $5, assignee_id = $6, escalated_to = $7, queue_deadline = $8, \
             next_deadline_kind = $9, next_timer = $10, breached = $11, merged_into = $12, \
             first_response_at = COALESCE(first_response_at, $13), sla_calendar_id = $14, \
             resolution_code = CASE WHEN $15 THEN NULL ELSE COALESCE($16, resolution_code) END, \
             resolved_at = CASE WHEN $15 THEN NULL ELSE COALESCE($17, resolved_at) END, \
             updated_at = $18, last_sequence = $19 WHERE id = $20",
        )
        .bind(case.team_id())
        .bind(d.queue_team_key)
        .bind(case.function().map(|f| f.as_str()))
        .bind(d.status)
        .bind(d.is_open)
        .bind(case.assignee())
        .bind(&d.escalated_to)
        .bind(d.queue_deadline)
        .bind(d.next_deadline_kind)
        .bind(d.next_timer)
        .bind(d.breached)
        .bind(case.merged_into())
        .bind(responded)
        .bind(calendar)
        .bind(reopened)
        .bind(resolution)
        .bind(resolved_at)
        .bind(at)
        .bind(event.sequence)
        .bind(case.case_id())
        .execute(&mut *c)
        .await?;
    });
    Ok(())
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

async fn timeline(
    tx: &mut DbTx,
    event: &RecordedEvent,
    decoded: &CaseEvent,
    case_id: Uuid,
    org: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let details = details(event);
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO case_timeline (case_id, sequence, organization_id, kind, actor_id, at, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case_id)
        .bind(event.sequence)
        .bind(org)
        .bind(event.event_type.as_str())
        .bind(actor(decoded))
        .bind(at)
        .bind(&details)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

async fn reply_rows(
    tx: &mut DbTx,
    event: &CaseEvent,
    case_id: Uuid,
    org: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    match event {
        CaseEvent::ReplySubmitted {
            reply_id,
            text,
            visibility,
            approver_function,
            flags,
            by,
            ..
        } => {
            let flags = serde_json::to_string(flags)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO case_replies (id, case_id, organization_id, responder_id, text, visibility, \
                     status, approver_function, delegated, flags, submitted_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, FALSE, $8, $9, $9)",
                )
                .bind(reply_id).bind(case_id).bind(org).bind(by).bind(text)
                .bind(visibility.as_str()).bind(approver_function.as_str()).bind(&flags).bind(at)
                .execute(&mut *c).await?;
            });
        }
        CaseEvent::ReplySent {
            reply_id,
            text,
            visibility,
            responder,
            approved_by,
            delegated,
            flags,
            ..
        } => {
            let flags = serde_json::to_string(flags)?;
            on_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO case_replies (id, case_id, organization_id, responder_id, text, visibility, \
                     status, decided_by, delegated, outbound_status, flags, submitted_at, sent_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'SENT', $7, $8, 'QUEUED', $9, $10, $10, $10) \
                     ON CONFLICT (id) DO UPDATE SET status = 'SENT', decided_by = excluded.decided_by, \
                     outbound_status = 'QUEUED', sent_at = excluded.sent_at, updated_at = excluded.updated_at",
                )
                .bind(reply_id).bind(case_id).bind(org).bind(responder).bind(text)
                .bind(visibility.as_str()).bind(approved_by).bind(delegated).bind(&flags).bind(at)
                .execute(&mut *c).await?;
            });
        }
        CaseEvent::ReplyRejected {
            reply_id, note, by, ..
        } => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE case_replies SET status = 'REJECTED', decided_by = $1, decision_note = $2, \
                 updated_at = $3 WHERE id = $4",
            )
            .bind(by).bind(note).bind(at).bind(reply_id)
            .execute(&mut *c).await?;
        }),
        CaseEvent::ReplyWithdrawn { reply_id, .. } => on_tx!(tx, c => {
            sqlx::query("UPDATE case_replies SET status = 'WITHDRAWN', updated_at = $1 WHERE id = $2")
                .bind(at).bind(reply_id)
                .execute(&mut *c).await?;
        }),
        CaseEvent::OutboundStatusRecorded {
            reply_id,
            status,
            network_message_id,
            detail,
            ..
        } => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE case_replies SET outbound_status = $1, \
                 network_message_id = COALESCE($2, network_message_id), outbound_detail = $3, \
                 updated_at = $4 WHERE id = $5",
            )
            .bind(status.as_str()).bind(network_message_id).bind(detail).bind(at).bind(reply_id)
            .execute(&mut *c).await?;
        }),
        _ => {}
    }
    Ok(())
}

/// Writes the SLA outcomes the event added (a clock stopped: met or breached).
async fn outcome_rows(
    tx: &mut DbTx,
    case: &Case,
    case_id: Uuid,
    org: Uuid,
    before: usize,
) -> Result<(), StoreError> {
    let Some(sla) = case.sla() else {
        return Ok(());
    };
    for outcome in sla.outcomes().iter().skip(before) {
        let deadline = None::<DateTime<Utc>>;
        let millis = outcome.business_time().num_seconds();
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO case_sla_outcomes (case_id, kind, cycle, organization_id, team_id, \
                 assignee_id, met, business_seconds, deadline, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (case_id, kind, cycle) DO NOTHING",
            )
            .bind(case_id)
            .bind(outcome.kind.as_str())
            .bind(i64::from(outcome.cycle))
            .bind(org)
            .bind(case.team_id())
            .bind(case.assignee())
            .bind(outcome.met)
            .bind(millis)
            .bind(deadline)
            .bind(outcome.stopped_at)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}
