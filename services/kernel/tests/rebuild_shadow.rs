//! A PostgreSQL rebuild replays into shadow tables beside a live projector: the live read
//! models keep answering (with their old rows) until the rebuilt tables replace them in
//! one transaction; events committed during the rebuild are in the result; a rebuild that
//! dies half-way leaves the live read models as they were; the swapped-in tables carry
//! every index and constraint of the live ones, with statistics.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Db, EventStore, Projector, StoreError};
use common::*;
use tokio::sync::watch;
use uuid::Uuid;

/// The read model's extra indexes (secondary, unique, partial) and a check constraint:
/// the swap must bring every one of them back.
const ROWS_INDEXES: [&str; 4] = [
    "CREATE INDEX projected_by_aggregate ON projected (aggregate_id, sequence)",
    "CREATE UNIQUE INDEX projected_unique_event ON projected (aggregate_id, sequence, event_type)",
    "CREATE INDEX projected_added ON projected (aggregate_id) WHERE event_type = 'Added'",
    "ALTER TABLE projected ADD CONSTRAINT projected_sequence_positive CHECK (sequence > 0)",
];

/// A live server's projector: leads and applies what is appended, until dropped.
struct Live {
    projector: Projector,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

async fn live(db: &Db, store: &EventStore) -> Live {
    let projector = projector(db, vec![Arc::new(RowsProjection)]).await;
    let (stop, stop_rx) = watch::channel(false);
    let task = projector.spawn(
        store.subscribe_appends(),
        stop_rx,
        Duration::from_millis(20),
    );
    Live {
        projector,
        stop,
        task,
    }
}

impl Live {
    async fn stop(self) {
        self.stop.send_replace(true);
        self.task.await.expect("live projector stops");
    }
}

/// An organization's counters with a few events each; returns how many events there are.
async fn history(store: &EventStore, org: Uuid, counters: usize) -> i64 {
    for i in 0..counters {
        let id = format!("c-{i}");
        store
            .execute::<Counter>(&ctx(org), &id, create(&id), &())
            .await
            .expect("create");
        store
            .execute::<Counter>(&ctx(org), &id, add(&[1, 2, 3]), &())
            .await
            .expect("add");
    }
    (counters * 4) as i64
}

/// Waits until the live table holds a row per event of the log.
async fn until_projected(db: &Db) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    while scalar(
        db,
        "SELECT COUNT(*) FROM projected WHERE aggregate_id <> 'junk'",
    )
    .await
        < event_count(db).await
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the live projector lags"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn set_up(backend: TestBackend) -> (TestDatabase, Db, EventStore, Uuid) {
    let Fixture {
        test_db,
        db,
        store,
        org,
        ..
    } = Fixture::new(backend, 4).await;
    exec(&db, ROWS_TABLE).await.expect("read-model table");
    for sql in ROWS_INDEXES {
        exec(&db, sql).await.expect("read-model index");
    }
    history(&store, org, 20).await;
    (test_db, db, store, org)
}

/// Indexes and constraints of the read model, as the catalogue defines them.
async fn catalogue(db: &Db) -> Vec<(String, String)> {
    on_read!(db, pool => {
        sqlx::query_as::<_, (String, String)>(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'projected' \
             UNION ALL SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'projected'::regclass ORDER BY 1",
        )
        .fetch_all(pool)
        .await
    })
    .expect("catalogue")
}

backend_tests! {
    /// Held after its replay, a rebuild has not touched the live read model: it still
    /// answers with its rows (damaged ones included) and takes the live projector's new
    /// events. Released, the rebuilt table replaces it: every event, the ones appended
    /// during the rebuild too, and the damage gone.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 2)]
    async fn live_reads_answer_with_the_old_rows_until_the_rebuilt_table_replaces_them(backend: TestBackend) {
        let (_test_db, db, store, org) = set_up(backend).await;
        let live = live(&db, &store).await;
        until_projected(&db).await;
        let truth = projected_rows(&db).await;
        // Damage the live read model: a row no event made.
        exec(&db, "INSERT INTO projected VALUES (1000000, 'junk', 1, 'Junk', '{}')")
            .await
            .expect("junk row");
        let damaged = projected_rows(&db).await;

        let operator = projector(&db, vec![Arc::new(RowsProjection)]).await;
        operator.hold_rebuild(true);
        let rebuild = tokio::spawn({
            let operator = operator.clone();
            async move { operator.rebuild_exclusive(None).await }
        });
        assert!(operator.rebuild_is_held(SETTLE).await, "the rebuild reaches the hold");
        assert_eq!(projected_rows(&db).await, damaged, "the live rows answer during the rebuild");
        // Written during the rebuild: the live projector applies it to the live table.
        store
            .execute::<Counter>(&ctx(org), "c-0", add(&[40, 50]), &())
            .await
            .expect("add during the rebuild");
        until_projected(&db).await;
        assert_eq!(projected_rows(&db).await.len(), damaged.len() + 2);
        assert!(live.projector.is_leader(), "the live projector keeps leading");

        operator.hold_rebuild(false);
        rebuild.await.expect("task").expect("rebuild");
        let rebuilt = projected_rows(&db).await;
        assert_eq!(rebuilt.len(), truth.len() + 2, "the appended events are in, the junk is gone");
        assert!(rebuilt.iter().all(|r| r.1 != "junk"));
        assert_eq!(&rebuilt[..truth.len()], &truth[..]);
        assert_eq!(
            rebuilt.iter().map(|r| r.0).collect::<std::collections::BTreeSet<_>>(),
            all_positions(&db).await
        );
        // And the live projector goes on applying to the swapped-in table.
        store
            .execute::<Counter>(&ctx(org), "c-1", add(&[60]), &())
            .await
            .expect("add after the rebuild");
        until_projected(&db).await;
        assert_eq!(projected_rows(&db).await.len(), truth.len() + 3);
        live.stop().await;
        db.close().await;
    }
}

