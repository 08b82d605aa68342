//! The global log and the projection runtime on every test backend: commit-safe order
//! under concurrent writers, the PostgreSQL horizon, rebuilds, racing projectors and
//! read-your-writes waits.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "log_projection/quarantine.rs"]
mod quarantine;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{Db, EventStore, LogPosition, Projector, StoreError};
use common::*;
use uuid::Uuid;

async fn seen_positions(db: &Db) -> BTreeSet<i64> {
    column(db, "SELECT global_position FROM seen")
        .await
        .into_iter()
        .collect()
}

/// Halfway through, writers wait until the tailing projector has applied something, so
/// tailing and writing overlap however the scheduler (or other tests) interleave things.
async fn wait_for_tailing(tailed: &AtomicU64) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    while tailed.load(Ordering::Acquire) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the projector never tailed the log"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A writer that appends through the store: `appends` commands of two events each.
async fn fast_writer(
    store: EventStore,
    org: Uuid,
    aggregate: String,
    appends: i64,
    tailed: Arc<AtomicU64>,
) {
    for i in 0..appends {
        if i == appends / 2 {
            wait_for_tailing(&tailed).await;
        }
        store
            .append(&ctx(org), COUNTER, &aggregate, i * 2, &[added(1), added(1)])
            .await
            .expect("fast append");
    }
}

