//! `chorus-bench`: measures Chorus end to end against ceilings measured in the same run.
//!
//! `cargo run --release -p chorus-bench -- all` creates a fresh database per backend,
//! loads two years of history (1,000,000 approvals, 1,000,000 cases), rebuilds the read
//! models with `chorus projections rebuild`, starts `chorus serve` as its own process,
//! drives it over loopback through GraphQL over HTTP and graphql-transport-ws, measures
//! the ceilings, and writes `docs/performance.md` and `docs/performance.json`. `--quick`
//! runs the same scenarios on a small history in seconds (CI runs it so the suite never
//! rots).

mod ceiling;
mod costs;
mod database;
mod dataset;
mod durability;
mod load;
mod operations;
mod peer;
mod report;
mod scenarios;
mod server;
mod targets;
mod timer;
mod writes;

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// Why a benchmark run failed.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("set-up: {0}")]
    Setup(String),
    #[error("dataset: {0}")]
    Dataset(String),
    #[error("load: {0}")]
    Load(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Parser)]
#[command(
    name = "chorus-bench",
    about = "Chorus against the hardware's ceilings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every scenario on every selected backend and write the report.
    All(Options),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Self::Postgres => "PostgreSQL",
            Self::Sqlite => "SQLite",
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// A small history and short loops: every scenario in seconds, targets not judged.
    #[arg(long)]
    quick: bool,
    /// Backends to measure, in order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Backend::Postgres, Backend::Sqlite])]
    backends: Vec<Backend>,
    /// PostgreSQL server to create the benchmark database on (any database on it).
    #[arg(
        long,
        env = "CHORUS_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    postgres_url: String,
    /// Where to write performance.md and performance.json (default: docs/, or
    /// target/chorus-bench/ with --quick).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Extra environment for `chorus serve`, e.g. CHORUS_MAX_CONNECTIONS=32 (repeatable).
    #[arg(long = "server-env", value_parser = parse_env)]
    server_env: Vec<(String, String)>,
    /// Keep the benchmark databases afterwards (for EXPLAIN and profiling).
    #[arg(long)]
    keep: bool,
    /// Approvals in the generated history (default 1,000,000; 4,000 with --quick). The
    /// targets are stated for 1,000,000; a smaller history is for trying changes fast.
    #[arg(long)]
    approvals: Option<usize>,
    /// Cases in the generated history (default 1,000,000; 5,000 with --quick), 3% of
    /// them open; the case queue and SLA timer targets are stated for 1,000,000.
    #[arg(long)]
    cases: Option<usize>,
    /// Stop each backend after the rebuild (history, sequential read, rebuild): for
    /// trying a change to the replay in minutes. The report goes to target/chorus-bench/
    /// unless --out says otherwise; `all` without it is unchanged.
    #[arg(long)]
    rebuild_only: bool,
}

fn parse_env(value: &str) -> Result<(String, String), String> {
    value
        .split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| "expected KEY=VALUE".to_owned())
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let Command::All(options) = Cli::parse().command;
    match run(options).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "benchmark failed");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), BenchError> {
    let started = Instant::now();
    let root = workspace_root();
    let out = options.out.clone().unwrap_or_else(|| {
        if options.quick || options.rebuild_only {
            root.join("target").join("chorus-bench")
        } else {
            root.join("docs")
        }
    });
    let work = root.join("target").join("chorus-bench").join("work");
    std::fs::create_dir_all(&out)?;
    std::fs::create_dir_all(&work)?;
    let chorus = server::build_chorus().await?;
    let mut backends = Vec::new();
    // PostGraphile runs on PostgreSQL only; a later SQLite run is held against its figures.
    let mut peer = None;
    for backend in &options.backends {
        tracing::info!(backend = backend.label(), "measuring");
        let (report, measured) =
            scenarios::run_backend(*backend, &options, (&chorus, &work), peer.as_ref()).await?;
        peer = measured.or(peer);
        backends.push(report);
    }
    let report = report::Report::new(
        options.quick,
        backends,
        started.elapsed().as_secs_f64(),
        &options,
    )
    .await;
    let (markdown, json) = (report.markdown(), serde_json::to_string_pretty(&report)?);
    std::fs::write(out.join("performance.md"), &markdown)?;
    std::fs::write(out.join("performance.json"), json)?;
    std::io::Write::write_all(&mut std::io::stdout(), markdown.as_bytes())?;
    tracing::info!(
        out = %out.display(),
        seconds = started.elapsed().as_secs_f64(),
        "report written"
    );
    Ok(())
}
