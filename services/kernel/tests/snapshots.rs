//! Snapshots and retries for aggregates that opt in (`ExecutePolicy`): a snapshot is
//! taken every N events and loaded with the events after it; one that does not decode is
//! ignored; a command that lost the sequence race is decided again on the fresh state,
//! and the others (default policy) still get CONFLICT.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::TestBackend;
use chorus_kernel::{on_read, CommandError, ExecutePolicy, IdempotencyKey};
use common::*;
use uuid::Uuid;

const EVERY_FOUR: ExecutePolicy = ExecutePolicy {
    snapshot_every: Some(4),
    retries: 8,
};

/// The snapshot row of counter `id`: (sequence, state).
async fn snapshot(db: &chorus_kernel::Db, id: &str) -> Option<(i64, String)> {
    let sql = "SELECT sequence, state FROM aggregate_snapshots \
               WHERE aggregate_type = 'counter' AND aggregate_id = $1";
    on_read!(db, pool => sqlx::query_as::<_, (i64, String)>(sql).bind(id).fetch_optional(pool).await)
        .expect("snapshots are readable")
}

backend_tests! {
    async fn snapshots_are_taken_every_n_events_and_loaded_with_the_events_after(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        store
            .execute_with::<Counter>(&ctx(org), "c", create("c"), &(), EVERY_FOUR)
            .await
            .expect("create");
        for amount in 1..=6 {
            store
                .execute_with::<Counter>(&ctx(org), "c", add(&[amount]), &(), EVERY_FOUR)
                .await
                .expect("add");
        }
        // Seven events: one snapshot at 4; the next is due at 8.
        let (sequence, state) = snapshot(&db, "c").await.expect("a snapshot was taken");
        assert_eq!(sequence, 4, "{name}: {state}");
        let replayed: (Counter, i64, Option<Uuid>) = store.load("c").await.expect("load");
        let snapshotted: (Counter, i64, Option<Uuid>) =
            store.load_snapshotted("c").await.expect("load from snapshot");
        assert_eq!(snapshotted, replayed, "{name}");
        assert_eq!(replayed.0.total, 21, "{name}");
        assert_eq!((replayed.1, replayed.2), (7, Some(org)), "{name}");

        // The load really starts from the snapshot: a planted state shows through, with
        // the three events after it applied on top.
        let planted = Counter { name: Some("planted".into()), total: 1000, additions: 0 };
        let json = serde_json::to_string(&planted).expect("serialize");
        exec(&db, &format!("UPDATE aggregate_snapshots SET state = '{json}'"))
            .await
            .expect("plant");
        let (from_planted, sequence, _): (Counter, i64, Option<Uuid>) =
            store.load_snapshotted("c").await.expect("load from planted");
        assert_eq!((from_planted.total, from_planted.additions, sequence), (1000 + 5 + 6 + 4, 3, 7), "{name}");

        // A snapshot that does not decode is ignored: the events give the state.
        exec(&db, "UPDATE aggregate_snapshots SET state = 'not an aggregate'")
            .await
            .expect("corrupt");
        let (ignored, _, _): (Counter, i64, Option<Uuid>) =
            store.load_snapshotted("c").await.expect("load past a bad snapshot");
        assert_eq!(ignored, replayed.0, "{name}");
        // The next command still decides on the true state and, 8 - 4 events after the
        // snapshot, replaces it.
        store
            .execute_with::<Counter>(&ctx(org), "c", add(&[100]), &(), EVERY_FOUR)
            .await
            .expect("add past a bad snapshot");
        let (sequence, state) = snapshot(&db, "c").await.expect("replaced");
        let fresh: Counter = serde_json::from_str(&state).expect("decodes");
        assert_eq!((sequence, fresh.total), (8, 121), "{name}");

        assert_eq!(store.discard_snapshots("counter").await.expect("discard"), 1, "{name}");
        assert!(snapshot(&db, "c").await.is_none(), "{name}");
        let (after_discard, _, _): (Counter, i64, Option<Uuid>) =
            store.load_snapshotted("c").await.expect("load without a snapshot");
        assert_eq!(after_discard.total, 121, "{name}");

        // Another organization's command is refused on a snapshotted aggregate too.
        let foreign = store
            .execute_with::<Counter>(&ctx(Uuid::new_v4()), "c", add(&[1]), &(), EVERY_FOUR)
            .await;
        assert!(matches!(foreign, Err(CommandError::ForeignAggregate)), "{name}: {foreign:?}");
    }

    async fn a_lost_race_is_decided_again_only_when_the_policy_says_so(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 8).await;
        let store = Arc::new(store);
        for id in ["retried", "plain"] {
            store.execute::<Counter>(&ctx(org), id, create(id), &()).await.expect("create");
        }

        // Eight commands decided on the same state: with retries, every one lands.
        store.hold_decided_commands(8);
        let racers = (1..=8).map(|amount| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .execute_with::<Counter>(&ctx(org), "retried", add(&[amount]), &(), EVERY_FOUR)
                    .await
            })
        });
        let outcomes = futures::future::join_all(racers).await;
        store.hold_decided_commands(0);
        for outcome in &outcomes {
            assert!(matches!(outcome, Ok(Ok(_))), "{name}: {outcome:?}");
        }
        let (counter, sequence, _): (Counter, i64, _) = store.load("retried").await.expect("load");
        assert_eq!((counter.total, counter.additions, sequence), (36, 8, 9), "{name}");

        // Without the policy the loser of the same race gets CONFLICT.
        let (ctx_a, ctx_b) = (ctx(org), ctx(org));
        store.hold_decided_commands(2);
        let (a, b) = tokio::join!(
            store.execute::<Counter>(&ctx_a, "plain", add(&[1]), &()),
            store.execute::<Counter>(&ctx_b, "plain", add(&[2]), &()),
        );
        store.hold_decided_commands(0);
        let conflicts = [&a, &b]
            .iter()
            .filter(|r| matches!(r, Err(CommandError::Conflict)))
            .count();
        assert_eq!(conflicts, 1, "{name}: {a:?} / {b:?}");
        assert_eq!(sequences(&db, "plain").await, vec![1, 2], "{name}");
    }

    async fn an_idempotent_retry_still_replays_without_the_up_front_lookup(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        let key = IdempotencyKey { key: "k".into(), request: "add 5".into() };
        let keyed = ctx(org).with_idempotency(Some(key.clone()));
        store.execute::<Counter>(&ctx(org), "c", create("c"), &()).await.expect("create");
        let first = store.execute::<Counter>(&keyed, "c", add(&[5]), &()).await.expect("first");
        // The retry's command would succeed again on today's state: the key's record
        // must roll it back and answer with the first outcome.
        let again = store.execute::<Counter>(&keyed, "c", add(&[5]), &()).await.expect("retry");
        assert!(again.replayed, "{name}: {again:?}");
        assert_eq!((again.sequence, again.position), (first.sequence, first.position), "{name}");
        // A refused retry (the counter is created already) answers with the first outcome.
        let create_key = IdempotencyKey { key: "create".into(), request: "create".into() };
        let created_ctx = ctx(org).with_idempotency(Some(create_key));
        store.execute::<Counter>(&created_ctx, "d", create("d"), &()).await.expect("create d");
        let replay = store.execute::<Counter>(&created_ctx, "d", create("d"), &()).await.expect("replay");
        assert!(replay.replayed, "{name}");
        // The same key for another request is refused, and nothing was written.
        let reused = ctx(org).with_idempotency(Some(IdempotencyKey { key: "k".into(), request: "other".into() }));
        let refused = store.execute::<Counter>(&reused, "c", add(&[7]), &()).await;
        assert!(matches!(refused, Err(CommandError::IdempotencyKeyReused)), "{name}: {refused:?}");
        assert_eq!(sequences(&db, "c").await, vec![1, 2], "{name}");
    }
}