/// A writer that takes a position, keeps its transaction open for a few milliseconds while
/// others commit higher positions, then adds more events and commits.
async fn slow_writer(
    db: Db,
    org: Uuid,
    aggregate: String,
    transactions: i64,
    per_tx: i64,
    tailed: Arc<AtomicU64>,
) {
    let mut sequence = 0;
    for i in 0..transactions {
        if i == transactions / 2 {
            wait_for_tailing(&tailed).await;
        }
        let mut tx = db.begin().await.expect("begin");
        sequence += 1;
        insert_raw(&mut tx, org, &aggregate, sequence, 1).await;
        let pause = u64::try_from(1 + (i * 7 + aggregate.len() as i64) % 4).expect("positive");
        tokio::time::sleep(Duration::from_millis(pause)).await;
        for _ in 1..per_tx {
            sequence += 1;
            insert_raw(&mut tx, org, &aggregate, sequence, 1).await;
        }
        tx.commit().await.expect("commit");
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn tailing_projector_sees_every_event_exactly_once_under_concurrent_writers(
        backend: TestBackend,
    ) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 20).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");

        if backend == TestBackend::Sqlite {
            // SQLite serializes writers, so position order is commit order: a simple check.
            for i in 0..5 {
                store
                    .append(
                        &ctx(org),
                        COUNTER,
                        &format!("s-{}", i % 2),
                        (i / 2) * 2,
                        &[added(1), added(2)],
                    )
                    .await
                    .expect("append");
            }
            let events = read_all(&reader(&db), 10).await;
            let positions: Vec<i64> = events.iter().map(|e| e.position.global_position).collect();
            let mut sorted = positions.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(positions, sorted, "{name}: log order is position order");
            assert_eq!(positions.len(), 10, "{name}");
            assert!(
                events.iter().all(|e| e.position.transaction_id == 0),
                "{name}"
            );
            assert_eq!(
                reader(&db).head().await.expect("head"),
                events.last().expect("events").position,
                "{name}"
            );
            let projector = projector(&db, vec![Arc::new(SeenProjection)]).await;
            assert_eq!(projector.catch_up().await.expect("catch up"), 10, "{name}");
            assert_eq!(
                seen_positions(&db).await,
                all_positions(&db).await,
                "{name}"
            );
            db.close().await;
            return;
        }

        // PostgreSQL: positions are handed out at insert time and commit out of order.
        let projector = projector(&db, vec![Arc::new(SeenProjection)]).await;
        let done = Arc::new(AtomicBool::new(false));
        let tailed = Arc::new(AtomicU64::new(0));
        let tailer = {
            let projector = projector.clone();
            let done = done.clone();
            let tailed = tailed.clone();
            tokio::spawn(async move {
                while !done.load(Ordering::Acquire) {
                    let read = projector
                        .catch_up()
                        .await
                        .expect("catch-up while writers run");
                    tailed.fetch_add(read, Ordering::AcqRel);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
        };
        // A feed-like tailer too: it keeps its place in memory and reads from there.
        let feed = {
            let log = reader(&db);
            let done = done.clone();
            tokio::spawn(async move {
                let mut position = LogPosition::START;
                let mut seen = Vec::new();
                loop {
                    let finished = done.load(Ordering::Acquire);
                    let events = log.read_after(position, 500).await.expect("feed read");
                    for event in &events {
                        position = event.position;
                        seen.push(event.position.global_position);
                    }
                    if finished && events.is_empty() {
                        return seen;
                    }
                    tokio::task::yield_now().await;
                }
            })
        };
        let writers: Vec<_> = (0..16)
            .map(|w| {
                let aggregate = format!("w-{w}");
                let tailed = tailed.clone();
                if w % 4 == 3 {
                    tokio::spawn(slow_writer(db.clone(), org, aggregate, 50, 4, tailed))
                } else {
                    tokio::spawn(fast_writer(store.clone(), org, aggregate, 100, tailed))
                }
            })
            .collect();
        for writer in writers {
            writer.await.expect("writer");
        }
        done.store(true, Ordering::Release);
        tailer.await.expect("tailer");
        catch_up_until_complete(&projector, &db, "seen").await;
        let fed: BTreeSet<i64> = feed.await.expect("feed").into_iter().collect();
        let all = all_positions(&db).await;
        let skipped: Vec<_> = all.difference(&fed).take(10).collect();
        assert!(
            skipped.is_empty(),
            "{name}: the feed skipped events, e.g. {skipped:?}"
        );

        let events = all_positions(&db).await;
        assert_eq!(events.len(), 16 * 200, "{name}");
        let seen = seen_positions(&db).await;
        let missed: Vec<_> = events.difference(&seen).take(10).collect();
        assert!(
            missed.is_empty(),
            "{name}: the projector skipped events, e.g. {missed:?}"
        );
        assert_eq!(seen, events, "{name}");
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM seen").await,
            16 * 200,
            "{name}"
        );
        // The run did produce out-of-order commits: in commit-safe order, positions go back.
        let inversions = scalar(
            &db,
            "SELECT COUNT(*) FROM (SELECT global_position, LAG(global_position) OVER \
             (ORDER BY transaction_id, global_position) AS previous FROM events) t \
             WHERE previous > global_position",
        )
        .await;
        assert!(
            inversions > 0,
            "{name}: no interleaved transactions; the test proved nothing"
        );
        let checkpoint = projector.checkpoints().await.expect("checkpoints")[0];
        assert_eq!(
            checkpoint,
            reader(&db).head().await.expect("head"),
            "{name}"
        );
        db.close().await;
    }
}

backend_tests! {
    #[backends(postgres)]
    async fn reader_holds_back_commits_behind_an_open_lower_transaction(backend: TestBackend) {
        // PostgreSQL only; SQLite has one writer at a time: a lower position cannot commit late.
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        let log = reader(&db);

        // A takes a position and stays open; B takes a higher one and commits.
        let mut tx_a = db.begin().await.expect("begin A");
        let position_a = insert_raw(&mut tx_a, org, "a", 1, 1).await;
        let outcome_b = store
            .append(&ctx(org), COUNTER, "b", 0, &[added(2)])
            .await
            .expect("B commits");
        let position_b = outcome_b.position.global_position;
        assert!(position_a < position_b);

        // A naive `global_position > checkpoint` reader already sees B, and would move its
        // checkpoint past A's position for good.
        let naive = column(
            &db,
            "SELECT global_position FROM events WHERE global_position > 0",
        )
        .await;
        assert_eq!(naive, vec![position_b], "{name}: the hazard did not arise");

        // The log reader does not hand out B while A may still commit below it.
        for _ in 0..3 {
            let early = log.read_after(LogPosition::START, 100).await.expect("read");
            assert!(
                early.is_empty(),
                "{name}: returned {early:?} past an open transaction"
            );
            assert_eq!(
                log.head().await.expect("head"),
                LogPosition::START,
                "{name}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let projector = projector(&db, vec![Arc::new(SeenProjection)]).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");
        projector.catch_up().await.expect("catch up");
        assert!(seen_positions(&db).await.is_empty(), "{name}");

        tx_a.commit().await.expect("commit A");
        let events = read_all(&log, 2).await;
        let order: Vec<i64> = events.iter().map(|e| e.position.global_position).collect();
        assert_eq!(
            order,
            vec![position_a, position_b],
            "{name}: A first, then B"
        );
        assert!(events[0].position < events[1].position, "{name}");
        assert_eq!(events[1].position, outcome_b.position, "{name}");
        catch_up_until_complete(&projector, &db, "seen").await;
        assert_eq!(
            seen_positions(&db).await,
            BTreeSet::from([position_a, position_b]),
            "{name}"
        );
        db.close().await;
    }
}

backend_tests! {
    /// The horizon waits only for transactions that can still append events: a long write
    /// transaction in another database of the same server, or one in this database that
    /// writes no events, holds nothing back (managed servers host many databases).
    #[backends(postgres)]
    async fn transactions_that_cannot_append_events_do_not_hold_the_log_back(backend: TestBackend) {
        // PostgreSQL only; SQLite has no horizon: writers are serialized.
        let name = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 4).await;
        let other_test_db = TestDatabase::create(backend).await;
        let other_db = connect(&other_test_db, 2).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");
        let store = store(&db);
        let log = reader(&db);
        let org = Uuid::new_v4();

        // Both hold a transaction id from before the events below, and stay open.
        let mut foreign = other_db.begin().await.expect("begin in another database");
        chorus_kernel::on_tx!(&mut foreign, conn => {
            sqlx::query("INSERT INTO projection_checkpoints VALUES ('elsewhere', 0, 0)")
                .execute(conn)
                .await
                .expect("a write in another database");
        });
        let mut local = db.begin().await.expect("begin a non-appending transaction");
        chorus_kernel::on_tx!(&mut local, conn => {
            sqlx::query("INSERT INTO seen (global_position) VALUES (-1)")
                .execute(conn)
                .await
                .expect("a write to a read model");
        });
        let outcome = store
            .append(&ctx(org), COUNTER, "c", 0, &[added(1)])
            .await
            .expect("append");
        let events = read_all(&log, 1).await;
        assert_eq!(
            events.last().map(|e| e.position),
            Some(outcome.position),
            "{name}: the reader hands out the committed event at once"
        );
        assert!(
            log.head().await.expect("head") >= outcome.position,
            "{name}"
        );
        let projector = projector(&db, vec![Arc::new(SeenProjection)]).await;
        projector
            .catch_up_to(outcome.position, SETTLE)
            .await
            .expect("the projection reaches the event while both stay open");
        foreign.rollback().await.expect("rollback");
        local.rollback().await.expect("rollback");
        db.close().await;
        other_db.close().await;
    }
}

backend_tests! {
    async fn rebuild_replays_the_log_into_emptied_read_models(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");
        exec(&db, ROWS_TABLE).await.expect("create projected");
        for i in 0..6 {
            let id = format!("c-{}", i % 3);
            if i < 3 {
                store
                    .execute::<Counter>(&ctx(org), &id, create(&id), &())
                    .await
                    .expect("create");
            } else {
                store
                    .execute::<Counter>(&ctx(org), &id, add(&[i, i + 1]), &())
                    .await
                    .expect("add");
            }
        }
        let total = event_count(&db).await;
        assert_eq!(total, 9, "{name}");
        let projector = projector(
            &db,
            vec![Arc::new(SeenProjection), Arc::new(RowsProjection)],
        )
        .await;
        catch_up_until_complete(&projector, &db, "projected").await;
        catch_up_until_complete(&projector, &db, "seen").await;
        let snapshot = projected_rows(&db).await;
        assert_eq!(snapshot.len(), 9, "{name}");
        assert_eq!(
            snapshot.iter().map(|r| r.0).collect::<BTreeSet<_>>(),
            all_positions(&db).await,
            "{name}"
        );

        // Damage both read models; rebuilding one projection repairs only that one.
        exec(
            &db,
            "INSERT INTO projected VALUES (1000000, 'junk', 1, 'Junk', '{}')",
        )
        .await
        .expect("junk row");
        exec(&db, "DELETE FROM projected WHERE sequence = 1")
            .await
            .expect("lose rows");
        exec(&db, "INSERT INTO seen VALUES (1000000)")
            .await
            .expect("junk row");
        assert_ne!(projected_rows(&db).await, snapshot);
        let replayed = projector
            .rebuild(Some("projected"))
            .await
            .expect("rebuild one");
        assert!(replayed <= 9, "{name}");
        catch_up_until_complete(&projector, &db, "projected").await;
        assert_eq!(
            projected_rows(&db).await,
            snapshot,
            "{name}: rebuilt read model differs"
        );
        assert!(
            seen_positions(&db).await.contains(&1_000_000),
            "{name}: other model touched"
        );

        // Rebuilding everything resets the other one as well.
        let replayed = projector.rebuild(None).await.expect("rebuild all");
        assert!(replayed <= 9, "{name}");
        catch_up_until_complete(&projector, &db, "projected").await;
        catch_up_until_complete(&projector, &db, "seen").await;
        assert_eq!(projected_rows(&db).await, snapshot, "{name}");
        assert_eq!(
            seen_positions(&db).await,
            all_positions(&db).await,
            "{name}"
        );
        let head = reader(&db).head().await.expect("head");
        assert_eq!(
            projector.checkpoints().await.expect("checkpoints"),
            vec![head, head],
            "{name}"
        );

        let unknown = projector.rebuild(Some("unknown")).await;
        assert!(
            matches!(&unknown, Err(StoreError::UnknownProjection(n)) if n == "unknown"),
            "{name}: {unknown:?}"
        );
        assert_eq!(projected_rows(&db).await, snapshot, "{name}");
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn racing_projectors_apply_every_event_exactly_once(backend: TestBackend) {
        let name = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        // Two independent connections, as two server processes would have.
        let db_one = connect(&test_db, 4).await;
        let db_two = connect(&test_db, 4).await;
        exec(&db_one, SEEN_TABLE).await.expect("create seen");
        let store = store(&db_one);
        let org = Uuid::new_v4();
        let one = projector(&db_one, vec![Arc::new(SeenProjection)]).await;
        let two = projector(&db_two, vec![Arc::new(SeenProjection)]).await;

        let done = Arc::new(AtomicBool::new(false));
        let tail = |projector: Projector| {
            let done = done.clone();
            tokio::spawn(async move {
                let mut read = 0;
                while !done.load(Ordering::Acquire) {
                    read += projector.catch_up().await?;
                }
                Ok::<u64, StoreError>(read)
            })
        };
        let tail_one = tail(one.clone());
        let tail_two = tail(two.clone());
        for i in 0..150 {
            store
                .append(
                    &ctx(org),
                    COUNTER,
                    &format!("c-{}", i % 5),
                    (i / 5) * 2,
                    &[added(1), added(1)],
                )
                .await
                .expect("append");
        }
        // Both also catch up at the same moment, many times.
        for i in 0..20 {
            store
                .append(&ctx(org), COUNTER, &format!("d-{i}"), 0, &[added(1)])
                .await
                .expect("append");
            let (a, b) = tokio::join!(one.catch_up(), two.catch_up());
            a.expect("projector one");
            b.expect("projector two");
        }
        done.store(true, Ordering::Release);
        tail_one
            .await
            .expect("task")
            .expect("projector one never fails");
        tail_two
            .await
            .expect("task")
            .expect("projector two never fails");
        catch_up_until_complete(&one, &db_one, "seen").await;

        assert_eq!(event_count(&db_one).await, 320, "{name}");
        assert_eq!(
            seen_positions(&db_one).await,
            all_positions(&db_one).await,
            "{name}"
        );
        assert_eq!(
            scalar(&db_one, "SELECT COUNT(*) FROM seen").await,
            320,
            "{name}"
        );
        assert_eq!(
            one.checkpoints().await.expect("checkpoints"),
            two.checkpoints().await.expect("checkpoints"),
            "{name}"
        );
        db_two.close().await;
        db_one.close().await;
    }
}

backend_tests! {
    async fn wait_for_returns_once_read_models_include_the_position(backend: TestBackend) {
        let Fixture { name, test_db: _test_db, db, store, org } = Fixture::new(backend, 4).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");
        let projector = projector(&db, vec![Arc::new(SeenProjection)]).await;

        let (shutdown, shutdown_rx) = tokio::sync::watch::channel(false);
        let running = projector.spawn(
            store.subscribe_appends(),
            shutdown_rx,
            Duration::from_millis(100),
        );
        for i in 0..5 {
            let id = format!("c-{i}");
            let outcome = store
                .execute::<Counter>(&ctx(org), &id, create(&id), &())
                .await
                .expect("create");
            projector
                .wait_for(outcome.position, Duration::from_secs(5))
                .await
                .expect("the running projector reaches the position");
            assert!(
                seen_positions(&db)
                    .await
                    .contains(&outcome.position.global_position),
                "{name}: wait_for returned before the read model had the event"
            );
        }
        shutdown.send(true).expect("projector listens");
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("projector stops on shutdown")
            .expect("projector task");

        // Nobody projects any more: waiting for a new position times out.
        let outcome = store
            .execute::<Counter>(&ctx(org), "late", create("late"), &())
            .await
            .expect("create");
        let waited = projector
            .wait_for(outcome.position, Duration::from_millis(300))
            .await;
        assert!(
            matches!(waited, Err(StoreError::ConsistencyTimeout(p)) if p == outcome.position.global_position),
            "{name}: {waited:?}"
        );
        assert!(
            !seen_positions(&db)
                .await
                .contains(&outcome.position.global_position),
            "{name}"
        );
        db.close().await;
    }
}

backend_tests! {
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn rebuild_waits_for_a_batch_another_projector_is_applying(backend: TestBackend) {
        let name = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        // The running server's projector and a `projections rebuild` from another process.
        let db_server = connect(&test_db, 4).await;
        let db_cli = connect(&test_db, 4).await;
        exec(&db_server, SEEN_TABLE).await.expect("create seen");
        let store = store(&db_server);
        let org = Uuid::new_v4();
        for i in 0..3 {
            store
                .append(&ctx(org), COUNTER, "c", i * 2, &[added(1), added(1)])
                .await
                .expect("append");
        }
        let gated = GatedSeenProjection::default();
        let server = projector(&db_server, vec![Arc::new(gated.clone())]).await;
        let cli = projector(&db_cli, vec![Arc::new(SeenProjection)]).await;

        // The server is in the middle of a batch: checkpoint claimed, rows written, not
        // committed.
        let batch = {
            let server = server.clone();
            tokio::spawn(async move {
                // (On PostgreSQL the events may wait behind other tests' transactions.)
                loop {
                    let read = server.catch_up().await?;
                    if read > 0 {
                        return Ok::<u64, StoreError>(read);
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        tokio::time::timeout(SETTLE, gated.entered.notified())
            .await
            .expect("the server projector starts its batch");
        // The rebuild starts now and must not reset underneath that batch.
        let rebuild = {
            let cli = cli.clone();
            tokio::spawn(async move { cli.rebuild(Some("seen")).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        gated.open();
        batch
            .await
            .expect("task")
            .expect("the server's batch commits");
        let replayed = rebuild
            .await
            .expect("task")
            .unwrap_or_else(|e| panic!("{name}: rebuild during a batch failed: {e}"));
        assert!(replayed <= 6, "{name}");

        catch_up_until_complete(&cli, &db_cli, "seen").await;
        assert_eq!(
            seen_positions(&db_server).await,
            all_positions(&db_server).await,
            "{name}"
        );
        assert_eq!(
            scalar(&db_server, "SELECT COUNT(*) FROM seen").await,
            6,
            "{name}"
        );
        // And the server keeps projecting afterwards.
        store
            .append(&ctx(org), COUNTER, "c", 6, &[added(1)])
            .await
            .expect("append");
        catch_up_until_complete(&server, &db_server, "seen").await;
        assert_eq!(
            seen_positions(&db_server).await,
            all_positions(&db_server).await,
            "{name}"
        );
        db_cli.close().await;
        db_server.close().await;
    }
}

backend_tests! {
    /// On PostgreSQL exactly one spawned projector leads; the other follows the checkpoints
    /// (so `wait_for` works on it) and takes over when the leader goes away.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn one_projector_leads_and_a_follower_takes_over(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db_a = connect(&test_db, 4).await;
        let db_b = connect(&test_db, 4).await;
        exec(&db_a, SEEN_TABLE).await.expect("create seen");
        let store = store(&db_a);
        let a = projector(&db_a, vec![Arc::new(SeenProjection)]).await;
        let b = projector(&db_b, vec![Arc::new(SeenProjection)]).await;
        let (stop_a, stop_a_rx) = tokio::sync::watch::channel(false);
        let (stop_b, stop_b_rx) = tokio::sync::watch::channel(false);
        let poll = Duration::from_millis(50);
        let task_a = a.spawn(store.subscribe_appends(), stop_a_rx, poll);
        let task_b = b.spawn(store.subscribe_appends(), stop_b_rx, poll);

        let deadline = tokio::time::Instant::now() + SETTLE;
        while !(a.is_leader() || b.is_leader()) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "nobody took the lead"
            );
            tokio::time::sleep(poll).await;
        }
        tokio::time::sleep(poll * 4).await;
        assert!(
            a.is_leader() != b.is_leader(),
            "exactly one projector leads"
        );
        let (leader, follower, stop_leader, leader_task, stop_follower, follower_task) =
            if a.is_leader() {
                (a, b, stop_a, task_a, stop_b, task_b)
            } else {
                (b, a, stop_b, task_b, stop_a, task_a)
            };

        let org = Uuid::now_v7();
        let first = store
            .append(
                &ctx(org),
                "counter",
                &Uuid::now_v7().to_string(),
                0,
                &[added(1)],
            )
            .await
            .expect("append");
        follower
            .wait_for(first.position, SETTLE)
            .await
            .expect("the follower sees the leader's progress");

        // The leader stops: its lock session closes and the follower takes over.
        stop_leader.send_replace(true);
        leader_task.await.expect("leader stops");
        drop(leader);
        let deadline = tokio::time::Instant::now() + SETTLE;
        while !follower.is_leader() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the follower never took over"
            );
            tokio::time::sleep(poll).await;
        }
        let second = store
            .append(
                &ctx(org),
                "counter",
                &Uuid::now_v7().to_string(),
                0,
                &[added(2)],
            )
            .await
            .expect("append");
        follower
            .wait_for(second.position, SETTLE)
            .await
            .expect("the new leader applies new events");
        assert_eq!(
            column(&db_a, "SELECT global_position FROM seen ORDER BY 1").await,
            vec![
                first.position.global_position,
                second.position.global_position
            ]
        );
        stop_follower.send_replace(true);
        follower_task.await.expect("follower stops");
    }
}

backend_tests! {
    /// `rebuild_exclusive` (the operator's command) beside a running projector that leads:
    /// on SQLite it refuses (it would empty the read models under a live server) and runs
    /// once the server is gone; on PostgreSQL it replays into shadow tables and swaps them
    /// in while the server keeps leading (`rebuild_shadow.rs` holds it half-way).
    async fn operator_rebuild_beside_a_leading_server(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 4).await;
        exec(&db, SEEN_TABLE).await.expect("create seen");
        let store = store(&db);
        store
            .append(&ctx(Uuid::new_v4()), COUNTER, "c", 0, &[added(1), added(2)])
            .await
            .expect("append");
        let leader = projector(&db, vec![Arc::new(SeenProjection)]).await;
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let task = leader.spawn(
            store.subscribe_appends(),
            stop_rx,
            Duration::from_millis(50),
        );
        let deadline = tokio::time::Instant::now() + SETTLE;
        while !leader.is_leader() {
            assert!(tokio::time::Instant::now() < deadline, "no leader");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let operator = projector(&db, vec![Arc::new(SeenProjection)]).await;
        if backend == TestBackend::Postgres {
            operator
                .rebuild_exclusive(None)
                .await
                .expect("a PostgreSQL rebuild runs beside the server");
            assert!(leader.is_leader(), "the server still leads");
            assert_eq!(seen_positions(&db).await, all_positions(&db).await);
            stop.send_replace(true);
            task.await.expect("leader stops");
            return;
        }
        assert!(matches!(
            operator.rebuild_exclusive(None).await,
            Err(StoreError::ProjectorBusy)
        ));
        stop.send_replace(true);
        task.await.expect("leader stops");
        drop(leader);
        // With the server gone the operator may rebuild.
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            match operator.rebuild_exclusive(None).await {
                Ok(_) => break,
                Err(StoreError::ProjectorBusy) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => panic!("rebuild failed: {error}"),
            }
        }
    }
}

#[tokio::test]
async fn in_memory_sqlite_is_refused_with_a_clear_error() {
    let result = chorus_kernel::Db::connect(
        "sqlite::memory:",
        &chorus_kernel::DbOptions::default(),
        &chorus_kernel::db::migrations(),
    )
    .await;
    assert!(matches!(result, Err(StoreError::InMemorySqlite)));
}

backend_tests! {
    /// Many writers committing at once, and a reader that never rests: commits end in steps
    /// (a transaction leaves the running set, then releases its locks), and a reader must
    /// not take a committing writer for one that writes no events.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn a_reader_that_never_rests_misses_nothing_while_64_writers_commit(
        backend: TestBackend,
    ) {
        // PostgreSQL only; SQLite serializes writers.
        let name = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        // Durable commits, as in production: more transactions are inside their commit at
        // any moment.
        let setup = connect(&test_db, 1).await;
        let database: String = chorus_kernel::on_read!(&setup, pool => {
            sqlx::query_scalar("SELECT current_database()").fetch_one(pool).await
        })
        .expect("database name");
        exec(
            &setup,
            &format!("ALTER DATABASE \"{database}\" SET synchronous_commit = on"),
        )
        .await
        .expect("durable commits");
        setup.close().await;
        let db = connect(&test_db, 80).await;
        let store = store(&db);
        let org = Uuid::new_v4();
        let done = Arc::new(AtomicBool::new(false));
        let feed = {
            let log = reader(&db);
            let done = done.clone();
            tokio::spawn(async move {
                let mut position = LogPosition::START;
                let mut seen = BTreeSet::new();
                loop {
                    let finished = done.load(Ordering::Acquire);
                    let events = log.read_after(position, 500).await.expect("read");
                    for event in &events {
                        position = event.position;
                        seen.insert(event.position.global_position);
                    }
                    if finished && events.is_empty() && log.head().await.expect("head") <= position
                    {
                        return seen;
                    }
                    tokio::task::yield_now().await;
                }
            })
        };
        let writers: Vec<_> = (0..64)
            .map(|w| {
                let store = store.clone();
                tokio::spawn(async move {
                    for i in 0..40 {
                        store
                            .append(&ctx(org), COUNTER, &format!("m-{w}"), i, &[added(1)])
                            .await
                            .expect("append");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.expect("writer");
        }
        done.store(true, Ordering::Release);
        let seen = feed.await.expect("feed");
        let all = all_positions(&db).await;
        assert_eq!(all.len(), 64 * 40, "{name}");
        let skipped: Vec<_> = all.difference(&seen).take(10).collect();
        assert!(skipped.is_empty(), "{name}: the reader skipped {skipped:?}");
        db.close().await;
    }
}
