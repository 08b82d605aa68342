//! The queues that hand their cases out: on the leading process, each team queue with an
//! automatic strategy gives its queued cases, oldest first, to the members holding the
//! case's function in the team: round robin (the member assigned least recently) or load
//! balanced (the member with the fewest open cases), skipping members at the queue's
//! capacity. A case waits when every member is at capacity, until one frees up.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chorus_api::{Caller, Principal, Runtime};
use chorus_cases_domain::case::{Case, CaseCommand};
use chorus_cases_domain::queue::AssignmentStrategy;
use chorus_kernel::{fetch_all, on_read, push_in, Actor, StoreError};
use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Queued cases handed out per queue and sweep.
const BATCH: i64 = 100;

#[derive(sqlx::FromRow)]
struct Queue {
    team_id: Uuid,
    organization_id: Uuid,
    strategy: String,
    capacity: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Queued {
    id: Uuid,
}

#[derive(sqlx::FromRow)]
struct Load {
    assignee_id: Uuid,
    open: i64,
}

#[derive(sqlx::FromRow)]
struct LastAssigned {
    person_id: Uuid,
    last_assigned_at: DateTime<Utc>,
}

fn store_error(what: &'static str) -> impl Fn(chorus_api::ApiError) -> StoreError {
    move |_| StoreError::Metadata(what)
}

/// Hands out what every automatic queue can; returns how many cases were assigned.
pub async fn sweep(runtime: &Runtime) -> Result<u64, StoreError> {
    let queues: Vec<Queue> = on_read!(&runtime.db, pool => {
        sqlx::query_as(
            "SELECT team_id, organization_id, strategy, capacity FROM case_queues WHERE strategy <> 'MANUAL' ORDER BY strategy, team_id",
        )
        .fetch_all(pool)
        .await?
    });
    let mut assigned = 0;
    for queue in queues {
        assigned += hand_out(runtime, &queue).await?;
    }
    if assigned > 0 {
        tracing::info!(assigned, "queued cases handed out");
    }
    Ok(assigned)
}

async fn hand_out(runtime: &Runtime, queue: &Queue) -> Result<u64, StoreError> {
    let org = queue.organization_id;
    let queued = fetch_all!(&runtime.db, Queued, |qb| {
        qb.push("SELECT id FROM cases WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND queue_team_key = ").push_bind(queue.team_id);
        qb.push(" AND is_open AND assignee_id IS NULL AND status = 'QUEUED' ORDER BY opened_at, id LIMIT ");
        qb.push_bind(BATCH);
    });
    if queued.is_empty() {
        return Ok(0);
    }
    let principal = Principal::without_token(org, Actor::system());
    let caller = Caller {
        runtime,
        principal: &principal,
        channel: "case-queue",
    };
    let round_robin = queue.strategy == AssignmentStrategy::RoundRobin.as_str();
    let mut members: HashMap<chorus_teams::RoleFunction, Vec<Uuid>> = HashMap::new();
    let mut loads: HashMap<Uuid, i64> = HashMap::new();
    let mut last: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let mut assigned = 0;
    for case in queued {
        let (state, _, _) = runtime.store.load::<Case>(&case.id.to_string()).await?;
        let Some(function) = state.function() else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(entry) = members.entry(function) {
            let holders = chorus_teams::api::team_holders(
                &runtime.db,
                org,
                queue.team_id,
                function,
                chorus_kernel::now(),
            )
            .await
            .map_err(store_error("queue members could not be read"))?;
            load_counts(runtime, org, queue.team_id, &holders, &mut loads, &mut last).await?;
            entry.insert(holders);
        }
        let capacity = queue.capacity.unwrap_or(i64::MAX);
        let chosen = members
            .get(&function)
            .into_iter()
            .flatten()
            .copied()
            .filter(|person| loads.get(person).copied().unwrap_or(0) < capacity)
            .min_by_key(|person| {
                let recency = last.get(person).copied();
                let load = loads.get(person).copied().unwrap_or(0);
                if round_robin {
                    (0, recency, *person)
                } else {
                    (load, recency, *person)
                }
            });
        let Some(person) = chosen else { continue };
        let roles = crate::commands::roles_on(caller, &state, person)
            .await
            .map_err(store_error("member roles could not be read"))?;
        let command = CaseCommand::AssignCase {
            assignee: person,
            assignee_roles: roles,
            by: Uuid::nil(),
            at: chorus_kernel::now(),
        };
        if chorus_api::background::as_system::<Case>(runtime, org, "case-queue", case.id, command)
            .await?
        {
            assigned += 1;
            *loads.entry(person).or_default() += 1;
            last.insert(person, chorus_kernel::now());
        }
    }
    Ok(assigned)
}

/// The open cases each member holds, and when this queue last gave each one a case.
async fn load_counts(
    runtime: &Runtime,
    org: Uuid,
    team: Uuid,
    members: &[Uuid],
    loads: &mut HashMap<Uuid, i64>,
    last: &mut HashMap<Uuid, DateTime<Utc>>,
) -> Result<(), StoreError> {
    let rows = fetch_all!(&runtime.db, Load, |qb| {
        qb.push("SELECT assignee_id, COUNT(*) AS open FROM cases WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND is_open AND assignee_id");
        push_in!(qb, members);
        qb.push(" GROUP BY assignee_id");
    });
    loads.extend(rows.into_iter().map(|row| (row.assignee_id, row.open)));
    let rows = fetch_all!(&runtime.db, LastAssigned, |qb| {
        qb.push("SELECT person_id, last_assigned_at FROM case_queue_members WHERE team_id = ")
            .push_bind(team);
        qb.push(" AND person_id");
        push_in!(qb, members);
    });
    last.extend(
        rows.into_iter()
            .map(|row| (row.person_id, row.last_assigned_at)),
    );
    Ok(())
}

/// Hands out every `every` on the process that leads the projections.
pub fn spawn(
    runtime: Arc<Runtime>,
    every: Duration,
    shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    chorus_api::background::every_on_leader(
        runtime,
        every,
        shutdown,
        "case queue hand-out",
        |runtime| async move { sweep(&runtime).await },
    )
}
