//! The `chorus` binary, run as a separate process exactly as an operator runs it: the
//! command-line tools for migrations, rebuild and tokens, and `chorus serve` under load.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::BenchError;

/// Builds `chorus` in the profile this benchmark was built in and returns its path. The
/// whole workspace's binaries are built, so features unify as in `cargo build --workspace`
/// and a tree built that way (as CI does) is reused rather than rebuilt.
pub async fn build_chorus() -> Result<PathBuf, BenchError> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .ok_or_else(|| BenchError::Setup("the benchmark binary has no directory".into()))?;
    let release = dir.file_name().is_some_and(|name| name == "release");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "--workspace", "--bins"]);
    if release {
        build.arg("--release");
    }
    tracing::info!(release, "building chorus");
    let status = build.status().await?;
    if !status.success() {
        return Err(BenchError::Setup("cargo build of chorus failed".into()));
    }
    Ok(dir.join("chorus"))
}

/// Runs `chorus ARGS` against `database_url` and returns its standard output; with the
/// peak resident memory of the process, sampled while it runs.
pub async fn run_cli(
    chorus: &Path,
    database_url: &str,
    args: &[&str],
) -> Result<(String, u64), BenchError> {
    let mut child = Command::new(chorus)
        .args(args)
        .env("CHORUS_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id();
    let mut peak = 0;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let read_out = tokio::spawn(async move {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            tokio::io::AsyncReadExt::read_to_end(s, &mut out).await.ok();
        }
        out
    });
    let read_err = tokio::spawn(async move {
        let mut err = Vec::new();
        if let Some(s) = stderr.as_mut() {
            tokio::io::AsyncReadExt::read_to_end(s, &mut err).await.ok();
        }
        err
    });
    let status = loop {
        if let Some(pid) = pid {
            peak = peak.max(peak_rss(pid).unwrap_or(0));
        }
        match tokio::time::timeout(Duration::from_millis(50), child.wait()).await {
            Ok(status) => break status?,
            Err(_) => continue,
        }
    };
    let out = String::from_utf8_lossy(&read_out.await.unwrap_or_default()).into_owned();
    let err = String::from_utf8_lossy(&read_err.await.unwrap_or_default()).into_owned();
    if !status.success() {
        return Err(BenchError::Setup(format!(
            "chorus {} failed ({status}): {err}{out}",
            args.join(" ")
        )));
    }
    Ok((out, peak))
}

/// Peak resident set size of a process in bytes (`VmHWM`), if it is still running.
pub fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A running `chorus serve`.
pub struct Server {
    child: Child,
    pub base_url: String,
    pub ws_url: String,
}

impl Server {
    /// Starts the server on a free loopback port and waits until it answers `/readyz`.
    pub async fn start(
        chorus: &Path,
        database_url: &str,
        log: &Path,
        extra_env: &[(String, String)],
    ) -> Result<Self, BenchError> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log_file = std::fs::File::create(log)?;
        let mut command = Command::new(chorus);
        command
            .arg("serve")
            .env("CHORUS_DATABASE_URL", database_url)
            .env("CHORUS_LISTEN", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::from(log_file.try_clone()?))
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true);
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let child = command.spawn()?;
        let server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            ws_url: format!("ws://127.0.0.1:{port}/graphql/ws"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(response) = http.get(format!("{}/readyz", server.base_url)).send().await {
                if response.status().is_success() {
                    return Ok(server);
                }
            }
            if Instant::now() > deadline {
                return Err(BenchError::Setup(format!(
                    "chorus serve did not become ready; see {}",
                    log.display()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Peak resident memory of the server so far, in bytes.
    pub fn peak_rss(&self) -> Option<u64> {
        self.child.id().and_then(peak_rss)
    }

    /// Stops the server gracefully (SIGTERM), killing it if it does not stop in time.
    pub async fn stop(mut self) -> Result<(), BenchError> {
        if let Some(pid) = self.child.id() {
            Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await?;
        }
        if tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .is_err()
        {
            self.child.kill().await?;
        }
        Ok(())
    }
}

/// A bearer token for `person`, issued by `chorus token` as an operator does.
pub async fn token(
    chorus: &Path,
    database_url: &str,
    person: uuid::Uuid,
) -> Result<String, BenchError> {
    let person = person.to_string();
    let (printed, _) = run_cli(
        chorus,
        database_url,
        &["token", "--person", &person, "--json"],
    )
    .await?;
    let issued: serde_json::Value = serde_json::from_str(printed.trim())?;
    issued["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| BenchError::Setup(format!("chorus token printed {printed}")))
}
