//! The event store on every test backend: append-only log, execute/load, optimistic
//! concurrency, idempotency keys, organization isolation, upcasting and cqrs-es.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeSet, HashMap};

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{
    on_read, Actor, ActorKind, AppendError, CommandError, EventStore, IdempotencyKey, LogPosition,
    LogReader, NewEvent, StoreError, Upcasters,
};
use common::*;
use cqrs_es::persist::{PersistedEventStore, SemanticVersionEventUpcaster};
use cqrs_es::CqrsFramework;
use serde_json::{json, Value};
use uuid::Uuid;

type Row = (i64, String, i64, String, String);

async fn rows(db: &chorus_kernel::Db) -> Vec<Row> {
    let sql = "SELECT global_position, aggregate_id, sequence, event_type, payload FROM events \
               ORDER BY global_position";
    on_read!(db, pool => sqlx::query_as::<_, Row>(sql).fetch_all(pool).await)
        .expect("events are readable")
}

backend_tests! {
    async fn events_table_is_append_only(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        create_counter(&store, org, "c-1", "one").await;
        store
            .execute::<Counter>(&ctx(org), "c-1", add(&[1, 2]), &())
            .await
            .expect("add");
        let before = rows(&db).await;
        assert_eq!(before.len(), 3, "{name}");

        let mut refused = vec![
            "UPDATE events SET payload = '{}'",
            "UPDATE events SET payload = '{}' WHERE sequence = 2",
            "DELETE FROM events",
            "DELETE FROM events WHERE sequence = 3",
        ];
        if backend == TestBackend::Postgres {
            refused.push("TRUNCATE events");
        }
        for sql in refused {
            let error = exec(&db, sql)
                .await
                .expect_err(&format!("{name}: `{sql}` must be refused"));
            assert!(
                error.to_string().contains("append-only"),
                "{name}: `{sql}` refused for another reason: {error}"
            );
        }
        assert_eq!(rows(&db).await, before, "{name}: rows changed");
        db.close().await;
    }
}

