//! The report: every figure beside its ceiling and the ratio, the machine and versions;
//! as Markdown (`performance.md`) and raw JSON (`performance.json`).

use std::fmt::Write as _;

use serde::Serialize;
use sqlx::Connection;

use crate::load::Stats;
use crate::{Backend, Options};

/// What a figure is held to (judged on PostgreSQL in a full run).
#[derive(Debug, Clone, Copy)]
pub enum Target {
    None,
    /// value / ceiling ≥ ratio
    RatioAtLeast(f64),
    /// value / ceiling ≥ ratio and p99 ≤ ms
    RatioAtLeastAndP99(f64, f64),
    P99AtMost(f64),
    /// value ≤ limit
    AtMost(f64),
    /// A rate within `x` times of the reference in the ceiling column: value / ceiling ≥ 1 / x
    RateWithin(f64),
    /// A latency within `x` times of the reference in the ceiling column: value / ceiling ≤ x
    LatencyWithin(f64),
}

impl Target {
    fn describe(self) -> String {
        match self {
            Self::None => "—".into(),
            Self::RatioAtLeast(r) => format!("≥ {:.0}% of ceiling", r * 100.0),
            Self::RatioAtLeastAndP99(r, ms) => {
                format!("≥ {:.0}% of ceiling; p99 ≤ {ms} ms", r * 100.0)
            }
            Self::P99AtMost(ms) => format!("p99 ≤ {ms} ms"),
            Self::AtMost(limit) => format!("≤ {limit}"),
            Self::RateWithin(x) => format!("within {x}× of the reference (≥ {:.0}%)", 100.0 / x),
            Self::LatencyWithin(x) => format!("≤ {x}× the reference"),
        }
    }

    /// Whether `value` (with its `ratio` to the ceiling and its `p99`) meets the target;
    /// `None` when there is nothing to judge or a figure it needs is missing.
    fn judge(self, value: f64, ratio: Option<f64>, p99: Option<f64>) -> Option<bool> {
        match self {
            Self::None => None,
            Self::RatioAtLeast(r) => ratio.map(|x| x >= r),
            Self::RatioAtLeastAndP99(r, ms) => ratio.zip(p99).map(|(x, p)| x >= r && p <= ms),
            Self::P99AtMost(ms) => p99.map(|p| p <= ms),
            Self::AtMost(limit) => Some(value <= limit),
            Self::RateWithin(x) => ratio.map(|r| r * x >= 1.0),
            Self::LatencyWithin(x) => ratio.map(|r| r <= x),
        }
    }
}

/// The peer a figure is compared with, and the multiple of it the target asks for.
#[derive(Debug, Clone, Serialize)]
pub struct PeerComparison {
    pub name: String,
    pub value: f64,
    pub stats: Stats,
    /// value / the peer's value
    pub ratio: f64,
    /// The ratio the target asks for (judged with the figure's own target).
    pub at_least: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ceiling {
    pub name: String,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub id: &'static str,
    pub scenario: String,
    pub unit: &'static str,
    pub value: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub ceiling: Option<Ceiling>,
    /// value / ceiling
    pub ratio: Option<f64>,
    /// Further ceilings for context (the database's own rate for the same SQL).
    pub other_ceilings: Vec<Ceiling>,
    /// The peer (PostGraphile v5) doing the same work in the same run, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<PeerComparison>,
    /// The target in words.
    pub target_text: String,
    pub met: Option<bool>,
    pub stats: Option<Stats>,
}

impl Figure {
    fn build(
        id: &'static str,
        scenario: String,
        unit: &'static str,
        value: f64,
        stats: Option<&Stats>,
        ceiling: Option<(&str, f64)>,
        target: Target,
    ) -> Self {
        let ceiling = ceiling.map(|(name, value)| Ceiling {
            name: name.to_owned(),
            value,
            stats: None,
        });
        let ratio = ceiling
            .as_ref()
            .filter(|c| c.value > 0.0)
            .map(|c| value / c.value);
        let p99 = stats.map(|s| s.p99_ms);
        let met = target.judge(value, ratio, p99);
        Self {
            id,
            scenario,
            unit,
            value,
            p50_ms: stats.map(|s| s.p50_ms),
            p99_ms: p99,
            ceiling,
            ratio,
            other_ceilings: Vec::new(),
            peer: None,
            target_text: target.describe(),
            met,
            stats: stats.cloned(),
        }
    }

    pub fn rate(
        id: &'static str,
        scenario: String,
        unit: &'static str,
        value: f64,
        ceiling: Option<(&str, f64)>,
        target: Target,
    ) -> Self {
        Self::build(id, scenario, unit, value, None, ceiling, target)
    }

