//! What one `setReportingLine` costs as the organization's reporting-line history grows:
//! the use case (authorize, look up both people, load the organization's lines, decide,
//! append, read-your-writes) at 100 and at 100,000 prior changes, on SQLite and (when
//! `CHORUS_TEST_DATABASE_URL` is set) PostgreSQL. Both histories share one database and
//! hold the same 100 lines at the end, so the ratio of the two is the cost of history
//! alone (target: within 1.5×). Run: `cargo bench -p chorus-server --bench reporting_lines`.

// A benchmark stops on a failed set-up.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chorus_api::{Caller, Principal};
use chorus_kernel::testing::{backends, TestDatabase};
use chorus_kernel::{Actor, CommandContext, NewEvent};
use chorus_server::state::AppState;
use chorus_teams as teams;
use cqrs_es::DomainEvent;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tokio::runtime::Runtime;
use uuid::Uuid;

use common::{name, open_state};

/// People whose lines the history moves (and the iterations then change).
const PEOPLE: usize = 100;
/// Managers the lines move between.
const MANAGERS: usize = 3;
/// History events appended per transaction in the set-up.
const BATCH: usize = 1_000;

struct Organization {
    id: Uuid,
    admin: Uuid,
    people: Vec<Uuid>,
    managers: Vec<Uuid>,
    /// Each person's current manager, so every iteration is a real change.
    current: Mutex<HashMap<Uuid, Uuid>>,
    turn: Mutex<usize>,
}

async fn add_person(state: &AppState, org: Uuid, admin: Uuid, label: &str) -> Uuid {
    let id = Uuid::now_v7();
    let command = teams::PersonCommand::AddPerson {
        person_id: id,
        organization_id: org,
        display_name: teams::DisplayName::try_from(label).expect("name"),
        email: teams::Email::try_from(format!("{id}@example.com").as_str()).expect("email"),
        affiliation: teams::Affiliation::Internal,
        external_id: None,
    };
    let context = CommandContext::new(org, Actor::person(admin), "bench");
    state
        .store
        .execute::<teams::Person>(&context, &id.to_string(), command, &())
        .await
        .expect("add person");
    id
}

/// An organization whose reporting lines have `history` changes, appended straight
/// through the kernel in large transactions (the use case would take minutes).
async fn organization(state: &Arc<AppState>, label: &str, history: usize) -> Organization {
    let issued = chorus_server::cli::init(state, label, &format!("admin@{label}.example"), None)
        .await
        .expect("init");
    let (id, admin) = (issued.organization_id, issued.person_id.expect("admin"));
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        people.push(add_person(state, id, admin, &format!("Report {i}")).await);
    }
    let mut managers = Vec::new();
    for i in 0..MANAGERS {
        managers.push(add_person(state, id, admin, &format!("Manager {i}")).await);
    }
    let context = CommandContext::new(id, Actor::person(admin), "bench");
    let mut current: HashMap<Uuid, Uuid> = HashMap::new();
    let mut sequence = 0;
    let mut batch = Vec::new();
    for change in 0..history {
        let person = people[change % PEOPLE];
        let manager = managers[(change / PEOPLE) % MANAGERS];
        let event = teams::ReportingLinesEvent::ReportingLineSet {
            person_id: person,
            manager_id: manager,
            previous_manager_id: current.insert(person, manager),
        };
        batch.push(NewEvent {
            event_type: event.event_type(),
            event_version: event.event_version(),
            payload: serde_json::to_string(&event).expect("serialize"),
        });
        if batch.len() == BATCH || change + 1 == history {
            state
                .store
                .append(
                    &context,
                    "reporting_lines",
                    &id.to_string(),
                    sequence,
                    &batch,
                )
                .await
                .expect("append history");
            sequence += i64::try_from(batch.len()).expect("small");
            batch.clear();
        }
    }
    state.projector.catch_up().await.expect("catch up");
    Organization {
        id,
        admin,
        people,
        managers,
        current: Mutex::new(current),
        turn: Mutex::new(0),
    }
}

/// One reporting-line change through the use case: the next person to another manager.
async fn change_line(state: &AppState, org: &Organization) {
    let (person_id, manager_id) = {
        let mut turn = org.turn.lock().expect("turn");
        let person = org.people[*turn % PEOPLE];
        *turn += 1;
        let current = org.current.lock().expect("current").get(&person).copied();
        let manager = *org
            .managers
            .iter()
            .find(|m| Some(**m) != current)
            .expect("another manager");
        (person, manager)
    };
    let principal = Principal::without_token(org.id, Actor::person(org.admin));
    let caller = Caller {
        runtime: &state.runtime,
        principal: &principal,
        channel: "bench",
    };
    let input = teams::commands::SetReportingLine {
        person_id,
        manager_id,
    };
    teams::commands::set_reporting_line(caller, input, None)
        .await
        .expect("setReportingLine");
    org.current
        .lock()
        .expect("current")
        .insert(person_id, manager_id);
}

fn reporting_line(c: &mut Criterion) {
    let runtime = Runtime::new().expect("runtime");
    let mut group = common::group(c, "reporting_line", 20, 5, 2);
    for backend in backends() {
        let db = runtime.block_on(TestDatabase::create(backend));
        let state = runtime.block_on(open_state(&db));
        // Both histories first, so both changes are measured against the same log (the
        // log's size is not the aggregate's history).
        let orgs: Vec<(usize, Organization)> = [100usize, 100_000]
            .into_iter()
            .map(|history| {
                let org = runtime.block_on(organization(&state, &format!("h{history}"), history));
                // The first change after the bulk history replays it and takes a snapshot.
                runtime.block_on(change_line(&state, &org));
                (history, org)
            })
            .collect();
        for (history, org) in &orgs {
            group.bench_function(
                BenchmarkId::new(name(backend), format!("{history}-prior-changes")),
                |b| b.to_async(&runtime).iter(|| change_line(&state, org)),
            );
        }
        // The load alone at the longest history, both ways in the same run: replaying
        // every event (what every change did before snapshots) against the snapshot and
        // the events after it.
        let org = orgs[1].1.id.to_string();
        // The two loads differ only in the store's method.
        macro_rules! bench_load {
            ($id:literal, $load:ident) => {
                group.bench_function(BenchmarkId::new(name(backend), $id), |b| {
                    b.to_async(&runtime).iter(|| async {
                        state
                            .store
                            .$load::<teams::ReportingLines>(&org)
                            .await
                            .expect("load")
                    })
                });
            };
        }
        bench_load!("load-replaying-100000", load);
        bench_load!("load-from-snapshot-100000", load_snapshotted);
        runtime.block_on(state.shutdown());
        drop(db);
    }
    group.finish();
}

criterion_group!(benches, reporting_line);
criterion_main!(benches);
