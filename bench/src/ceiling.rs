//! Ceilings measured in the same run: what the database itself does for the same work
//! (pgbench with the scripts in `bench/pgbench/`, or the same statements from this process
//! on SQLite), and how fast a client merely streams the events table.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgConnection, Row, SqliteConnection};
use tokio::process::Command;

use crate::load::Stats;
use crate::BenchError;

/// Where the shipped pgbench scripts live.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("pgbench")
        .join(name)
}

/// Runs pgbench: `clients` connections, `transactions` each, prepared statements, with
/// per-transaction latencies logged to `log_dir` and read back for p50 / p99.
pub async fn pgbench(
    database_url: &str,
    script: &Path,
    clients: usize,
    transactions: usize,
    vars: &[(&str, String)],
    log_dir: &Path,
) -> Result<Stats, BenchError> {
    let prefix = log_dir.join(format!(
        "pgbench-{}-{clients}",
        script
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    clear_logs(&prefix)?;
    let mut command = Command::new("pgbench");
    command
        .arg("-n")
        .args(["-M", "prepared"])
        .args(["-c", &clients.to_string()])
        .args(["-j", &clients.min(2).to_string()])
        .args(["-t", &transactions.to_string()])
        .arg("-l")
        .arg(format!("--log-prefix={}", prefix.display()))
        .arg("-f")
        .arg(script);
    for (name, value) in vars {
        command.arg("-D").arg(format!("{name}={value}"));
    }
    command.arg(database_url);
    let started = Instant::now();
    let output = command.output().await.map_err(|e| {
        BenchError::Setup(format!(
            "pgbench could not run ({e}); install the PostgreSQL client (Debian: postgresql-client)"
        ))
    })?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(BenchError::Setup(format!(
            "pgbench {} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tps = stdout
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| BenchError::Setup(format!("pgbench printed no tps: {stdout}")))?;
    let latencies = read_logs(&prefix)?;
    clear_logs(&prefix)?;
    let mut stats = Stats::from_latencies(clients, latencies, elapsed);
    // pgbench's own rate excludes connection set-up; use it.
    stats.per_second = tps;
    Ok(stats)
}

fn logs_of(prefix: &Path) -> Result<Vec<PathBuf>, BenchError> {
    let dir = prefix
        .parent()
        .ok_or_else(|| BenchError::Setup("log prefix has no directory".into()))?;
    let stem = prefix
        .file_name()
        .map(|s| format!("{}.", s.to_string_lossy()))
        .unwrap_or_default();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&stem) {
            files.push(entry.path());
        }
    }
    Ok(files)
}

fn clear_logs(prefix: &Path) -> Result<(), BenchError> {
    for file in logs_of(prefix)? {
        std::fs::remove_file(file)?;
    }
    Ok(())
}

/// pgbench's per-transaction log: the third field is the latency in microseconds.
fn read_logs(prefix: &Path) -> Result<Vec<Duration>, BenchError> {
    let mut latencies = Vec::new();
    for file in logs_of(prefix)? {
        for line in std::fs::read_to_string(file)?.lines() {
            if let Some(us) = line
                .split_whitespace()
                .nth(2)
                .and_then(|v| v.parse::<u64>().ok())
            {
                latencies.push(Duration::from_micros(us));
            }
        }
    }
    Ok(latencies)
}

/// How fast one client streams every row of the events table, in log order, decoding
/// each column as the projector does (but applying nothing): rows per second.
pub async fn sequential_read(database_url: &str) -> Result<(u64, f64), BenchError> {
    let started = Instant::now();
    let mut rows = 0u64;
    if database_url.starts_with("sqlite:") {
        let mut conn = SqliteConnection::connect(database_url).await?;
        {
            let mut stream = sqlx::query(
                "SELECT global_position, transaction_id, aggregate_type, aggregate_id, sequence, \
                 event_type, event_version, payload, organization_id, actor_id, actor_kind, \
                 occurred_at, correlation_id, causation_id, request_source, recorded_at \
                 FROM events ORDER BY global_position",
            )
            .fetch(&mut conn);
            while let Some(row) = stream.try_next().await? {
                decode_sqlite(&row)?;
                rows += 1;
            }
        }
        conn.close().await?;
    } else {
        let mut conn = PgConnection::connect(database_url).await?;
        {
            let mut stream = sqlx::query(
                "SELECT global_position, (transaction_id::text)::bigint AS transaction_id, \
                 aggregate_type, aggregate_id, sequence, event_type, event_version, payload, \
                 organization_id, actor_id, actor_kind, occurred_at, correlation_id, causation_id, \
                 request_source, recorded_at FROM events \
                 ORDER BY events.transaction_id, events.global_position",
            )
            .fetch(&mut conn);
            while let Some(row) = stream.try_next().await? {
                decode_pg(&row)?;
                rows += 1;
            }
        }
        conn.close().await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok((rows, rows as f64 / seconds.max(f64::EPSILON)))
}

type Decoded = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    uuid::Uuid,
    Option<uuid::Uuid>,
    String,
    chrono::DateTime<chrono::Utc>,
    uuid::Uuid,
    Option<uuid::Uuid>,
    String,
    chrono::DateTime<chrono::Utc>,
);

macro_rules! decode_row {
    ($row:expr) => {
        Ok::<Decoded, sqlx::Error>((
            $row.try_get(0)?,
            $row.try_get(1)?,
            $row.try_get(2)?,
            $row.try_get(3)?,
            $row.try_get(4)?,
            $row.try_get(5)?,
            $row.try_get(6)?,
            $row.try_get(7)?,
            $row.try_get(8)?,
            $row.try_get(9)?,
            $row.try_get(10)?,
            $row.try_get(11)?,
            $row.try_get(12)?,
            $row.try_get(13)?,
            $row.try_get(14)?,
            $row.try_get(15)?,
        ))
    };
}

fn decode_pg(row: &sqlx::postgres::PgRow) -> Result<Decoded, sqlx::Error> {
    decode_row!(row)
}

fn decode_sqlite(row: &sqlx::sqlite::SqliteRow) -> Result<Decoded, sqlx::Error> {
    decode_row!(row)
}

/// SQLite's own single-row INSERT rate into an events-shaped table, each row its own
/// transaction, from `clients` connections (same journal and sync settings as Chorus).
/// SQLite's `synchronous` setting for the INSERT ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit synced, as `chorus serve` does by default.
    Full,
    /// Synced at checkpoints only (`sqlite_synchronous = "normal"`).
    Normal,
}

pub async fn sqlite_insert(
    database_url: &str,
    clients: usize,
    per_client: usize,
    durability: Durability,
) -> Result<Stats, BenchError> {
    let options: SqliteConnectOptions = database_url.parse()?;
    let pool = SqlitePoolOptions::new()
        .max_connections(clients as u32)
        .connect_with(
            options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match durability {
                    Durability::Full => SqliteSynchronous::Full,
                    Durability::Normal => SqliteSynchronous::Normal,
                })
                .busy_timeout(Duration::from_secs(30)),
        )
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_insert_ceiling (global_position INTEGER PRIMARY KEY \
         AUTOINCREMENT, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, sequence \
         INTEGER NOT NULL, event_type TEXT NOT NULL, event_version TEXT NOT NULL, payload TEXT \
         NOT NULL, organization_id BLOB NOT NULL, occurred_at TEXT NOT NULL, \
         UNIQUE (aggregate_type, aggregate_id, sequence))",
    )
    .execute(&pool)
    .await?;
    let payload = std::fs::read_to_string(script("payload.json"))?;
    let pool2 = pool.clone();
    let stats = crate::load::closed_loop(clients, per_client, move |_, _| {
        let pool = pool2.clone();
        let payload = payload.clone();
        async move {
            sqlx::query(
                "INSERT INTO bench_insert_ceiling (aggregate_type, aggregate_id, sequence, \
                 event_type, event_version, payload, organization_id, occurred_at) \
                 VALUES ('person', $1, 1, 'RoleAssigned', '1.0', $2, $3, $4)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(payload.trim())
            .bind(uuid::Uuid::now_v7())
            .bind(chrono::Utc::now())
            .execute(&pool)
            .await?;
            Ok(())
        }
    })
    .await?;
    sqlx::query("DROP TABLE bench_insert_ceiling")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(stats)
}
