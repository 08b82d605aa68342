//! The log reader's query walks the commit-order index: a batch costs the same at the
//! start and at the end of a long log. (A bare `ORDER BY transaction_id` once bound to
//! the select list's bigint alias, so every batch sorted the rest of the log and a
//! 1.4-million-event rebuild slowed to a crawl.)

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Db};
use common::*;

async fn plan(db: &Db, backend: TestBackend, sql: &str) -> String {
    on_read!(db, pool => {
        // The batch read's three parameters, bound the same way on either backend.
        macro_rules! explain {
            ($query:expr) => {
                $query
                    .bind("0")
                    .bind(0_i64)
                    .bind(1000_i64)
                    .fetch_all(pool)
                    .await
                    .expect("explain")
            };
        }
        match backend {
            TestBackend::Postgres => {
                let explain = format!("EXPLAIN {sql}");
                let lines: Vec<String> = explain!(sqlx::query_scalar(&explain));
                lines.join("\n")
            }
            TestBackend::Sqlite => {
                let explain = format!("EXPLAIN QUERY PLAN {sql}");
                let rows: Vec<(i64, i64, i64, String)> = explain!(sqlx::query_as(&explain));
                rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
            }
        }
    })
}

backend_tests! {
    #[runtime(flavor = "current_thread")]
    async fn reading_a_batch_uses_the_commit_order_index_without_sorting(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 2).await;
        let insert = match backend {
            TestBackend::Postgres => {
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                 event_version, payload, organization_id, actor_kind, occurred_at, \
                 correlation_id, request_source) SELECT 'counter', 'c' || g, 1, 'Created', \
                 '1.0', '{}', gen_random_uuid(), 'system', now(), gen_random_uuid(), 'test' \
                 FROM generate_series(1, 20000) g"
            }
            TestBackend::Sqlite => {
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000) \
                 INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                 event_version, payload, organization_id, actor_kind, occurred_at, \
                 correlation_id, request_source) SELECT 'counter', 'c' || n, 1, 'Created', \
                 '1.0', '{}', randomblob(16), 'system', '2026-01-01T00:00:00+00:00', \
                 randomblob(16), 'test' FROM g"
            }
        };
        exec(&db, insert).await.expect("events");
        exec(&db, "ANALYZE").await.expect("analyze");

        let plan = plan(&db, backend, reader(&db).read_after_sql()).await;
        let tag = backend_name(backend);
        match backend {
            TestBackend::Postgres => {
                assert!(
                    !plan.contains("Sort"),
                    "[{tag}] the batch read sorts instead of walking the index: {plan}"
                );
                assert!(
                    plan.contains("events_commit_order"),
                    "[{tag}] the batch read uses the commit-order index: {plan}"
                );
            }
            TestBackend::Sqlite => {
                assert!(
                    !plan.contains("TEMP B-TREE"),
                    "[{tag}] the batch read sorts instead of walking the key: {plan}"
                );
            }
        }
        db.close().await;
        drop(test_db);
    }
}

backend_tests! {
    /// A rebuild refills its tables from nothing, so it refreshes the planner's statistics
    /// (without them the team read's SQL ran 2.5x slower until autovacuum came round).
    #[runtime(flavor = "current_thread")]
    async fn rebuild_refreshes_the_planner_statistics_of_its_tables(backend: TestBackend) {
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 2).await;
        let projector = rows_projector(&db).await;
        let analyzed = match backend {
            // reltuples is -1 until the table is first analyzed (PostgreSQL 14+).
            TestBackend::Postgres => {
                "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_class WHERE relname = 'projected' \
                 AND reltuples >= 0"
            }
            TestBackend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
        };
        let tag = backend_name(backend);
        assert_eq!(scalar(&db, analyzed).await, 0, "[{tag}] not analyzed yet");
        projector.rebuild(None).await.expect("rebuild");
        assert_eq!(
            scalar(&db, analyzed).await,
            1,
            "[{tag}] analyzed by the rebuild"
        );
        db.close().await;
        drop(test_db);
    }
}

backend_tests! {
    /// A rebuild replays everything committed before it started even while an older append
    /// still in flight holds the commit horizon back, instead of stopping at the
    /// horizon and reporting a partial replay as done.
    #[backends(postgres)]
    #[runtime(flavor = "current_thread")]
    async fn rebuild_waits_for_the_horizon_instead_of_stopping_short(backend: TestBackend) {
        // PostgreSQL only; SQLite has no horizon: writers are serialized.
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 4).await;
        let projector = rows_projector(&db).await;
        // An older append that is still open holds the horizon below what follows.
        let org = uuid::Uuid::now_v7();
        let mut holder = db.begin().await.expect("holder");
        insert_raw(&mut holder, org, "in-flight", 1, 1).await;
        for n in 1..=5 {
            let mut tx = db.begin().await.expect("tx");
            insert_raw(&mut tx, org, "held-back", n, n).await;
            tx.commit().await.expect("commit");
        }
        let rebuild = tokio::spawn({
            let projector = projector.clone();
            async move { projector.rebuild(None).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !rebuild.is_finished(),
            "the rebuild waits while the horizon is held back"
        );
        holder.rollback().await.expect("release the horizon");
        rebuild.await.expect("join").expect("rebuild");
        assert_eq!(
            projected_rows(&db).await.len(),
            5,
            "every committed event replayed"
        );
        db.close().await;
        drop(test_db);
    }
}
