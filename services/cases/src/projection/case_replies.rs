//! The `case_replies` rows of a batch: loaded once for the replies its events name,
//! changed in memory event by event, written with one upsert per chunk.

use std::collections::HashMap;

use chorus_cases_domain::case::CaseEvent;
use chorus_kernel::sql::MAX_BINDS;
use chorus_kernel::{on_tx, per_chunk, DbTx, StoreError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A `case_replies` row, every column.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct ReplyRow {
    id: Uuid,
    case_id: Uuid,
    organization_id: Uuid,
    responder_id: Uuid,
    text: String,
    visibility: String,
    status: String,
    approver_function: Option<String>,
    decided_by: Option<Uuid>,
    decision_note: Option<String>,
    delegated: bool,
    outbound_status: Option<String>,
    network_message_id: Option<String>,
    outbound_detail: Option<String>,
    flags: String,
    submitted_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, case_id, organization_id, responder_id, text, visibility, status, \
    approver_function, decided_by, decision_note, delegated, outbound_status, \
    network_message_id, outbound_detail, flags, submitted_at, sent_at, updated_at";

/// The replies a batch touches, in order of first change.
#[derive(Default)]
pub(super) struct Replies {
    /// Each row, and whether the batch changed it.
    rows: HashMap<Uuid, (ReplyRow, bool)>,
    changed: Vec<Uuid>,
}

/// The reply an event changes, unless it creates it.
fn changes(event: &CaseEvent) -> Option<Uuid> {
    match event {
        CaseEvent::ReplySent { reply_id, .. }
        | CaseEvent::ReplyRejected { reply_id, .. }
        | CaseEvent::ReplyWithdrawn { reply_id, .. }
        | CaseEvent::OutboundStatusRecorded { reply_id, .. } => Some(*reply_id),
        _ => None,
    }
}

impl Replies {
    /// Loads the stored replies that `events` change.
    pub(super) async fn load<'a>(
        tx: &mut DbTx,
        events: impl Iterator<Item = &'a CaseEvent>,
    ) -> Result<Self, StoreError> {
        let mut ids: Vec<Uuid> = events.filter_map(changes).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut rows = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_BINDS) {
            let stored: Vec<ReplyRow> = on_tx!(tx, c => {
                let mut query =
                    sqlx::QueryBuilder::new(format!("SELECT {COLUMNS} FROM case_replies WHERE id IN ("));
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(&mut *c).await?
            });
            rows.extend(stored.into_iter().map(|row| (row.id, (row, false))));
        }
        Ok(Self {
            rows,
            changed: Vec::new(),
        })
    }

    fn touch(&mut self, id: Uuid) -> Option<&mut ReplyRow> {
        let (row, changed) = self.rows.get_mut(&id)?;
        if !*changed {
            *changed = true;
            self.changed.push(id);
        }
        Some(row)
    }

    fn create(&mut self, row: ReplyRow) {
        let id = row.id;
        if let Some((_, true)) = self.rows.insert(id, (row, true)) {
            return;
        }
        self.changed.push(id);
    }

    /// Applies a case event of `case_id` in `org` at `at` to the replies it names.
    pub(super) fn apply(
        &mut self,
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
            } => self.create(ReplyRow {
                id: *reply_id,
                case_id,
                organization_id: org,
                responder_id: *by,
                text: text.clone(),
                visibility: visibility.as_str().to_owned(),
                status: "PENDING".to_owned(),
                approver_function: Some(approver_function.as_str().to_owned()),
                decided_by: None,
                decision_note: None,
                delegated: false,
                outbound_status: None,
                network_message_id: None,
                outbound_detail: None,
                flags: serde_json::to_string(flags)?,
                submitted_at: at,
                sent_at: None,
                updated_at: at,
            }),
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
                if let Some(row) = self.touch(*reply_id) {
                    // Approved after submission: the submitted row is sent.
                    row.status = "SENT".to_owned();
                    row.decided_by = *approved_by;
                    row.outbound_status = Some("QUEUED".to_owned());
                    row.sent_at = Some(at);
                    row.updated_at = at;
                } else {
                    self.create(ReplyRow {
                        id: *reply_id,
                        case_id,
                        organization_id: org,
                        responder_id: *responder,
                        text: text.clone(),
                        visibility: visibility.as_str().to_owned(),
                        status: "SENT".to_owned(),
                        approver_function: None,
                        decided_by: *approved_by,
                        decision_note: None,
                        delegated: *delegated,
                        outbound_status: Some("QUEUED".to_owned()),
                        network_message_id: None,
                        outbound_detail: None,
                        flags: serde_json::to_string(flags)?,
                        submitted_at: at,
                        sent_at: Some(at),
                        updated_at: at,
                    });
                }
            }
            CaseEvent::ReplyRejected {
                reply_id, note, by, ..
            } => {
                if let Some(row) = self.touch(*reply_id) {
                    row.status = "REJECTED".to_owned();
                    row.decided_by = Some(*by);
                    row.decision_note = Some(note.clone());
                    row.updated_at = at;
                }
            }
            CaseEvent::ReplyWithdrawn { reply_id, .. } => {
                if let Some(row) = self.touch(*reply_id) {
                    row.status = "WITHDRAWN".to_owned();
                    row.updated_at = at;
                }
            }
            CaseEvent::OutboundStatusRecorded {
                reply_id,
                status,
                network_message_id,
                detail,
                ..
            } => {
                if let Some(row) = self.touch(*reply_id) {
                    row.outbound_status = Some(status.as_str().to_owned());
                    if network_message_id.is_some() {
                        row.network_message_id.clone_from(network_message_id);
                    }
                    row.outbound_detail.clone_from(detail);
                    row.updated_at = at;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes every reply the batch changed.
    pub(super) async fn write(self, tx: &mut DbTx) -> Result<(), StoreError> {
        let rows: Vec<&ReplyRow> = self
            .changed
            .iter()
            .filter_map(|id| self.rows.get(id).map(|(row, _)| row))
            .collect();
        per_chunk!(tx, rows, 18, |q, chunk| {
            q.push(format!("INSERT INTO case_replies ({COLUMNS}) "));
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.id)
                    .push_bind(r.case_id)
                    .push_bind(r.organization_id)
                    .push_bind(r.responder_id)
                    .push_bind(&r.text)
                    .push_bind(&r.visibility)
                    .push_bind(&r.status)
                    .push_bind(&r.approver_function)
                    .push_bind(r.decided_by)
                    .push_bind(&r.decision_note)
                    .push_bind(r.delegated)
                    .push_bind(&r.outbound_status)
                    .push_bind(&r.network_message_id)
                    .push_bind(&r.outbound_detail)
                    .push_bind(&r.flags)
                    .push_bind(r.submitted_at)
                    .push_bind(r.sent_at)
                    .push_bind(r.updated_at);
            });
            q.push(
                " ON CONFLICT (id) DO UPDATE SET status = excluded.status, \
                 decided_by = excluded.decided_by, decision_note = excluded.decision_note, \
                 outbound_status = excluded.outbound_status, \
                 network_message_id = excluded.network_message_id, \
                 outbound_detail = excluded.outbound_detail, sent_at = excluded.sent_at, \
                 updated_at = excluded.updated_at",
            );
        });
        Ok(())
    }
}
