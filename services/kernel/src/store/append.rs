//! Appending: a command's events and its idempotency record in one transaction, with
//! optimistic concurrency on the aggregate's sequence.

use super::group::AppendRequest;
use super::{CommandOutcome, EventStore, Idempotent};
use crate::db::{Backend, DbTx};
use crate::error::StoreError;
use crate::event::{LogPosition, NewEvent};
use crate::metadata::CommandContext;
use crate::on_tx;

impl EventStore {
    /// Appends `events` after `expected_sequence` of the aggregate, in one transaction with
    /// the idempotency record. A concurrent writer that got there first yields `Conflict`.
    /// Appends that arrive together share one transaction and one commit ([`super::group`]).
    pub async fn append(
        &self,
        ctx: &CommandContext,
        aggregate_type: &str,
        aggregate_id: &str,
        expected_sequence: i64,
        events: &[NewEvent],
    ) -> Result<CommandOutcome, AppendError> {
        if events.is_empty() {
            return Err(AppendError::Store(StoreError::Metadata(
                "a command must produce at least one event",
            )));
        }
        self.append_grouped(AppendRequest {
            ctx: ctx.clone(),
            aggregate_type: aggregate_type.to_owned(),
            aggregate_id: aggregate_id.to_owned(),
            expected_sequence,
            events: events.to_vec(),
        })
        .await
    }

    /// One command's append in its own transaction, with its own outcome: a batch's
    /// commands go this way when the batch was refused, and a batch of one always does.
    pub(super) async fn append_alone(
        &self,
        request: &AppendRequest,
    ) -> Result<CommandOutcome, AppendError> {
        let AppendRequest {
            ctx,
            aggregate_type,
            aggregate_id,
            expected_sequence,
            events,
        } = request;
        let mut tx = self.db.begin().await?;
        let result = self
            .append_in(
                &mut tx,
                ctx,
                aggregate_type,
                aggregate_id,
                *expected_sequence,
                events,
            )
            .await;
        match result {
            Ok(outcome) => {
                tx.commit().await.map_err(|e| {
                    if e.is_unique_violation() {
                        AppendError::Conflict
                    } else {
                        AppendError::Store(e)
                    }
                })?;
                self.notify_appended();
                self.wake_other_processes().await;
                Ok(outcome)
            }
            Err(AppendStage::Events(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                Err(AppendError::Conflict)
            }
            Err(AppendStage::Idempotency(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                // A concurrent retry with the same key committed first: answer with its outcome.
                let key = ctx
                    .idempotency
                    .as_ref()
                    .ok_or(StoreError::Metadata("idempotency"))?;
                match self.find_idempotent(ctx.organization_id, key).await? {
                    Idempotent::Replay(outcome) => Err(AppendError::Replayed(outcome)),
                    Idempotent::Unused => Err(AppendError::Conflict),
                    Idempotent::Reused => Err(AppendError::IdempotencyKeyReused),
                }
            }
            Err(AppendStage::Events(e) | AppendStage::Idempotency(e)) => {
                tx.rollback().await?;
                Err(AppendError::Store(e))
            }
        }
    }

    async fn append_in(
        &self,
        tx: &mut DbTx,
        ctx: &CommandContext,
        aggregate_type: &str,
        aggregate_id: &str,
        expected_sequence: i64,
        events: &[NewEvent],
    ) -> Result<CommandOutcome, AppendStage> {
        if events.is_empty() {
            return Err(AppendStage::Events(StoreError::Metadata(
                "a command must produce at least one event",
            )));
        }
        let insert = match tx.backend() {
            Backend::Postgres => INSERT_EVENT_PG,
            Backend::Sqlite => INSERT_EVENT_SQLITE,
        };
        let mut last = LogPosition::START;
        let mut sequence = expected_sequence;
        for event in events {
            sequence += 1;
            let (global_position, transaction_id): (i64, i64) = on_tx!(tx, conn => {
                sqlx::query_as(insert)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(sequence)
                    .bind(&event.event_type)
                    .bind(&event.event_version)
                    .bind(&event.payload)
                    .bind(ctx.organization_id)
                    .bind(ctx.actor.id)
                    .bind(ctx.actor.kind.as_str())
                    .bind(ctx.occurred_at)
                    .bind(ctx.correlation_id)
                    .bind(ctx.causation_id)
                    .bind(&ctx.request_source)
                    .fetch_one(conn)
                    .await
                    .map_err(|e| AppendStage::Events(e.into()))?
            });
            last = LogPosition {
                transaction_id,
                global_position,
            };
        }
        if let Some(key) = &ctx.idempotency {
            on_tx!(tx, conn => {
                sqlx::query(
                    "INSERT INTO idempotency_keys (organization_id, idempotency_key, request, \
                     aggregate_type, aggregate_id, last_sequence, transaction_id, global_position, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(ctx.organization_id)
                .bind(&key.key)
                .bind(&key.request)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .bind(sequence)
                .bind(last.transaction_id)
                .bind(last.global_position)
                .bind(ctx.occurred_at)
                .execute(conn)
                .await
                .map_err(|e| AppendStage::Idempotency(e.into()))?;
            });
        }
        Ok(CommandOutcome {
            aggregate_id: aggregate_id.to_owned(),
            position: last,
            sequence,
            replayed: false,
        })
    }
}

/// One event row; each backend returns its position and transaction id.
macro_rules! insert_event {
    ($returning:literal) => {
        concat!(
            "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
             event_version, payload, organization_id, actor_id, actor_kind, occurred_at, \
             correlation_id, causation_id, request_source) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ",
            $returning
        )
    };
}
const INSERT_EVENT_PG: &str = insert_event!("global_position, (transaction_id::text)::bigint");
const INSERT_EVENT_SQLITE: &str = insert_event!("global_position, transaction_id");

enum AppendStage {
    Events(StoreError),
    Idempotency(StoreError),
}

/// Why an append did not commit.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("optimistic concurrency conflict")]
    Conflict,
    #[error("idempotency key reused for a different request")]
    IdempotencyKeyReused,
    #[error("a concurrent request with the same idempotency key committed first")]
    Replayed(CommandOutcome),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        AppendError::Store(e.into())
    }
}