backend_tests! {
    async fn execute_and_load_round_trip_with_metadata_columns(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        let person = Uuid::new_v4();
        let mut contexts = Vec::new();
        let mut outcomes = Vec::new();
        for (i, command) in [create("apples"), add(&[3, 4]), add(&[5])]
            .into_iter()
            .enumerate()
        {
            let mut ctx = chorus_kernel::CommandContext::new(org, Actor::person(person), "test");
            ctx.causation_id = (i == 2).then(Uuid::new_v4);
            let outcome = store
                .execute::<Counter>(&ctx, "c-1", command, &())
                .await
                .expect("command succeeds");
            assert!(!outcome.replayed, "{name}");
            assert_eq!(outcome.aggregate_id, "c-1", "{name}");
            contexts.push(ctx);
            outcomes.push(outcome);
        }
        assert_eq!(
            outcomes.iter().map(|o| o.sequence).collect::<Vec<_>>(),
            vec![1, 3, 4],
            "{name}"
        );
        for pair in outcomes.windows(2) {
            assert!(pair[0].position < pair[1].position, "{name}: {pair:?}");
            assert!(
                pair[0].position.global_position < pair[1].position.global_position,
                "{name}: {pair:?}"
            );
        }

        let (counter, sequence, organization) = store.load::<Counter>("c-1").await.expect("load");
        assert_eq!(
            counter,
            Counter {
                name: Some("apples".to_owned()),
                total: 12,
                additions: 3
            },
            "{name}"
        );
        assert_eq!(sequence, 4, "{name}");
        assert_eq!(organization, Some(org), "{name}");
        let (fresh, sequence, organization) = store.load::<Counter>("c-2").await.expect("load");
        assert_eq!(
            (fresh, sequence, organization),
            (Counter::default(), 0, None),
            "{name}"
        );

        // The audit metadata lives in real, typed columns.
        type MetaRow = (
            i64,
            Uuid,
            Option<Uuid>,
            String,
            chrono::DateTime<chrono::Utc>,
            Uuid,
            Option<Uuid>,
            String,
        );
        let sql = "SELECT sequence, organization_id, actor_id, actor_kind, occurred_at, \
                   correlation_id, causation_id, request_source FROM events ORDER BY global_position";
        let stored: Vec<MetaRow> =
            on_read!(&db, pool => sqlx::query_as::<_, MetaRow>(sql).fetch_all(pool).await)
                .expect("metadata columns are readable");
        let command_of_sequence = [0, 0, 1, 1, 2];
        assert_eq!(stored.len(), 4, "{name}");
        for row in &stored {
            let ctx = &contexts[command_of_sequence[usize::try_from(row.0).expect("small")]];
            assert_eq!(row.1, org, "{name}");
            assert_eq!(row.2, Some(person), "{name}");
            assert_eq!(row.3, "person", "{name}");
            assert_eq!(row.4, ctx.occurred_at, "{name}");
            assert_eq!(row.5, ctx.correlation_id, "{name}");
            assert_eq!(row.6, ctx.causation_id, "{name}");
            assert_eq!(row.7, "test", "{name}");
        }
        let count_sql = "SELECT COUNT(*) FROM events WHERE organization_id = $1 AND actor_id = $2";
        let by_columns: i64 = on_read!(&db, pool => {
            sqlx::query_scalar(count_sql).bind(org).bind(person).fetch_one(pool).await
        })
        .expect("filter by metadata columns");
        assert_eq!(by_columns, 4, "{name}");

        // And the log reader hands it back with every event.
        let events = read_all(&reader(&db), 4).await;
        assert_eq!(events.len(), 4, "{name}");
        for (event, row) in events.iter().zip(&stored) {
            let ctx = &contexts[command_of_sequence[usize::try_from(row.0).expect("small")]];
            assert_eq!(event.sequence, row.0, "{name}");
            assert_eq!(event.aggregate_type, COUNTER, "{name}");
            assert_eq!(event.aggregate_id, "c-1", "{name}");
            assert_eq!(event.metadata.organization_id, org, "{name}");
            assert_eq!(event.metadata.actor, Actor::person(person), "{name}");
            assert_eq!(event.metadata.actor.kind, ActorKind::Person, "{name}");
            assert_eq!(event.metadata.occurred_at, ctx.occurred_at, "{name}");
            assert_eq!(event.metadata.correlation_id, ctx.correlation_id, "{name}");
            assert_eq!(event.metadata.causation_id, ctx.causation_id, "{name}");
            assert_eq!(event.metadata.request_source, "test", "{name}");
        }
        let decoded: Vec<CounterEvent> = events
            .iter()
            .map(|e| e.decode().expect("payload decodes"))
            .collect();
        assert_eq!(
            decoded,
            vec![
                CounterEvent::Created {
                    name: "apples".to_owned()
                },
                CounterEvent::Added { amount: 3 },
                CounterEvent::Added { amount: 4 },
                CounterEvent::Added { amount: 5 },
            ],
            "{name}"
        );
        assert_eq!(
            events.last().map(|e| e.position),
            Some(outcomes[2].position),
            "{name}"
        );
        for pair in events.windows(2) {
            assert!(pair[0].position < pair[1].position, "{name}");
        }
        // read_after really starts after the given position.
        let tail = read_settled(&reader(&db), outcomes[0].position, 100, 3).await;
        assert_eq!(
            tail.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![2, 3, 4],
            "{name}"
        );
        let limited = read_settled(&reader(&db), LogPosition::START, 2, 2).await;
        assert_eq!(limited.len(), 2, "{name}");

        // A domain error appends nothing.
        let refused = store
            .execute::<Counter>(&ctx(org), "c-1", create("again"), &())
            .await;
        assert!(
            matches!(
                refused,
                Err(CommandError::Domain(CounterError::AlreadyExists))
            ),
            "{name}: {refused:?}"
        );
        assert_eq!(event_count(&db).await, 4, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn appends_with_the_same_expected_sequence_conflict(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;

        // One after the other: the second writer is behind.
        store
            .append(&ctx(org), COUNTER, "a", 0, &[added(1), added(2)])
            .await
            .expect("first append");
        let stale = store
            .append(&ctx(org), COUNTER, "a", 0, &[added(100)])
            .await;
        assert!(
            matches!(stale, Err(AppendError::Conflict)),
            "{name}: {stale:?}"
        );
        assert_eq!(sequences(&db, "a").await, vec![1, 2], "{name}");

        // At the same time, many rounds: exactly one of each pair wins, and every event
        // of the loser is gone.
        let mut stored = 2;
        for round in 0..10_i64 {
            let aggregate = format!("b-{round}");
            let left = {
                let store = store.clone();
                let aggregate = aggregate.clone();
                tokio::spawn(async move {
                    let ctx = ctx(org);
                    store
                        .append(&ctx, COUNTER, &aggregate, 0, &[added(1), added(1)])
                        .await
                })
            };
            let right = {
                let store = store.clone();
                let aggregate = aggregate.clone();
                tokio::spawn(async move {
                    let ctx = ctx(org);
                    store
                        .append(
                            &ctx,
                            COUNTER,
                            &aggregate,
                            0,
                            &[added(2), added(2), added(2)],
                        )
                        .await
                })
            };
            let left = left.await.expect("task");
            let right = right.await.expect("task");
            let (winner_len, winner_payload) = match (&left, &right) {
                (Ok(_), Err(AppendError::Conflict)) => (2, added(1).payload),
                (Err(AppendError::Conflict), Ok(_)) => (3, added(2).payload),
                other => panic!("{name}: expected one winner and one conflict, got {other:?}"),
            };
            stored += winner_len;
            assert_eq!(
                sequences(&db, &aggregate).await,
                (1..=winner_len).collect::<Vec<i64>>(),
                "{name}"
            );
            let payloads: BTreeSet<String> = rows(&db)
                .await
                .into_iter()
                .filter(|r| r.1 == aggregate)
                .map(|r| r.4)
                .collect();
            assert_eq!(
                payloads,
                BTreeSet::from([winner_payload]),
                "{name}: loser's events stored"
            );
        }
        assert_eq!(event_count(&db).await, stored, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_commands_on_one_aggregate_either_win_or_conflict(backend: TestBackend) {
        const TASKS: usize = 8;

        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 10).await;
        create_counter(&store, org, "shared", "shared").await;
        let mut successes = 0_i64;
        let mut conflicts = 0;
        for _round in 0..3 {
            let results = race(TASKS, |_| {
                let store = store.clone();
                async move {
                    store
                        .execute::<Counter>(&ctx(org), "shared", add(&[1, 1, 1]), &())
                        .await
                }
            })
            .await;
            for result in results {
                match result {
                    Ok(outcome) => {
                        assert!(!outcome.replayed, "{name}");
                        successes += 1;
                    }
                    Err(CommandError::Conflict) => conflicts += 1,
                    Err(other) => panic!("{name}: unexpected error {other:?}"),
                }
            }
        }
        assert!(
            successes >= 3,
            "{name}: at least one command per round wins"
        );
        let expected: Vec<i64> = (1..=1 + 3 * successes).collect();
        assert_eq!(
            sequences(&db, "shared").await,
            expected,
            "{name}: gaps or duplicates"
        );
        let (counter, sequence, _) = store.load::<Counter>("shared").await.expect("load");
        assert_eq!(counter.total, 3 * successes, "{name}");
        assert_eq!(sequence, 1 + 3 * successes, "{name}");
        assert_eq!(successes + conflicts, 3 * TASKS as i64, "{name}");
        db.close().await;
    }
}

fn key(key: &str, request: &str) -> Option<IdempotencyKey> {
    Some(IdempotencyKey {
        key: key.to_owned(),
        request: request.to_owned(),
    })
}

backend_tests! {
    async fn idempotency_keys_replay_refuse_reuse_and_are_per_organization(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        let other_org = Uuid::new_v4();
        create_counter(&store, org, "c", "c").await;

        let keyed = ctx(org).with_idempotency(key("k-1", "add 1,2"));
        let first = store
            .execute::<Counter>(&keyed, "c", add(&[1, 2]), &())
            .await
            .expect("first");
        assert!(!first.replayed, "{name}");
        // A retry (new context, same key and request) appends nothing and answers the same.
        let retry_ctx = ctx(org).with_idempotency(key("k-1", "add 1,2"));
        let retry = store
            .execute::<Counter>(&retry_ctx, "c", add(&[1, 2]), &())
            .await
            .expect("retry");
        assert!(retry.replayed, "{name}");
        assert_eq!(retry.position, first.position, "{name}");
        assert_eq!(retry.sequence, first.sequence, "{name}");
        assert_eq!(retry.aggregate_id, first.aggregate_id, "{name}");
        assert_eq!(sequences(&db, "c").await, vec![1, 2, 3], "{name}");

        // Same key, different request: refused, nothing appended.
        let reused = store
            .execute::<Counter>(
                &ctx(org).with_idempotency(key("k-1", "add 9")),
                "c",
                add(&[9]),
                &(),
            )
            .await;
        assert!(
            matches!(reused, Err(CommandError::IdempotencyKeyReused)),
            "{name}: {reused:?}"
        );
        assert_eq!(sequences(&db, "c").await, vec![1, 2, 3], "{name}");

        // The same key in another organization is independent.
        let foreign_ctx = ctx(other_org).with_idempotency(key("k-1", "create"));
        let other = store
            .execute::<Counter>(&foreign_ctx, "d", create("d"), &())
            .await
            .expect("other organization");
        assert!(!other.replayed, "{name}");
        assert_eq!(other.aggregate_id, "d", "{name}");
        assert_eq!(sequences(&db, "d").await, vec![1], "{name}");
        // …and did not disturb the first organization's record.
        let again = store
            .execute::<Counter>(
                &ctx(org).with_idempotency(key("k-1", "add 1,2")),
                "c",
                add(&[1, 2]),
                &(),
            )
            .await
            .expect("replay");
        assert!(again.replayed && again.position == first.position, "{name}");
        assert_eq!(event_count(&db).await, 4, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_requests_with_one_idempotency_key_store_one_result(backend: TestBackend) {
        const TASKS: usize = 8;

        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 10).await;
        for round in 0..3 {
            let request = format!("create team {round}");
            let outcomes: Vec<_> = race(TASKS, |i| {
                let store = store.clone();
                let request = request.clone();
                async move {
                    // Each retry mints a fresh id, as a client creating a record would.
                    let aggregate = format!("new-{round}-{i}");
                    let ctx = ctx(org).with_idempotency(key(&format!("key-{round}"), &request));
                    store
                        .execute::<Counter>(&ctx, &aggregate, create("x"), &())
                        .await
                }
            })
            .await
            .into_iter()
            .map(|outcome| {
                outcome.unwrap_or_else(|e| {
                    panic!("{name}: every request gets the one outcome, got {e:?}")
                })
            })
            .collect();
            let fresh: Vec<_> = outcomes.iter().filter(|o| !o.replayed).collect();
            assert_eq!(
                fresh.len(),
                1,
                "{name}: exactly one request appended: {outcomes:?}"
            );
            let winner = fresh[0].clone();
            for outcome in &outcomes {
                assert_eq!(
                    (&outcome.aggregate_id, outcome.position, outcome.sequence),
                    (&winner.aggregate_id, winner.position, winner.sequence),
                    "{name}"
                );
            }
            let stored: BTreeSet<String> = rows(&db)
                .await
                .into_iter()
                .filter(|r| r.1.starts_with(&format!("new-{round}-")))
                .map(|r| r.1)
                .collect();
            assert_eq!(
                stored,
                BTreeSet::from([winner.aggregate_id.clone()]),
                "{name}"
            );
            assert_eq!(
                sequences(&db, &winner.aggregate_id).await,
                vec![1],
                "{name}"
            );
        }
        assert_eq!(event_count(&db).await, 3, "{name}");
        db.close().await;
    }
}

backend_tests! {
    async fn commands_on_another_organizations_aggregate_are_refused(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org: org_a } = Fixture::new(backend, 4).await;
        let org_b = Uuid::new_v4();
        create_counter(&store, org_a, "c", "a's").await;
        let before = rows(&db).await;
        let foreign = store
            .execute::<Counter>(&ctx(org_b), "c", add(&[1]), &())
            .await;
        assert!(
            matches!(foreign, Err(CommandError::ForeignAggregate)),
            "{name}: {foreign:?}"
        );
        // Also when the foreign command would itself be a domain error or carries a key.
        let foreign = store
            .execute::<Counter>(
                &ctx(org_b).with_idempotency(key("k", "create")),
                "c",
                create("b's"),
                &(),
            )
            .await;
        assert!(
            matches!(foreign, Err(CommandError::ForeignAggregate)),
            "{name}: {foreign:?}"
        );
        assert_eq!(rows(&db).await, before, "{name}: something was appended");
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM idempotency_keys").await,
            0,
            "{name}"
        );
        // The owner still can.
        store
            .execute::<Counter>(&ctx(org_a), "c", add(&[1]), &())
            .await
            .expect("owner's command");
        db.close().await;
    }
}

/// Version 0.9 of `Added` stored `{"Added": {"value": n}}`; 1.0 renamed it to `amount`.
fn upcasters() -> Upcasters {
    let rename = |payload: Value| match payload {
        Value::Object(mut outer) => {
            if let Some(Value::Object(inner)) = outer.get_mut("Added") {
                if let Some(value) = inner.remove("value") {
                    inner.insert("amount".to_owned(), value);
                }
            }
            Value::Object(outer)
        }
        other => other,
    };
    Upcasters::new(vec![Box::new(SemanticVersionEventUpcaster::new(
        "Added",
        "1.0",
        Box::new(rename),
    ))])
}

backend_tests! {
    async fn old_event_versions_are_upcast_on_load_and_on_read(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, org, .. } = Fixture::new(backend, 4).await;
        let store = EventStore::new(db.clone(), upcasters());
        create_counter(&store, org, "c", "legacy").await;
        let old = |value: i64| NewEvent {
            event_type: "Added".to_owned(),
            event_version: "0.9".to_owned(),
            payload: json!({"Added": {"value": value}}).to_string(),
        };
        store
            .append(&ctx(org), COUNTER, "c", 1, &[old(5), old(7)])
            .await
            .expect("append old versions");
        store
            .execute::<Counter>(&ctx(org), "c", add(&[1]), &())
            .await
            .expect("current version");

        let (counter, sequence, _) = store.load::<Counter>("c").await.expect("upcast load");
        assert_eq!(counter.total, 13, "{name}");
        assert_eq!(counter.additions, 3, "{name}");
        assert_eq!(sequence, 4, "{name}");

        let events = read_all(&LogReader::new(db.clone(), upcasters()), 4).await;
        assert_eq!(events.len(), 4, "{name}");
        let read_versions: Vec<&str> = events.iter().map(|e| e.event_version.as_str()).collect();
        // cqrs-es renders the upcaster's target version in full.
        assert_eq!(
            read_versions,
            vec!["1.0", "1.0.0", "1.0.0", "1.0"],
            "{name}"
        );
        for event in &events[1..] {
            assert!(
                event.payload["Added"]["amount"].is_i64(),
                "{name}: {}",
                event.payload
            );
            assert!(event.payload["Added"].get("value").is_none(), "{name}");
        }
        assert_eq!(
            events[1].decode::<CounterEvent>().expect("decodes"),
            CounterEvent::Added { amount: 5 },
            "{name}"
        );

        // The log itself is unchanged, and without the upcaster the old events do not load.
        let versions = {
            let sql = "SELECT event_version FROM events ORDER BY global_position";
            on_read!(&db, pool => sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await)
                .expect("versions")
        };
        assert_eq!(versions, vec!["1.0", "0.9", "0.9", "1.0"], "{name}");
        let raw = read_all(&reader(&db), 4).await;
        assert_eq!(raw[1].payload, json!({"Added": {"value": 5}}), "{name}");
        let plain = EventStore::new(db.clone(), Upcasters::default());
        let failed = plain.load::<Counter>("c").await;
        assert!(
            matches!(failed, Err(StoreError::Serialization(_))),
            "{name}: {failed:?}"
        );
        db.close().await;
    }
}

backend_tests! {
    async fn cqrs_framework_runs_on_the_store_and_requires_an_organization(backend: TestBackend) {
        let name = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 4).await;
        let store = store(&db);
        let cqrs: CqrsFramework<Counter, PersistedEventStore<EventStore, Counter>> =
            CqrsFramework::new(
                PersistedEventStore::new_event_store(store.clone()),
                vec![],
                (),
            );
        let org = Uuid::new_v4();
        let person = Uuid::new_v4();
        let correlation = Uuid::new_v4();
        let metadata = HashMap::from([
            ("organization_id".to_owned(), org.to_string()),
            ("actor_kind".to_owned(), "person".to_owned()),
            ("actor_id".to_owned(), person.to_string()),
            ("correlation_id".to_owned(), correlation.to_string()),
            ("request_source".to_owned(), "cqrs-test".to_owned()),
        ]);
        cqrs.execute_with_metadata("via-cqrs", create("framework"), metadata.clone())
            .await
            .expect("create through cqrs-es");
        cqrs.execute_with_metadata("via-cqrs", add(&[2, 3]), metadata.clone())
            .await
            .expect("add through cqrs-es (loads the stored events)");
        let refused = cqrs
            .execute_with_metadata("via-cqrs", create("again"), metadata.clone())
            .await;
        assert!(
            matches!(
                refused,
                Err(cqrs_es::AggregateError::UserError(
                    CounterError::AlreadyExists
                ))
            ),
            "{name}: {refused:?}"
        );

        let events = read_all(&reader(&db), 3).await;
        assert_eq!(events.len(), 3, "{name}");
        assert_eq!(
            events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![1, 2, 3],
            "{name}"
        );
        for event in &events {
            assert_eq!(event.aggregate_id, "via-cqrs", "{name}");
            assert_eq!(event.metadata.organization_id, org, "{name}");
            assert_eq!(event.metadata.actor, Actor::person(person), "{name}");
            assert_eq!(event.metadata.correlation_id, correlation, "{name}");
            assert_eq!(event.metadata.request_source, "cqrs-test", "{name}");
        }
        let (counter, _, organization) = store.load::<Counter>("via-cqrs").await.expect("load");
        assert_eq!((counter.total, organization), (5, Some(org)), "{name}");

        // Without an organization nothing is stored.
        let mut anonymous = metadata.clone();
        anonymous.remove("organization_id");
        let failed = cqrs
            .execute_with_metadata("no-org", create("nobody's"), anonymous)
            .await;
        let error = failed.expect_err("an event without organization must not be stored");
        assert!(
            error.to_string().contains("organization_id"),
            "{name}: {error}"
        );
        assert!(sequences(&db, "no-org").await.is_empty(), "{name}");
        assert_eq!(event_count(&db).await, 3, "{name}");
        db.close().await;
    }
}

