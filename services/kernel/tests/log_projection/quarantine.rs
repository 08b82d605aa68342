//! Poison events: an event a projection cannot apply is quarantined for that projection,
//! and nothing else waits for it: not the other projections, not the other aggregates or
//! organizations, not read-your-writes. Retried once fixed, it is applied in order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_tx, DbTx, Projection, RecordedEvent, StoreError};
use uuid::Uuid;

use super::*;

/// Records each `Added` amount, in a column the database itself refuses to hold below
/// zero: a negative amount is a poison event (a real CHECK violation on both backends),
/// until the "fix" (`fixed`) makes the projection store its absolute value.
#[derive(Clone, Default)]
struct AmountsProjection {
    fixed: Arc<AtomicBool>,
    /// Fails with an outage instead, while set.
    outage: Arc<AtomicBool>,
}

const AMOUNTS_TABLE: &str = "CREATE TABLE amounts (global_position BIGINT PRIMARY KEY, \
    aggregate_id TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount >= 0))";

#[async_trait]
impl Projection for AmountsProjection {
    fn name(&self) -> &'static str {
        "amounts"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["amounts"]
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        if self.outage.load(Ordering::SeqCst) {
            return Err(StoreError::Database(sqlx::Error::PoolTimedOut));
        }
        let amount = event.payload["Added"]["amount"]
            .as_i64()
            .unwrap_or_default();
        let amount = if self.fixed.load(Ordering::SeqCst) {
            amount.abs()
        } else {
            amount
        };
        on_tx!(tx, conn => {
            sqlx::query("INSERT INTO amounts (global_position, aggregate_id, amount) VALUES ($1, $2, $3)")
                .bind(event.position.global_position)
                .bind(&event.aggregate_id)
                .bind(amount)
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

async fn amounts(db: &chorus_kernel::Db) -> Vec<(i64, i64)> {
    let sql = "SELECT global_position, amount FROM amounts ORDER BY global_position";
    chorus_kernel::on_read!(db, pool => sqlx::query_as::<_, (i64, i64)>(sql).fetch_all(pool).await)
        .expect("amounts are readable")
}

struct World {
    _test_db: TestDatabase,
    db: chorus_kernel::Db,
    store: chorus_kernel::EventStore,
    amounts: AmountsProjection,
    projector: chorus_kernel::Projector,
}

async fn world(backend: chorus_kernel::testing::TestBackend) -> World {
    let test_db = TestDatabase::create(backend).await;
    let db = connect(&test_db, 4).await;
    exec(&db, SEEN_TABLE).await.expect("seen");
    exec(&db, AMOUNTS_TABLE).await.expect("amounts");
    let amounts = AmountsProjection::default();
    let projector = projector(
        &db,
        vec![Arc::new(SeenProjection), Arc::new(amounts.clone())],
    )
    .await;
    World {
        store: store(&db),
        _test_db: test_db,
        db,
        amounts,
        projector,
    }
}

impl World {
    /// Retries the quarantined events of `amounts`: (applied, still quarantined).
    async fn retry(&self) -> (u64, u64) {
        let outcome = self
            .projector
            .retry_quarantined("amounts", None)
            .await
            .expect("retry");
        (outcome.applied, outcome.still_quarantined)
    }

    /// The quarantine as listed (the first ten entries).
    async fn quarantined(&self) -> Vec<chorus_kernel::quarantine::QuarantinedEvent> {
        self.projector.quarantined(None, 10).await.expect("list")
    }

    /// Appends one `Added` event per amount to `aggregate` of `org`; returns positions.
    async fn add(
        &self,
        org: Uuid,
        aggregate: &str,
        from_sequence: i64,
        values: &[i64],
    ) -> Vec<i64> {
        let mut positions = Vec::new();
        for (i, amount) in values.iter().enumerate() {
            let outcome = self
                .store
                .append(
                    &ctx(org),
                    COUNTER,
                    aggregate,
                    from_sequence + i as i64,
                    &[added(*amount)],
                )
                .await
                .expect("append");
            positions.push(outcome.position.global_position);
        }
        positions
    }

    async fn catch_up(&self, expected_events: usize) {
        let reader = reader(&self.db);
        let last = read_all(&reader, expected_events)
            .await
            .last()
            .map(|e| e.position);
        let last = last.expect("events");
        self.projector
            .catch_up_to(last, SETTLE)
            .await
            .expect("every projection moves past the poison event");
    }
}

backend_tests! {
    #[runtime(flavor = "current_thread")]
    async fn a_poison_event_is_quarantined_and_everything_behind_it_flows(backend: TestBackend) {
        let tag = backend_name(backend);
        let w = world(backend).await;
        let (org_a, org_b) = (Uuid::now_v7(), Uuid::now_v7());
        let x = w.add(org_a, "x", 0, &[1, -1, 2]).await;
        let y = w.add(org_b, "y", 0, &[3]).await;
        let z = w.add(org_a, "z", 0, &[4]).await;
        w.catch_up(5).await;

        let all: Vec<i64> = [&x[..], &y, &z].concat();
        assert_eq!(
            column(&w.db, "SELECT global_position FROM seen ORDER BY 1").await,
            all,
            "[{tag}] the other projection applied everything"
        );
        assert_eq!(
            amounts(&w.db).await,
            vec![(x[0], 1), (y[0], 3), (z[0], 4)],
            "[{tag}] other aggregates and organizations flowed past the poison"
        );
        let quarantined = w.quarantined().await;
        let listed: Vec<(i64, &str, &str)> = quarantined
            .iter()
            .map(|q| (q.global_position, q.projection.as_str(), q.status.as_str()))
            .collect();
        assert_eq!(
            listed,
            vec![(x[1], "amounts", "failed"), (x[2], "amounts", "held")],
            "[{tag}] the poison is failed, the aggregate's later event held behind it"
        );
        assert_eq!(quarantined[0].organization_id, org_a);
        assert!(
            quarantined[0].error.contains("amount"),
            "[{tag}] the database's own refusal is kept for the operator: {}",
            quarantined[0].error
        );
        let counts = w.projector.quarantine_counts().await.expect("counts");
        assert_eq!(counts[1].0, "amounts");
        assert_eq!(
            (counts[1].1.failed, counts[1].1.held, counts[0].1.waiting()),
            (1, 1, 0)
        );

        // New events of the quarantined aggregate keep waiting behind the poison.
        let later = w.add(org_a, "x", 3, &[5]).await;
        w.catch_up(6).await;
        assert_eq!(amounts(&w.db).await.len(), 3, "[{tag}] still held");

        // A retry before the fix changes nothing and says so.
        assert_eq!(w.retry().await, (0, 3), "[{tag}]");
        assert_eq!(
            w.quarantined().await[0].attempts,
            2
        );

        // The fix ships; the retry applies the aggregate's events in their order.
        w.amounts.fixed.store(true, Ordering::SeqCst);
        assert_eq!(w.retry().await, (3, 0), "[{tag}]");
        assert_eq!(
            amounts(&w.db).await,
            vec![
                (x[0], 1),
                (x[1], 1),
                (x[2], 2),
                (y[0], 3),
                (z[0], 4),
                (later[0], 5)
            ],
            "[{tag}] nothing lost"
        );
        assert!(w.quarantined().await.is_empty());
        // And new events of the aggregate flow directly again.
        let after = w.add(org_a, "x", 4, &[6]).await;
        w.catch_up(7).await;
        assert!(amounts(&w.db).await.contains(&(after[0], 6)), "[{tag}]");
    }
}

backend_tests! {
    #[runtime(flavor = "current_thread")]
    async fn an_operator_can_skip_a_poison_event(backend: TestBackend) {
        let tag = backend_name(backend);
        let w = world(backend).await;
        let org = Uuid::now_v7();
        let x = w.add(org, "x", 0, &[-7, 8]).await;
        w.catch_up(2).await;
        assert!(
            matches!(
                w.projector.skip_quarantined("amounts", x[1]).await,
                Err(StoreError::NotQuarantined(_))
            ),
            "[{tag}] a held event cannot be skipped past the one it waits for"
        );
        let outcome = w
            .projector
            .skip_quarantined("amounts", x[0])
            .await
            .expect("skip");
        assert_eq!(
            (outcome.applied, outcome.still_quarantined),
            (1, 0),
            "[{tag}]"
        );
        assert_eq!(amounts(&w.db).await, vec![(x[1], 8)], "[{tag}]");
        let listed = w.quarantined().await;
        assert_eq!(listed.len(), 1, "[{tag}] a skipped event stays on record");
        assert_eq!(
            (listed[0].global_position, listed[0].status.as_str()),
            (x[0], "skipped")
        );
        // A rebuild replays everything and quarantines again what still fails.
        w.projector.rebuild(None).await.expect("rebuild");
        let listed = w.quarantined().await;
        assert_eq!(
            listed
                .iter()
                .map(|q| (q.global_position, q.status.as_str()))
                .collect::<Vec<_>>(),
            vec![(x[0], "failed"), (x[1], "held")],
            "[{tag}]"
        );
    }
}

backend_tests! {
    #[runtime(flavor = "current_thread")]
    async fn an_outage_is_retried_never_quarantined(backend: TestBackend) {
        let tag = backend_name(backend);
        let w = world(backend).await;
        let org = Uuid::now_v7();
        w.add(org, "x", 0, &[1, 2]).await;
        read_all(&reader(&w.db), 2).await;
        w.amounts.outage.store(true, Ordering::SeqCst);
        let error = w
            .projector
            .catch_up()
            .await
            .expect_err("an outage stops the batch");
        assert!(error.is_transient(), "[{tag}] {error}");
        assert!(w.quarantined().await.is_empty(), "[{tag}]");
        assert_eq!(
            scalar(&w.db, "SELECT COUNT(*) FROM seen").await,
            0,
            "[{tag}] the batch rolled back whole, to be tried again"
        );
        w.amounts.outage.store(false, Ordering::SeqCst);
        w.catch_up(2).await;
        assert_eq!(amounts(&w.db).await.len(), 2, "[{tag}]");
    }
}

backend_tests! {
    /// Errors the databases really raise are told apart: bad data is not an outage.
    #[runtime(flavor = "current_thread")]
    async fn database_refusals_of_data_are_not_transient(backend: TestBackend) {
        let tag = backend_name(backend);
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, 2).await;
        exec(&db, AMOUNTS_TABLE).await.expect("amounts");
        let check = exec(&db, "INSERT INTO amounts VALUES (1, 'x', -1)")
            .await
            .expect_err("check violation");
        assert!(
            !StoreError::from(check).is_transient(),
            "[{tag}] check violation"
        );
        let duplicate = exec(&db, "INSERT INTO amounts VALUES (2, 'x', 1)").await;
        duplicate.expect("first row");
        let duplicate = exec(&db, "INSERT INTO amounts VALUES (2, 'x', 1)")
            .await
            .expect_err("unique violation");
        assert!(
            !StoreError::from(duplicate).is_transient(),
            "[{tag}] unique violation"
        );
        if backend == chorus_kernel::testing::TestBackend::Postgres {
            let nul = chorus_kernel::on_write!(&db, pool => {
                sqlx::query("INSERT INTO amounts (global_position, aggregate_id, amount) VALUES (3, $1, 1)")
                    .bind("line one\u{0}line two")
                    .execute(pool)
                    .await
                    .map(|_| ())
            })
            .expect_err("PostgreSQL cannot store a NUL in text");
            assert!(!StoreError::from(nul).is_transient(), "[{tag}] NUL in text");
        }
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_transient());
        db.close().await;
    }
}
