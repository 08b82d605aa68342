//! Test support: throw-away databases on both backends and the kernel's own migrations.
//!
//! A database test is written once with [`backend_tests!`](crate::backend_tests) and runs
//! as two named cases, `<test>::sqlite` and `<test>::postgres`. The PostgreSQL case is
//! `#[ignore]`d, so a plain `cargo test` runs SQLite and *reports* PostgreSQL as ignored
//! rather than passing it silently; `cargo test -- --include-ignored` (or
//! `cargo nextest run --run-ignored all`) with `CHORUS_TEST_DATABASE_URL` naming an admin
//! connection (for example `postgres://postgres@127.0.0.1:5432/postgres`) runs it, and it
//! fails loudly when the variable is unset or PostgreSQL unreachable. Each
//! [`TestDatabase`] is a fresh, empty database that is removed again when it is dropped.
//!
//! [`backends()`] (SQLite, plus PostgreSQL when the variable is set) remains for code that
//! loops over the backends itself, such as the criterion benches.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor, PgConnection};
use uuid::Uuid;

/// The environment variable naming the PostgreSQL admin URL for tests.
pub const DATABASE_URL_VAR: &str = "CHORUS_TEST_DATABASE_URL";

pub use crate::db::{migrations, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

impl TestBackend {
    /// The backend of a `<test>::postgres` case: [`TestBackend::Postgres`] once
    /// `CHORUS_TEST_DATABASE_URL` is set and PostgreSQL answers on it. Panics otherwise:
    /// a PostgreSQL case that was asked to run must never pass without PostgreSQL.
    pub fn require_postgres() -> TestBackend {
        let Some(url) = admin_url() else {
            panic!(
                "this is a PostgreSQL test case but {DATABASE_URL_VAR} is not set: set it to an \
                 admin URL such as postgres://postgres@127.0.0.1:5432/postgres, or run without \
                 --include-ignored / --run-ignored to skip the PostgreSQL cases"
            );
        };
        if let Err(reason) = postgres_reachable(&url) {
            panic!(
                "this is a PostgreSQL test case but PostgreSQL cannot be reached through \
                 {DATABASE_URL_VAR} ({reason}); start PostgreSQL or fix the URL"
            );
        }
        TestBackend::Postgres
    }
}

/// Whether PostgreSQL answers on `url`, checked once per test process.
fn postgres_reachable(url: &str) -> Result<(), String> {
    static REACHABLE: OnceLock<Result<(), String>> = OnceLock::new();
    REACHABLE.get_or_init(|| check_reachable(url)).clone()
}

/// Writes a database test once and runs it as two named cases on the two backends.
///
/// ```no_run
/// use chorus_kernel::backend_tests;
/// use chorus_kernel::testing::{TestBackend, TestDatabase};
///
/// backend_tests! {
///     /// Doc comments and other attributes go on the generated module.
///     async fn appends_round_trip(backend: TestBackend) {
///         let db = TestDatabase::create(backend).await;
///         // …
///     }
///
///     /// `#[runtime(…)]` replaces the default runtime arguments of `#[tokio::test]`,
///     /// `flavor = "multi_thread", worker_threads = 2`.
///     #[runtime(flavor = "multi_thread", worker_threads = 4)]
///     async fn racing_writers(backend: TestBackend) { /* … */ }
///
///     /// `#[backends(postgres)]` (or `sqlite`) generates only that case, for tests of
///     /// behaviour one backend does not have.
///     #[backends(postgres)]
///     #[runtime(flavor = "current_thread")]
///     async fn horizon_holds_back_readers(backend: TestBackend) { /* … */ }
/// }
/// # fn main() {}
/// ```
///
/// Each function becomes `mod <name> { use super::*; … }` with `#[tokio::test] async fn
/// sqlite()` and `#[tokio::test] #[ignore] async fn postgres()`, whose bodies bind the
/// parameter to [`TestBackend::Sqlite`] and to [`TestBackend::require_postgres()`] and
/// then run the function's body. So `cargo test` lists `<name>::sqlite` as run and
/// `<name>::postgres` as ignored; with `--include-ignored` (`cargo nextest run
/// --run-ignored all`) the PostgreSQL case runs, and fails if `CHORUS_TEST_DATABASE_URL`
/// is unset or PostgreSQL is unreachable. The calling crate needs `tokio` (with the
/// `macros` and `rt-multi-thread` features) as a dependency.
#[macro_export]
macro_rules! backend_tests {
    (@munch [$($attr:tt)*] [$runtime:tt] [$($case:ident)*]
        #[runtime $args:tt] $($rest:tt)+) => {
        $crate::backend_tests!(@munch [$($attr)*] [$args] [$($case)*] $($rest)+);
    };
    (@munch [$($attr:tt)*] [$runtime:tt] [$($case:ident)*]
        #[backends($($only:ident),+ $(,)?)] $($rest:tt)+) => {
        $crate::backend_tests!(@munch [$($attr)*] [$runtime] [$($only)+] $($rest)+);
    };
    (@munch [$($attr:tt)*] [$runtime:tt] [$($case:ident)*]
        #[$meta:meta] $($rest:tt)+) => {
        $crate::backend_tests!(@munch [$($attr)* #[$meta]] [$runtime] [$($case)*] $($rest)+);
    };
    (@munch [$($attr:tt)*] [$runtime:tt] [$($case:ident)*]
        async fn $name:ident($backend:ident : $ty:ty $(,)?) $body:block $($rest:tt)*) => {
        $($attr)*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $($crate::backend_tests!(@case $case $runtime $backend $ty $body);)*
        }

        $crate::backend_tests!($($rest)*);
    };
    (@case sqlite $runtime:tt $backend:ident $ty:ty $body:block) => {
        #[::tokio::test $runtime]
        async fn sqlite() {
            let $backend: $ty = $crate::testing::TestBackend::Sqlite;
            $body
        }
    };
    (@case postgres $runtime:tt $backend:ident $ty:ty $body:block) => {
        #[::tokio::test $runtime]
        #[ignore = "PostgreSQL: set CHORUS_TEST_DATABASE_URL and run with --include-ignored (CI does)"]
        async fn postgres() {
            let $backend: $ty = $crate::testing::TestBackend::require_postgres();
            $body
        }
    };
    (@case $other:ident $($unexpected:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "backend_tests!: unknown backend `",
            ::core::stringify!($other),
            "` in #[backends(…)]; expected sqlite or postgres"
        ));
    };
    (@munch $($unexpected:tt)*) => {
        ::core::compile_error!(
            "backend_tests! expects `async fn name(backend: TestBackend) { … }` items, each \
             after optional doc comments, `#[runtime(…)]`, `#[backends(…)]` and other attributes"
        );
    };
    () => {};
    ($($input:tt)+) => {
        $crate::backend_tests!(
            @munch [] [(flavor = "multi_thread", worker_threads = 2)] [sqlite postgres] $($input)+
        );
    };
}

/// The backends to run on: always Sqlite; Postgres too when env `CHORUS_TEST_DATABASE_URL`
/// is set. When `CI=true` and the variable is unset, or PostgreSQL is unreachable, this
/// panics: CI must never skip PostgreSQL silently.
pub fn backends() -> Vec<TestBackend> {
    let mut backends = vec![TestBackend::Sqlite];
    match admin_url() {
        Some(url) => {
            if let Err(reason) = postgres_reachable(&url) {
                panic!(
                    "{DATABASE_URL_VAR} is set but PostgreSQL cannot be reached ({reason}); \
                     start PostgreSQL or unset the variable to run the SQLite tests only"
                );
            }
            backends.push(TestBackend::Postgres);
        }
        None if std::env::var("CI").is_ok_and(|ci| ci.eq_ignore_ascii_case("true")) => {
            panic!(
                "CI=true but {DATABASE_URL_VAR} is not set: the PostgreSQL tests must run in CI \
                 (set it to an admin URL such as postgres://postgres@127.0.0.1:5432/postgres)"
            );
        }
        None => {}
    }
    backends
}

fn admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
}