    pub fn value(
        id: &'static str,
        scenario: String,
        unit: &'static str,
        value: f64,
        target: Target,
    ) -> Self {
        Self::build(id, scenario, unit, value, None, None, target)
    }

    /// A latency figure: the median, held to `reference` (a median of the same run).
    pub fn latency(
        id: &'static str,
        scenario: String,
        stats: &Stats,
        reference: Option<(&str, f64)>,
        target: Target,
    ) -> Self {
        Self::build(
            id,
            scenario,
            "ms (p50)",
            stats.p50_ms,
            Some(stats),
            reference,
            target,
        )
    }

    pub fn stats(
        id: &'static str,
        scenario: String,
        unit: &'static str,
        stats: &Stats,
        ceiling: Option<(&str, f64)>,
        target: Target,
    ) -> Self {
        Self::build(
            id,
            scenario,
            unit,
            stats.per_second,
            Some(stats),
            ceiling,
            target,
        )
    }

    /// Holds the figure to at least `at_least` times the peer's rate as well: met only
    /// if its own target and the peer ratio both are.
    pub fn against_peer(mut self, name: &str, peer: &Stats, at_least: f64) -> Self {
        let ratio = self.value / peer.per_second.max(f64::EPSILON);
        self.met = self.met.map(|met| met && ratio >= at_least);
        self.target_text = format!("{}; ≥ {at_least}× {name}", self.target_text);
        self.peer = Some(PeerComparison {
            name: name.to_owned(),
            value: peer.per_second,
            stats: peer.clone(),
            ratio,
            at_least,
        });
        self
    }