backend_tests! {
    /// A rebuild that dies after its replay (its process killed) leaves the live read
    /// model, its checkpoint and its projector as they were; the next rebuild clears what
    /// the dead one left and succeeds.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 2)]
    async fn a_rebuild_that_dies_half_way_leaves_the_live_read_model_untouched(backend: TestBackend) {
        let (_test_db, db, store, org) = set_up(backend).await;
        let live = live(&db, &store).await;
        until_projected(&db).await;
        exec(&db, "INSERT INTO projected VALUES (1000000, 'junk', 1, 'Junk', '{}')")
            .await
            .expect("junk row");
        let before = projected_rows(&db).await;
        let checkpoints = live.projector.checkpoints().await.expect("checkpoints");

        let operator = projector(&db, vec![Arc::new(RowsProjection)]).await;
        operator.hold_rebuild(true);
        let rebuild = tokio::spawn({
            let operator = operator.clone();
            async move { operator.rebuild(None).await }
        });
        assert!(operator.rebuild_is_held(SETTLE).await, "the rebuild reaches the hold");
        rebuild.abort();
        assert!(rebuild.await.is_err_and(|e| e.is_cancelled()));
        assert_eq!(projected_rows(&db).await, before, "the live rows are untouched");
        assert_eq!(live.projector.checkpoints().await.expect("checkpoints"), checkpoints);
        store
            .execute::<Counter>(&ctx(org), "c-0", add(&[7]), &())
            .await
            .expect("add");
        until_projected(&db).await;
        assert_eq!(projected_rows(&db).await.len(), before.len() + 1, "the live projector goes on");

        operator.hold_rebuild(false);
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            // The dead rebuild's lock goes with its session.
            match operator.rebuild(None).await {
                Ok(_) => break,
                Err(StoreError::RebuildBusy) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => panic!("rebuild failed: {error}"),
            }
        }
        let rebuilt = projected_rows(&db).await;
        assert_eq!(rebuilt.len(), before.len(), "every event, without the junk row");
        assert!(rebuilt.iter().all(|r| r.1 != "junk"));
        live.stop().await;
        db.close().await;
    }
}

backend_tests! {
    /// The swapped-in table has the live one's indexes and constraints, exactly as the
    /// catalogue defined them, and statistics; the shadow schema is gone. A second
    /// rebuild while one runs is refused.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 2)]
    async fn the_swapped_in_table_has_every_index_and_constraint_and_statistics(backend: TestBackend) {
        let (_test_db, db, _store, _org) = set_up(backend).await;
        let operator = projector(&db, vec![Arc::new(RowsProjection)]).await;
        let before = catalogue(&db).await;
        assert_eq!(before.len(), 6, "primary key, four indexes and the check: {before:?}");

        operator.hold_rebuild(true);
        let rebuild = tokio::spawn({
            let operator = operator.clone();
            async move { operator.rebuild(None).await }
        });
        assert!(operator.rebuild_is_held(SETTLE).await, "the rebuild reaches the hold");
        let second = projector(&db, vec![Arc::new(RowsProjection)]).await;
        assert!(matches!(second.rebuild(None).await, Err(StoreError::RebuildBusy)));
        operator.hold_rebuild(false);
        rebuild.await.expect("task").expect("rebuild");

        assert_eq!(catalogue(&db).await, before, "indexes and constraints after the swap");
        assert_eq!(
            scalar(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_class WHERE relname = 'projected' \
                         AND reltuples > 0").await,
            1,
            "the planner has statistics of the swapped-in table"
        );
        assert_eq!(
            scalar(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_namespace WHERE nspname = 'chorus_rebuild'").await,
            0,
            "the shadow schema is dropped"
        );
        assert_eq!(projected_rows(&db).await.len() as i64, event_count(&db).await);
        db.close().await;
    }
}