/// Opens and closes one admin connection, on its own thread and runtime so it works from
/// sync code and from inside any runtime.
fn check_reachable(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    run_on_own_runtime(async move {
        let mut conn = admin_connect(&url).await?;
        conn.execute("SELECT 1").await.map_err(|e| e.to_string())?;
        conn.close().await.map_err(|e| e.to_string())
    })
}

/// Runs `future` to completion on a new thread with a current-thread runtime.
fn run_on_own_runtime<F>(future: F) -> Result<(), String>
where
    F: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?
            .block_on(future)
    })
    .join()
    .unwrap_or_else(|_| Err("the helper thread panicked".to_owned()))
}

async fn admin_connect(url: &str) -> Result<PgConnection, String> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| format!("invalid {DATABASE_URL_VAR}: {e}"))?
        .application_name("chorus-tests");
    let connect = options.connect();
    match tokio::time::timeout(Duration::from_secs(10), connect).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("connecting timed out after 10 s".to_owned()),
    }
}

/// `url` with its database (path) replaced by `database`, query parameters kept.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{database}{query}", &base[..path_start])
}

enum Cleanup {
    Postgres { admin_url: String, name: String },
    Sqlite { dir: PathBuf },
}

/// A fresh, empty database for one test; removed on drop.
pub struct TestDatabase {
    url: String,
    backend: TestBackend,
    cleanup: Cleanup,
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("url", &self.url)
            .field("backend", &self.backend)
            .finish()
    }
}

