//! What the server's benchmarks share: the backend's name in a benchmark id, a state on
//! a test database, and a benchmark group's timing.

use std::time::Duration;

use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_server::state::AppState;
use chorus_server::Config;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};

/// The backend's name, as the benchmark ids use it.
pub fn name(backend: TestBackend) -> &'static str {
    match backend {
        TestBackend::Sqlite => "sqlite",
        TestBackend::Postgres => "postgres",
    }
}

/// The server's state on `db`, with the default configuration.
pub async fn open_state(db: &TestDatabase) -> std::sync::Arc<AppState> {
    let config = Config {
        database_url: db.url().to_owned(),
        ..Config::default()
    };
    AppState::open(config).await.expect("open state")
}

/// Benchmark group `name` of `samples` samples, measured for `measure` seconds after
/// `warm_up` seconds of warm-up.
pub fn group<'c>(
    c: &'c mut Criterion,
    name: &str,
    samples: usize,
    measure: u64,
    warm_up: u64,
) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(measure))
        .warm_up_time(Duration::from_secs(warm_up));
    group
}
