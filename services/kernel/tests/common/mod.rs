//! Shared helpers of the kernel's integration tests: a tiny test aggregate, raw SQL on
//! either backend, and projections that record what they were fed.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::time::Duration;

use async_trait::async_trait;
use chorus_kernel::testing::{migrations, TestBackend, TestDatabase};
use chorus_kernel::{
    on_read, on_tx, on_write, Actor, CommandContext, Db, DbOptions, DbTx, EventStore, LogPosition,
    LogReader, NewEvent, Projection, Projector, RecordedEvent, StoreError, Upcasters,
};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long a test waits for the PostgreSQL commit horizon to pass its own events.
/// (The horizon is cluster-wide: transactions of tests running in parallel hold it back.)
pub const SETTLE: Duration = Duration::from_secs(20);

pub const COUNTER: &str = "counter";

/// A tiny aggregate: a named counter that numbers can be added to.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    pub name: Option<String>,
    pub total: i64,
    pub additions: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CounterCommand {
    Create {
        name: String,
    },
    /// One `Added` event per amount.
    Add {
        amounts: Vec<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CounterEvent {
    Created { name: String },
    Added { amount: i64 },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        match self {
            CounterEvent::Created { .. } => "Created",
            CounterEvent::Added { .. } => "Added",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CounterError {
    #[error("the counter already exists")]
    AlreadyExists,
    #[error("the counter does not exist")]
    NotFound,
}

impl Aggregate for Counter {
    const TYPE: &'static str = COUNTER;
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Error = CounterError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        match command {
            CounterCommand::Create { name } => {
                if self.name.is_some() {
                    return Err(CounterError::AlreadyExists);
                }
                sink.write(CounterEvent::Created { name }, self).await;
            }
            CounterCommand::Add { amounts } => {
                if self.name.is_none() {
                    return Err(CounterError::NotFound);
                }
                for amount in amounts {
                    sink.write(CounterEvent::Added { amount }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CounterEvent::Created { name } => self.name = Some(name),
            CounterEvent::Added { amount } => {
                self.total += amount;
                self.additions += 1;
            }
        }
    }
}

pub fn create(name: &str) -> CounterCommand {
    CounterCommand::Create {
        name: name.to_owned(),
    }
}

pub fn add(amounts: &[i64]) -> CounterCommand {
    CounterCommand::Add {
        amounts: amounts.to_vec(),
    }
}

/// A serialized current-version `Added` event, for `EventStore::append`.
pub fn added(amount: i64) -> NewEvent {
    let event = CounterEvent::Added { amount };
    NewEvent {
        event_type: event.event_type(),
        event_version: event.event_version(),
        payload: serde_json::to_string(&event).expect("events serialize"),
    }
}

pub fn ctx(organization_id: Uuid) -> CommandContext {
    CommandContext::new(organization_id, Actor::person(Uuid::new_v4()), "test")
}

pub fn backend_name(backend: TestBackend) -> &'static str {
    match backend {
        TestBackend::Sqlite => "sqlite",
        TestBackend::Postgres => "postgres",
    }
}

/// Connects to a test database (running the kernel migrations).
pub async fn connect(test_db: &TestDatabase, max_connections: u32) -> Db {
    let options = DbOptions {
        max_connections,
        ..DbOptions::default()
    };
    Db::connect(test_db.url(), &options, &migrations())
        .await
        .expect("test database connects and migrates")
}

/// A fresh database of one backend, connected and migrated, with an event store on it
/// and an organization id: the set-up most store tests start from.
pub struct Fixture {
    /// The backend's name, for assertion messages.
    pub name: &'static str,
    /// The database; dropping it drops the database, so tests keep it to the end.
    pub test_db: TestDatabase,
    pub db: Db,
    pub store: EventStore,
    pub org: Uuid,
}

impl Fixture {
    /// A fresh database of `backend` with a pool of `max_connections`.
    pub async fn new(backend: TestBackend, max_connections: u32) -> Self {
        let test_db = TestDatabase::create(backend).await;
        let db = connect(&test_db, max_connections).await;
        Self {
            name: backend_name(backend),
            store: store(&db),
            test_db,
            db,
            org: Uuid::new_v4(),
        }
    }
}

/// Creates counter `id` named `counter` in organization `org`.
pub async fn create_counter(store: &EventStore, org: Uuid, id: &str, counter: &str) {
    store
        .execute::<Counter>(&ctx(org), id, create(counter), &())
        .await
        .expect("create");
}

/// A projector over `db` running `projections`.
pub async fn projector(db: &Db, projections: Vec<std::sync::Arc<dyn Projection>>) -> Projector {
    Projector::new(db.clone(), reader(db), projections)
        .await
        .expect("projector registers")
}

/// Creates the `projected` table on `db` and a projector running [`RowsProjection`].
pub async fn rows_projector(db: &Db) -> Projector {
    exec(db, ROWS_TABLE).await.expect("read-model table");
    projector(db, vec![std::sync::Arc::new(RowsProjection)]).await
}

/// Runs `tasks` futures made by `task` (given its index) at once: each waits at a common
/// barrier before it starts. Their results, in index order.
pub async fn race<T, F, Fut>(tasks: usize, task: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let barrier = barrier.clone();
            let run = task(i);
            tokio::spawn(async move {
                barrier.wait().await;
                run.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks);
    for handle in handles {
        results.push(handle.await.expect("task"));
    }
    results
}

pub fn store(db: &Db) -> EventStore {
    EventStore::new(db.clone(), Upcasters::default())
}

pub fn reader(db: &Db) -> LogReader {
    LogReader::new(db.clone(), Upcasters::default())
}

/// Runs a statement on the writer pool; returns the affected row count.
pub async fn exec(db: &Db, sql: &str) -> Result<u64, sqlx::Error> {
    on_write!(db, pool => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()))
}

/// A single integer (a count, usually).
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A column of integers.
pub async fn column(db: &Db, sql: &str) -> Vec<i64> {
    on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_all(pool).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub async fn event_count(db: &Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM events").await
}

pub async fn all_positions(db: &Db) -> BTreeSet<i64> {
    column(db, "SELECT global_position FROM events")
        .await
        .into_iter()
        .collect()
}

/// The sequences stored for one aggregate, in order.
pub async fn sequences(db: &Db, aggregate_id: &str) -> Vec<i64> {
    let sql = "SELECT sequence FROM events WHERE aggregate_id = $1 ORDER BY sequence";
    on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(aggregate_id).fetch_all(pool).await)
        .expect("sequences are readable")
}

/// Inserts one `Added` event inside an open transaction, the way a writer that bypasses
/// `EventStore::append` (or holds its transaction open) would; returns its position.
pub async fn insert_raw(
    tx: &mut DbTx,
    organization_id: Uuid,
    aggregate_id: &str,
    sequence: i64,
    amount: i64,
) -> i64 {
    let event = added(amount);
    let sql =
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
        payload, organization_id, actor_id, actor_kind, occurred_at, correlation_id, causation_id, \
        request_source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'system', $9, $10, NULL, 'raw') \
        RETURNING global_position";
    on_tx!(tx, conn => {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(COUNTER)
            .bind(aggregate_id)
            .bind(sequence)
            .bind(&event.event_type)
            .bind(&event.event_version)
            .bind(&event.payload)
            .bind(organization_id)
            .bind(None::<Uuid>)
            .bind(chorus_kernel::now())
            .bind(Uuid::now_v7())
            .fetch_one(conn)
            .await
    })
    .expect("raw insert into events")
}

/// Reads the whole log, waiting (bounded) until it holds at least `expected` events: on
/// PostgreSQL the commit horizon may briefly trail other tests' open transactions.
pub async fn read_all(reader: &LogReader, expected: usize) -> Vec<RecordedEvent> {
    read_settled(reader, LogPosition::START, 100_000, expected).await
}

/// Up to `limit` events after `after`, read until `expected` arrive or the bound passes:
/// the commit horizon may briefly hold back committed rows while a transaction of another
/// test's database commits, so one read is not the answer.
pub async fn read_settled(
    reader: &LogReader,
    after: LogPosition,
    limit: i64,
    expected: usize,
) -> Vec<RecordedEvent> {
    let deadline = tokio::time::Instant::now() + SETTLE;
    loop {
        let events = reader
            .read_after(after, limit)
            .await
            .expect("the log is readable");
        if events.len() >= expected || tokio::time::Instant::now() >= deadline {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Catches up until `table` has as many rows as `events` has, or the bound passes.
pub async fn catch_up_until_complete(projector: &Projector, db: &Db, table: &str) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    loop {
        projector.catch_up().await.expect("catch-up succeeds");
        if scalar(db, &sql).await >= event_count(db).await
            || tokio::time::Instant::now() >= deadline
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Records the position of every event it is fed, one row each; the primary key turns a
/// second application of the same event into an error.
#[derive(Debug, Clone, Copy)]
pub struct SeenProjection;

pub const SEEN_TABLE: &str = "CREATE TABLE seen (global_position BIGINT PRIMARY KEY)";

#[async_trait]
impl Projection for SeenProjection {
    fn name(&self) -> &'static str {
        "seen"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["seen"]
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        on_tx!(tx, conn => {
            sqlx::query("INSERT INTO seen (global_position) VALUES ($1)")
                .bind(event.position.global_position)
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

/// [`SeenProjection`] that, after recording an event, stops inside its batch transaction
/// until the test opens the gate: a projector caught in the middle of a batch.
#[derive(Debug, Clone)]
pub struct GatedSeenProjection {
    /// Signalled once an event was recorded and the projection waits at the gate.
    pub entered: std::sync::Arc<tokio::sync::Notify>,
    pub gate: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Default for GatedSeenProjection {
    fn default() -> Self {
        Self {
            entered: Default::default(),
            gate: std::sync::Arc::new(tokio::sync::Semaphore::new(0)),
        }
    }
}

impl GatedSeenProjection {
    pub fn open(&self) {
        self.gate
            .add_permits(tokio::sync::Semaphore::MAX_PERMITS / 2);
    }
}

#[async_trait]
impl Projection for GatedSeenProjection {
    fn name(&self) -> &'static str {
        SeenProjection.name()
    }

    fn tables(&self) -> &'static [&'static str] {
        SeenProjection.tables()
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        SeenProjection.apply(tx, event).await?;
        self.entered.notify_one();
        let _permit = self.gate.acquire().await.expect("the gate is never closed");
        Ok(())
    }
}

/// Copies each event's identity into a read model, for rebuild comparisons.
#[derive(Debug, Clone, Copy)]
pub struct RowsProjection;

pub const ROWS_TABLE: &str = "CREATE TABLE projected (global_position BIGINT PRIMARY KEY, \
    aggregate_id TEXT NOT NULL, sequence BIGINT NOT NULL, event_type TEXT NOT NULL, \
    payload TEXT NOT NULL)";

#[async_trait]
impl Projection for RowsProjection {
    fn name(&self) -> &'static str {
        "projected"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["projected"]
    }

    async fn apply(&self, tx: &mut DbTx, event: &RecordedEvent) -> Result<(), StoreError> {
        let payload = event.payload.to_string();
        on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO projected (global_position, aggregate_id, sequence, event_type, payload) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(event.position.global_position)
            .bind(&event.aggregate_id)
            .bind(event.sequence)
            .bind(&event.event_type)
            .bind(&payload)
            .execute(conn)
            .await?;
        });
        Ok(())
    }
}

pub type ProjectedRow = (i64, String, i64, String, String);

pub async fn projected_rows(db: &Db) -> Vec<ProjectedRow> {
    let sql = "SELECT global_position, aggregate_id, sequence, event_type, payload FROM projected \
               ORDER BY global_position";
    on_read!(db, pool => sqlx::query_as::<_, ProjectedRow>(sql).fetch_all(pool).await)
        .expect("projected rows are readable")
}