impl TestDatabase {
    /// Creates the database. PostgreSQL: `CREATE DATABASE chorus_test_<uuid>` through the
    /// admin URL; SQLite: `chorus.db` in a fresh directory under the system temp dir.
    /// Panics when the database cannot be created (tests cannot go on without it).
    pub async fn create(backend: TestBackend) -> TestDatabase {
        let id = Uuid::new_v4().simple();
        match backend {
            TestBackend::Postgres => {
                let admin_url = admin_url().unwrap_or_else(|| {
                    panic!("TestBackend::Postgres needs {DATABASE_URL_VAR} (see testing::TestBackend::require_postgres)")
                });
                let name = format!("chorus_test_{id}");
                let mut conn = admin_connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("cannot connect to {DATABASE_URL_VAR}: {e}"));
                conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
                // Durability is irrelevant for a throw-away database; commit latency is not.
                conn.execute(
                    format!("ALTER DATABASE \"{name}\" SET synchronous_commit = off").as_str(),
                )
                .await
                .unwrap_or_else(|e| panic!("cannot configure test database {name}: {e}"));
                if let Err(error) = conn.close().await {
                    tracing::warn!(%error, "closing the admin connection failed");
                }
                TestDatabase {
                    url: with_database(&admin_url, &name),
                    backend,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
            TestBackend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("chorus-test-{id}"));
                std::fs::create_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
                let url = format!("sqlite://{}", dir.join("chorus.db").display());
                TestDatabase {
                    url,
                    backend,
                    cleanup: Cleanup::Sqlite { dir },
                }
            }
        }
    }

    /// The URL to hand to [`crate::Db::connect`].
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> TestBackend {
        self.backend
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => {
                let admin_url = admin_url.clone();
                let drop_sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                let result = run_on_own_runtime(async move {
                    let mut conn = admin_connect(&admin_url).await?;
                    conn.execute(drop_sql.as_str())
                        .await
                        .map_err(|e| e.to_string())?;
                    conn.close().await.map_err(|e| e.to_string())
                });
                if let Err(error) = result {
                    tracing::warn!(%error, database = %name, "could not drop the test database");
                }
            }
            Cleanup::Sqlite { dir } => {
                if let Err(error) = std::fs::remove_dir_all(dir) {
                    tracing::warn!(%error, dir = %dir.display(), "could not remove the test database");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_is_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h:1/db?sslmode=disable", "x"),
            "postgres://u:p@h:1/x?sslmode=disable"
        );
        assert_eq!(with_database("postgresql://h", "x"), "postgresql://h/x");
        assert_eq!(with_database("postgres://h?a=b", "x"), "postgres://h/x?a=b");
    }
}
