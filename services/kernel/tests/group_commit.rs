//! Group commit on every test backend: appends that arrive together commit together, each
//! keeping its own sequence check and idempotency record; a refused batch writes nothing
//! of its own and each of its commands gets its own outcome.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::TestBackend;
use chorus_kernel::{AppendError, CommandOutcome, EventStore, IdempotencyKey, NewEvent};
use common::*;
use uuid::Uuid;

fn key(key: &str, request: &str) -> Option<IdempotencyKey> {
    Some(IdempotencyKey {
        key: key.to_owned(),
        request: request.to_owned(),
    })
}

/// One append of the batch: its aggregate, expected sequence, events and idempotency key.
struct Append {
    aggregate: &'static str,
    expected: i64,
    events: Vec<NewEvent>,
    key: Option<IdempotencyKey>,
}

fn plain(aggregate: &'static str, expected: i64, events: Vec<NewEvent>) -> Append {
    Append {
        aggregate,
        expected,
        events,
        key: None,
    }
}

/// Runs `appends` at once, gathered into one batch; their outcomes in order.
async fn in_one_batch(
    store: &EventStore,
    org: Uuid,
    appends: Vec<Append>,
) -> Vec<Result<CommandOutcome, AppendError>> {
    store.gather_appends(appends.len());
    let handles: Vec<_> = appends
        .into_iter()
        .map(|append| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut ctx = ctx(org);
                ctx.idempotency = append.key;
                store
                    .append(
                        &ctx,
                        COUNTER,
                        append.aggregate,
                        append.expected,
                        &append.events,
                    )
                    .await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.expect("task"));
    }
    outcomes
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn appends_gathered_together_commit_in_one_transaction(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;
        let outcomes = in_one_batch(
            &store,
            org,
            vec![
                plain("a", 0, vec![added(1), added(2)]),
                plain("b", 0, vec![added(3)]),
                plain("c", 0, vec![added(4), added(5), added(6)]),
            ],
        )
        .await;
        let outcomes: Vec<CommandOutcome> = outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|e| panic!("{name}: every append commits: {e:?}")))
            .collect();
        let sequences_now: Vec<i64> = outcomes.iter().map(|o| o.sequence).collect();
        assert_eq!(sequences_now, vec![2, 1, 3], "{name}");
        for (outcome, aggregate) in outcomes.iter().zip(["a", "b", "c"]) {
            assert_eq!(outcome.aggregate_id, aggregate, "{name}");
            assert!(!outcome.replayed, "{name}");
            // The outcome names the aggregate's own last event.
            let last: i64 = scalar(
                &db,
                &format!(
                    "SELECT global_position FROM events WHERE aggregate_id = '{aggregate}' \
                     ORDER BY sequence DESC LIMIT 1"
                ),
            )
            .await;
            assert_eq!(outcome.position.global_position, last, "{name}");
        }
        assert_eq!(sequences(&db, "a").await, vec![1, 2], "{name}");
        assert_eq!(sequences(&db, "c").await, vec![1, 2, 3], "{name}");
        if backend == TestBackend::Postgres {
            // One transaction for all three (SQLite's transaction ids are all 0).
            let transactions = scalar(
                &db,
                "SELECT count(DISTINCT transaction_id)::bigint FROM events",
            )
            .await;
            assert_eq!(transactions, 1, "{name}: the batch committed as one");
        }
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn a_conflict_in_a_batch_fails_that_command_alone_and_writes_none_of_it(
        backend: TestBackend,
    ) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;
        store
            .append(&ctx(org), COUNTER, "taken", 0, &[added(1)])
            .await
            .expect("first append");
        let outcomes = in_one_batch(
            &store,
            org,
            vec![
                plain("a", 0, vec![added(2), added(2)]),
                // Decided on sequence 0, but "taken" is at 1: its first event collides,
                // its second and third would be new rows.
                plain("taken", 0, vec![added(100), added(100), added(100)]),
                plain("b", 0, vec![added(3)]),
            ],
        )
        .await;
        assert!(
            matches!(outcomes[1], Err(AppendError::Conflict)),
            "{name}: the stale append conflicts: {:?}",
            outcomes[1]
        );
        for index in [0, 2] {
            assert!(outcomes[index].is_ok(), "{name}: {:?}", outcomes[index]);
        }
        assert_eq!(sequences(&db, "a").await, vec![1, 2], "{name}");
        assert_eq!(sequences(&db, "b").await, vec![1], "{name}");
        assert_eq!(sequences(&db, "taken").await, vec![1], "{name}: half-written");
        let loser = scalar(
            &db,
            "SELECT count(*) FROM events WHERE payload LIKE '%100%'",
        )
        .await;
        assert_eq!(loser, 0, "{name}: the stale append's events were stored");
        assert_eq!(event_count(&db).await, 4, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn idempotency_keys_in_a_batch_are_recorded_replayed_and_refused(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;
        let mut first = ctx(org);
        first.idempotency = key("used", "assign x");
        let earlier = store
            .append(&first, COUNTER, "earlier", 0, &[added(1)])
            .await
            .expect("first append");
        let keyed = |aggregate, idempotency| Append {
            aggregate,
            expected: 0,
            events: vec![added(2)],
            key: idempotency,
        };
        let outcomes = in_one_batch(
            &store,
            org,
            vec![
                keyed("fresh", key("new", "assign y")),
                // A retry of the earlier request: answered with its outcome.
                keyed("retry", key("used", "assign x")),
                // The earlier key with another request: refused.
                keyed("reuse", key("used", "assign z")),
                keyed("unkeyed", None),
            ],
        )
        .await;
        let fresh = outcomes[0].as_ref().expect("the fresh keyed append commits");
        match &outcomes[1] {
            Err(AppendError::Replayed(outcome)) => assert_eq!(
                (&outcome.aggregate_id, outcome.position, outcome.sequence),
                (&earlier.aggregate_id, earlier.position, earlier.sequence),
                "{name}"
            ),
            other => panic!("{name}: the retry replays, got {other:?}"),
        }
        assert!(
            matches!(outcomes[2], Err(AppendError::IdempotencyKeyReused)),
            "{name}: {:?}",
            outcomes[2]
        );
        assert!(outcomes[3].is_ok(), "{name}: {:?}", outcomes[3]);
        assert_eq!(sequences(&db, "retry").await, Vec::<i64>::new(), "{name}");
        assert_eq!(sequences(&db, "reuse").await, Vec::<i64>::new(), "{name}");

        // The batch's own record answers a later retry with the batch's outcome.
        let replay = store
            .replay_of(org, &IdempotencyKey {
                key: "new".into(),
                request: "assign y".into(),
            })
            .await
            .expect("readable")
            .expect("recorded");
        assert_eq!(
            (&replay.aggregate_id, replay.position, replay.sequence),
            (&fresh.aggregate_id, fresh.position, fresh.sequence),
            "{name}"
        );
        assert!(replay.replayed, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn keyed_appends_without_conflicts_record_every_key_in_one_batch(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;
        let appends = ["k-a", "k-b", "k-c"]
            .into_iter()
            .map(|aggregate| Append {
                aggregate,
                expected: 0,
                events: vec![added(1), added(1)],
                key: key(aggregate, "same request text"),
            })
            .collect();
        let outcomes = in_one_batch(&store, org, appends).await;
        for (outcome, aggregate) in outcomes.iter().zip(["k-a", "k-b", "k-c"]) {
            let outcome = outcome.as_ref().expect("commits");
            let replay = store
                .replay_of(org, &IdempotencyKey {
                    key: aggregate.into(),
                    request: "same request text".into(),
                })
                .await
                .expect("readable")
                .expect("recorded");
            assert_eq!(
                (&replay.aggregate_id, replay.position, replay.sequence),
                (&outcome.aggregate_id, outcome.position, outcome.sequence),
                "{name}: {aggregate}"
            );
        }
        if backend == TestBackend::Postgres {
            let transactions = scalar(
                &db,
                "SELECT count(DISTINCT transaction_id)::bigint FROM events",
            )
            .await;
            assert_eq!(transactions, 1, "{name}: the batch committed as one");
        }
        db.close().await;
    }
}