    pub fn extra_ceiling(&mut self, name: &str, stats: &Stats) {
        self.other_ceilings.push(Ceiling {
            name: name.to_owned(),
            value: stats.per_second,
            stats: Some(stats.clone()),
        });
    }
}

/// The history size the targets are stated for.
const FULL_APPROVALS: u64 = 1_000_000;
const FULL_CASES: u64 = 1_000_000;

#[derive(Debug, Clone, Serialize)]
pub struct BackendReport {
    pub backend: String,
    pub events: u64,
    pub approvals: u64,
    pub cases: u64,
    pub events_read_sequentially: u64,
    pub load_seconds: f64,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub memory_gib: f64,
    pub cpu: String,
    pub kernel: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Versions {
    pub chorus: String,
    pub commit: String,
    pub rustc: String,
    pub postgres: String,
    pub sqlite: String,
    pub pgbench: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mode: &'static str,
    /// The command line that produced the report.
    pub command: String,
    pub generated_at: String,
    pub wall_seconds: f64,
    pub machine: Machine,
    pub versions: Versions,
    pub backends: Vec<BackendReport>,
}

async fn command_output(program: &str, args: &[&str]) -> String {
    tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

fn machine() -> Machine {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    Machine {
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory_gib: (memory_kb / 1_048_576.0 * 10.0).round() / 10.0,
        cpu,
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

/// The first column of `sql`'s one row over a fresh connection of type `$connection` to
/// `$url`: "unknown" if the query fails, `$unreachable` if the connection does.
macro_rules! version_of {
    ($connection:ty, $url:expr, $sql:literal, $unreachable:literal) => {
        match <$connection>::connect($url).await {
            Ok(mut conn) => {
                let version: Result<(String,), _> = sqlx::query_as($sql).fetch_one(&mut conn).await;
                let _ = conn.close().await;
                version.map(|v| v.0).unwrap_or_else(|_| "unknown".into())
            }
            Err(_) => $unreachable.into(),
        }
    };
}

async fn postgres_version(url: &str) -> String {
    version_of!(
        sqlx::PgConnection,
        url,
        "SHOW server_version",
        "not measured"
    )
}

async fn sqlite_version() -> String {
    version_of!(
        sqlx::SqliteConnection,
        "sqlite::memory:",
        "SELECT sqlite_version()",
        "unknown"
    )
}

impl Report {
    pub async fn new(
        quick: bool,
        backends: Vec<BackendReport>,
        wall_seconds: f64,
        options: &Options,
    ) -> Self {
        let postgres = if options.backends.contains(&Backend::Postgres) {
            postgres_version(&options.postgres_url).await
        } else {
            "not measured".into()
        };
        Self {
            mode: if quick { "quick" } else { "full" },
            command: std::env::args().skip(1).collect::<Vec<_>>().join(" "),
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            wall_seconds,
            machine: machine(),
            versions: Versions {
                chorus: env!("CARGO_PKG_VERSION").to_owned(),
                commit: command_output("git", &["rev-parse", "--short", "HEAD"]).await,
                rustc: command_output("rustc", &["--version"]).await,
                postgres,
                sqlite: sqlite_version().await,
                pgbench: command_output("pgbench", &["--version"]).await,
            },
            backends,
        }
    }

    /// Targets are judged on PostgreSQL in a full run at the stated history size.
    fn judged(&self, backend: &BackendReport) -> bool {
        backend.backend == Backend::Postgres.label()
            && self.mode == "full"
            && backend.approvals >= FULL_APPROVALS
            && backend.cases >= FULL_CASES
    }

    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Chorus performance\n");
        let _ = writeln!(
            md,
            "Generated by `chorus-bench {}` (`cargo run --release -p chorus-bench -- all` \
             is the full run) on {} in {:.0} s. Do not edit by hand: rerun the command. \
             What holds unmet targets back, with profiles: \
             [performance-analysis.md](performance-analysis.md).\n",
            self.command, self.generated_at, self.wall_seconds
        );
        if self.mode == "quick"
            || self
                .backends
                .iter()
                .any(|b| b.approvals < FULL_APPROVALS || b.cases < FULL_CASES)
        {
            let _ = writeln!(
                md,
                "**This run's history is smaller than the 1,000,000 approvals and \
                 1,000,000 cases the targets are stated for: its figures are not judged \
                 against them.**\n"
            );
        }
        let m = &self.machine;
        let v = &self.versions;
        let _ = writeln!(
            md,
            "Machine: {} cores, {} GiB, {}, Linux {}. Versions: chorus {} ({}), {}, \
             PostgreSQL {}, SQLite {}, {}.\n",
            m.cores,
            m.memory_gib,
            m.cpu,
            m.kernel,
            v.chorus,
            v.commit,
            v.rustc,
            v.postgres,
            v.sqlite,
            v.pgbench
        );
        let _ = writeln!(
            md,
            "Load comes from the `chorus-bench` process over loopback; the server, the \
             database and the load share the machine's cores, as do the ceilings, which are \
             measured in the same run. Ratios are what to compare across machines. Targets \
             are judged on PostgreSQL (synchronous commit on).\n"
        );
        md.push_str(&crate::targets::summary(&self.backends, |b| self.judged(b)));
        for backend in &self.backends {
            let _ = writeln!(
                md,
                "## {}\n\n{} events in the log ({} approvals, {} cases), loaded in {:.0} s.\n",
                backend.backend,
                backend.events,
                backend.approvals,
                backend.cases,
                backend.load_seconds
            );
            let _ = writeln!(
                md,
                "| scenario | figure | ceiling (same run) | ratio | peer (same run) | \
                 Chorus / peer | p50 | p99 | target | met |"
            );
            let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|");
            let judge = self.judged(backend);
            for f in &backend.figures {
                let ceiling = f
                    .ceiling
                    .iter()
                    .chain(f.other_ceilings.iter())
                    .map(|c| match &c.stats {
                        Some(s) => format!(
                            "{}: {} (p50 {:.2} ms, p99 {:.2} ms)",
                            c.name,
                            number(c.value),
                            s.p50_ms,
                            s.p99_ms
                        ),
                        None => format!("{}: {}", c.name, number(c.value)),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let met = match (judge, f.met) {
                    (true, Some(true)) => "yes",
                    (true, Some(false)) => "**no**",
                    _ => "—",
                };
                let (peer, peer_ratio) =
                    f.peer.as_ref().map_or(("—".into(), "—".into()), |p| {
                        (
                            format!(
                                "{}: {} (p50 {:.2} ms, p99 {:.2} ms)",
                                p.name,
                                number(p.value),
                                p.stats.p50_ms,
                                p.stats.p99_ms
                            ),
                            format!("{:.2}×", p.ratio),
                        )
                    });
                let _ = writeln!(
                    md,
                    "| {} | {} {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    f.scenario,
                    number(f.value),
                    f.unit,
                    if ceiling.is_empty() {
                        "—".into()
                    } else {
                        ceiling
                    },
                    f.ratio.map_or("—".into(), |r| format!("{:.0}%", r * 100.0)),
                    peer,
                    peer_ratio,
                    f.p50_ms.map_or("—".into(), |p| format!("{p:.2} ms")),
                    f.p99_ms.map_or("—".into(), |p| format!("{p:.2} ms")),
                    f.target_text,
                    met
                );
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "Raw figures (every latency, ceiling and ratio): [performance.json](performance.json)."
        );
        md
    }
}

/// 12,345 or 12.3 or 0.123: enough digits to read, no more.
pub(crate) fn number(value: f64) -> String {
    if value >= 100.0 {
        let rounded = value.round() as u64;
        let digits = rounded.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests;