backend_tests! {
    /// Other processes (servers, the CLI) learn of an append through a NOTIFY sent after the
    /// commit, in its own transaction (inside the append's transaction it would hold
    /// PostgreSQL's global notification lock through the commit's fsync and serialize every
    /// concurrent append). A listener is woken, and by then the event is readable.
    #[backends(postgres)]
    async fn an_append_wakes_listeners_in_other_sessions_once_committed(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 4).await;
        let mut listener = sqlx::postgres::PgListener::connect(test_db.url())
            .await
            .expect("listener connects");
        listener.listen("chorus_events").await.expect("listen");
        let store = store(&db);
        store
            .execute::<Counter>(&ctx(Uuid::new_v4()), "c-1", create("one"), &())
            .await
            .expect("create");
        let woken = tokio::time::timeout(std::time::Duration::from_secs(10), listener.recv())
            .await
            .expect("a notification within 10 s")
            .expect("notification");
        assert_eq!(woken.channel(), "chorus_events");
        assert_eq!(
            event_count(&db).await,
            1,
            "the event is readable once notified"
        );
    }
}

/// An acknowledged command is on disk: SQLite syncs its log at every commit by default
/// (`synchronous = FULL`, 2), and only an explicit setting trades that for speed.
#[tokio::test]
async fn sqlite_commits_are_durable_by_default() {
    let test_db = TestDatabase::create(TestBackend::Sqlite).await;
    for (options, expected) in [
        (chorus_kernel::DbOptions::default(), 2),
        (
            chorus_kernel::DbOptions {
                sqlite_synchronous: chorus_kernel::SqliteDurability::Normal,
                ..chorus_kernel::DbOptions::default()
            },
            1,
        ),
    ] {
        let db =
            chorus_kernel::Db::connect(test_db.url(), &options, &chorus_kernel::db::migrations())
                .await
                .expect("connect");
        let chorus_kernel::Db::Sqlite(pools) = &db else {
            panic!("a SQLite url opens SQLite");
        };
        for pool in [&pools.write, &pools.read] {
            let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(pool)
                .await
                .expect("pragma");
            assert_eq!(synchronous, expected, "{options:?}");
        }
        db.close().await;
    }
}
