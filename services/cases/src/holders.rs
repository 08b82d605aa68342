//! Cases follow their holders' roles: when a person is offboarded or loses a role, the
//! projection notes them (`case_holder_reviews`), and this review, on the leading
//! process, returns each open case they hold to its queue unless they still hold a
//! function that works it covering it. The domain records why (offboarded, role lost).

use std::sync::Arc;
use std::time::Duration;

use chorus_api::{Caller, Principal, Runtime};
use chorus_cases_domain::case::{Case, CaseCommand, ReturnReason};
use chorus_kernel::{on_read, on_write, Actor, DbTx, RecordedEvent, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::read::{self, QueueFilter};

/// Notes a person to review when a teams event may have ended their hold on cases.
pub(crate) async fn note(tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
    let reason = match event.event_type.as_str() {
        "PersonOffboarded" => ReturnReason::Offboarded,
        "RoleRevoked" => ReturnReason::RoleLost,
        _ => return Ok(()),
    };
    let person = crate::projection::aggregate_uuid(event)?;
    chorus_kernel::on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO case_holder_reviews (person_id, organization_id, reason, due_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (person_id) DO UPDATE SET \
             reason = CASE WHEN excluded.reason = 'OFFBOARDED' THEN excluded.reason \
             ELSE case_holder_reviews.reason END, due_at = excluded.due_at",
        )
        .bind(person)
        .bind(event.metadata.organization_id)
        .bind(reason.as_str())
        .bind(event.metadata.occurred_at)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// People reviewed per sweep; the next sweep takes the rest.
const BATCH: i64 = 200;

/// Reviews the noted people: returns how many cases went back to their queues.
pub async fn sweep(runtime: &Runtime) -> Result<u64, StoreError> {
    let due: Vec<(Uuid, Uuid, String)> = on_read!(&runtime.db, pool => {
        sqlx::query_as(
            "SELECT person_id, organization_id, reason FROM case_holder_reviews ORDER BY due_at LIMIT $1",
        )
        .bind(BATCH)
        .fetch_all(pool)
        .await?
    });
    let mut returned = 0;
    for (person, org, reason) in due {
        let reason = if reason == "OFFBOARDED" {
            ReturnReason::Offboarded
        } else {
            ReturnReason::RoleLost
        };
        returned += review(runtime, org, person, reason).await?;
        on_write!(&runtime.db, pool => {
            sqlx::query("DELETE FROM case_holder_reviews WHERE person_id = $1")
                .bind(person)
                .execute(pool)
                .await?;
        });
    }
    if returned > 0 {
        tracing::info!(returned, "cases returned to their queues");
    }
    Ok(returned)
}

/// Returns the open cases `person` holds and may no longer work.
async fn review(
    runtime: &Runtime,
    org: Uuid,
    person: Uuid,
    reason: ReturnReason,
) -> Result<u64, StoreError> {
    let principal = Principal::without_token(org, Actor::system());
    let caller = Caller {
        runtime,
        principal: &principal,
        channel: "case-holders",
    };
    let filter = QueueFilter {
        assignee: Some(person),
        ..QueueFilter::default()
    };
    let held = read::queue(&runtime.db, org, &filter, None, 10_000)
        .await
        .map_err(|_| StoreError::Metadata("held cases could not be read"))?;
    let mut returned = 0;
    for row in held {
        let (case, _, _) = runtime.store.load::<Case>(&row.id.to_string()).await?;
        if case.assignee() != Some(person) {
            continue;
        }
        let roles = crate::commands::roles_on(caller, &case, person)
            .await
            .map_err(|_| StoreError::Metadata("roles could not be read"))?;
        let works = roles.iter().any(|role| {
            case.function() == Some(role.function) || case.escalated_to().contains(&role.function)
        });
        if works && reason != ReturnReason::Offboarded {
            continue;
        }
        let command = CaseCommand::ReturnToQueue {
            reason,
            by: Uuid::nil(),
            at: chorus_kernel::now(),
        };
        if chorus_api::background::as_system::<Case>(runtime, org, "case-holders", row.id, command)
            .await?
        {
            returned += 1;
        }
    }
    Ok(returned)
}

/// Reviews every `every` on the process that leads the projections.
pub fn spawn(
    runtime: Arc<Runtime>,
    every: Duration,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    chorus_api::background::every_on_leader(
        runtime,
        every,
        shutdown,
        "case holder review",
        |runtime| async move { sweep(&runtime).await },
    )
}
