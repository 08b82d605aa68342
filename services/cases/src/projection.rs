//! The cases read models, built from the log: contacts and their handles, cases with
//! their queue position, SLA timer and timeline, replies, SLA outcomes, routing rules,
//! SLA policies and calendars.
//!
//! Every timestamp comes from the events (the payload's `at`, or the event's
//! `occurred_at` where the payload has none), so a rebuild reproduces every row. A case's
//! row is derived from the [`Case`](chorus_cases_domain::case::Case) aggregate itself,
//! folded event by event (kept in `case_states`): the domain decides the status, the
//! deadlines and the next SLA alert, the projection only writes them down. Case events
//! are folded in memory per batch and written set-based ([`case_batch`]); the other
//! aggregates' events are rare and applied in place.

mod case;
mod case_batch;
mod case_replies;
mod config;

use async_trait::async_trait;
use chorus_cases_domain::case::CaseEvent;
use chorus_kernel::projection::projection_error;
use chorus_kernel::{DbTx, RecordedEvent, StoreError};
use uuid::Uuid;

use case_batch::CaseBatch;

use crate::read::kept;

/// Projects every cases-context event into the read-model tables.
#[derive(Debug, Default)]
pub struct CasesProjection;

/// The tables [`CasesProjection`] owns (emptied on rebuild).
pub const CASES_TABLES: &[&str] = &[
    "contacts",
    "contact_handles",
    "cases",
    "case_states",
    "case_timeline",
    "case_replies",
    "case_sla_outcomes",
    "routing_rule_sets",
    "sla_policies",
    "business_calendars",
    "case_holder_reviews",
    "case_queues",
    "case_queue_members",
];

pub(crate) fn aggregate_uuid(event: &RecordedEvent) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&event.aggregate_id)
        .map_err(|_| StoreError::Metadata("aggregate id is not a uuid"))
}

pub(crate) fn int(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Metadata("number out of range"))
}

#[async_trait]
impl chorus_kernel::Projection for CasesProjection {
    fn name(&self) -> &'static str {
        "cases"
    }

    fn tables(&self) -> &'static [&'static str] {
        CASES_TABLES
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        self.apply_batch(tx, std::slice::from_ref(event)).await
    }

    async fn apply_batch(&self, tx: &mut DbTx, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let decoded = events
            .iter()
            .map(|event| match event.aggregate_type.as_str() {
                "case" => event
                    .decode::<CaseEvent>()
                    .map(Some)
                    .map_err(|e| projection_error(self.name(), event, e.into())),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut cases = CaseBatch::load(tx, events, &decoded).await?;
        for (event, case_event) in events.iter().zip(&decoded) {
            let applied = match (event.aggregate_type.as_str(), case_event) {
                (_, Some(case_event)) => cases.apply(event, case_event),
                ("contact", _) => {
                    // The organization's kept queue pages may show this contact.
                    kept::invalidate_kept(event.metadata.organization_id, event.position);
                    config::apply_contact(tx, event).await
                }
                ("routing_rules", _) => config::apply_routing_rules(tx, event).await,
                ("sla_policy", _) => config::apply_sla_policy(tx, event).await,
                ("business_calendar", _) => config::apply_calendar(tx, event).await,
                ("case_queue", _) => config::apply_queue(tx, event).await,
                // A teams event that may end someone's hold on cases.
                ("person", _) => crate::holders::note(tx, event).await,
                _ => Ok(()),
            };
            applied.map_err(|e| projection_error(self.name(), event, e))?;
        }
        // A batch of one names its event; a larger one is retried event by event by the
        // projector to find it.
        cases.write(tx).await.map_err(|e| match events {
            [only] => projection_error(self.name(), only, e),
            _ => e,
        })
    }
}
