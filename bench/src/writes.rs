//! The write load: `assignRole` for people of the history's write pool, each command a
//! new assignment, from any number of closed-loop clients.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;

use crate::dataset::Dataset;
use crate::load::{self, Api, Stats};
use crate::operations::{global_id, ASSIGN, FUNCTIONS};
use crate::BenchError;

/// The people the write phases give roles to, and how many each has been given, so that
/// every command (of every phase and server) is a new assignment.
pub struct WritePool {
    people: Arc<Vec<Uuid>>,
    teams: Arc<Vec<Uuid>>,
    usage: Arc<Vec<AtomicU32>>,
}

impl WritePool {
    pub fn new(data: &Dataset) -> Self {
        Self {
            people: Arc::new(data.write_pool.clone()),
            teams: Arc::new(data.teams.clone()),
            usage: Arc::new(data.write_pool.iter().map(|_| AtomicU32::new(0)).collect()),
        }
    }
}

/// `assignRole` from `clients` closed loops of `per_client` commands each; idempotency
/// keys start with `phase`.
pub async fn assign_roles(
    api: &Api,
    pool: &WritePool,
    phase: &str,
    clients: usize,
    per_client: usize,
) -> Result<Stats, BenchError> {
    let api = api.clone();
    let (usage, people, teams) = (pool.usage.clone(), pool.people.clone(), pool.teams.clone());
    let phase = phase.to_owned();
    let call = move |client: usize, index: usize| {
        let api = api.clone();
        // Clients own disjoint people (pool size is a multiple of 64), so concurrent
        // commands never race on one aggregate; each person gets a new function/team.
        let person = (client + index * clients) % people.len();
        let used = usage[person].fetch_add(1, Ordering::Relaxed) as usize;
        let function = FUNCTIONS[used % FUNCTIONS.len()];
        let team = teams[(used / FUNCTIONS.len() + person) % teams.len()];
        let input = json!({
            "personId": global_id("Person", people[person]),
            "function": function,
            "scope": {"kind": "TEAM", "id": global_id("Team", team)},
            "reason": "benchmark write",
            "idempotencyKey": format!("bench-{phase}-{client}-{index}"),
        });
        async move {
            api.graphql(ASSIGN, json!({"input": input})).await?;
            Ok(())
        }
    };
    load::closed_loop(clients, per_client, call).await
}
