//! Event append throughput and projection rebuild speed, on SQLite and (when
//! `CHORUS_TEST_DATABASE_URL` is set) PostgreSQL. Run: `cargo bench -p chorus-server --bench store`.
//!
//! Each backend's figures come from the same run on the same machine, so compare them as
//! ratios; absolute numbers on a shared 2-core machine are noisy.

// A benchmark stops on a failed set-up.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Instant;

use chorus_kernel::testing::{backends, TestBackend, TestDatabase};
use chorus_kernel::{Actor, CommandContext, NewEvent};
use chorus_server::state::AppState;
use chorus_teams as domain;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tokio::runtime::Runtime;
use uuid::Uuid;

use common::{name, open_state};

/// Events loaded before measuring the rebuild.
const REBUILD_EVENTS: usize = 20_000;

struct Fixture {
    _db: TestDatabase,
    state: Arc<AppState>,
    org: Uuid,
    admin: Uuid,
}

async fn fixture(backend: TestBackend) -> Fixture {
    let db = TestDatabase::create(backend).await;
    let state = open_state(&db).await;
    let issued = chorus_server::cli::init(&state, "Bench", "bench@example.com", None)
        .await
        .expect("init");
    Fixture {
        _db: db,
        state,
        org: issued.organization_id,
        admin: issued.person_id.expect("admin"),
    }
}

/// One AddPerson command through the full command path (load, handle, append).
async fn add_person(fixture: &Fixture) {
    let id = Uuid::now_v7();
    let command = domain::PersonCommand::AddPerson {
        person_id: id,
        organization_id: fixture.org,
        display_name: domain::DisplayName::try_from("Bench Person").expect("name"),
        email: domain::Email::try_from("bench.person@example.com").expect("email"),
        affiliation: domain::Affiliation::Internal,
        external_id: None,
    };
    let context = CommandContext::new(fixture.org, Actor::person(fixture.admin), "bench");
    fixture
        .state
        .store
        .execute::<domain::Person>(&context, &id.to_string(), command, &())
        .await
        .expect("append");
}

fn append(c: &mut Criterion) {
    let runtime = Runtime::new().expect("runtime");
    let mut group = common::group(c, "append", 10, 5, 1);
    for backend in backends() {
        let fixture = Arc::new(runtime.block_on(fixture(backend)));
        for writers in [1usize, 16] {
            group.throughput(Throughput::Elements(1));
            group.bench_with_input(
                BenchmarkId::new(name(backend), format!("{writers}-writers")),
                &writers,
                |b, &writers| {
                    b.to_async(&runtime).iter_custom(|iters| {
                        let fixture = fixture.clone();
                        async move {
                            let per_writer = (iters as usize).div_ceil(writers);
                            let start = Instant::now();
                            let tasks: Vec<_> = (0..writers)
                                .map(|_| {
                                    let fixture = fixture.clone();
                                    tokio::spawn(async move {
                                        for _ in 0..per_writer {
                                            add_person(&fixture).await;
                                        }
                                    })
                                })
                                .collect();
                            for task in tasks {
                                task.await.expect("writer");
                            }
                            // Report time per command actually issued.
                            start
                                .elapsed()
                                .mul_f64(iters as f64 / (per_writer * writers) as f64)
                        }
                    });
                },
            );
        }
        runtime.block_on(fixture.state.shutdown());
    }
    group.finish();
}

fn rebuild(c: &mut Criterion) {
    let runtime = Runtime::new().expect("runtime");
    let mut group = common::group(c, "rebuild", 10, 10, 1);
    for backend in backends() {
        let fixture = runtime.block_on(fixture(backend));
        let total = runtime.block_on(async {
            // Load realistic person events in bulk: one aggregate per event, 500 per batch.
            let context = CommandContext::new(fixture.org, Actor::person(fixture.admin), "bench");
            for i in 0..REBUILD_EVENTS {
                let id = Uuid::now_v7();
                let event = domain::PersonEvent::PersonAdded {
                    person_id: id,
                    organization_id: fixture.org,
                    display_name: format!("Person {i}"),
                    email: format!("person{i}@example.com"),
                    affiliation: domain::Affiliation::Internal,
                    external_id: None,
                };
                let new = NewEvent {
                    event_type: "PersonAdded".into(),
                    event_version: "1.0".into(),
                    payload: serde_json::to_string(&event).expect("serialize"),
                };
                fixture
                    .state
                    .store
                    .append(&context, "person", &id.to_string(), 0, &[new])
                    .await
                    .expect("append");
            }
            fixture.state.projector.catch_up().await.expect("catch up")
        });
        group.throughput(Throughput::Elements(total.max(REBUILD_EVENTS as u64)));
        group.bench_function(
            BenchmarkId::new(name(backend), format!("{REBUILD_EVENTS}-events")),
            |b| {
                b.to_async(&runtime).iter(|| async {
                    fixture
                        .state
                        .projector
                        .rebuild(None)
                        .await
                        .expect("rebuild")
                });
            },
        );
        runtime.block_on(fixture.state.shutdown());
    }
    group.finish();
}

criterion_group!(benches, append, rebuild);
criterion_main!(benches);
