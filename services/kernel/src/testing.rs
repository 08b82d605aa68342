//! Test support: throw-away databases on both backends and the kernel's own migrations.
//!
//! Tests loop over [`backends()`]: SQLite always, PostgreSQL when
//! `CHORUS_TEST_DATABASE_URL` names an admin connection (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each [`TestDatabase`] is a fresh, empty
//! database that is removed again when it is dropped.

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

/// The backends to run on: always Sqlite; Postgres too when env `CHORUS_TEST_DATABASE_URL`
/// is set. When `CI=true` and the variable is unset, or PostgreSQL is unreachable, this
/// panics: CI must never skip PostgreSQL silently.
pub fn backends() -> Vec<TestBackend> {
    let mut backends = vec![TestBackend::Sqlite];
    match admin_url() {
        Some(url) => {
            static REACHABLE: OnceLock<Result<(), String>> = OnceLock::new();
            let reachable = REACHABLE.get_or_init(|| check_reachable(&url));
            if let Err(reason) = reachable {
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
                    panic!("TestBackend::Postgres needs {DATABASE_URL_VAR} (see testing::backends)")
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
