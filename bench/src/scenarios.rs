//! One backend's run: fresh database, history, rebuild, server, scenarios, ceilings.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::ceiling;
use crate::costs::{self, Sizes};
use crate::database::Database;
use crate::dataset::{self, Dataset, Loader, Plan};
use crate::load::{self, Api, Stats};
use crate::operations::{fifty_cases, fifty_members, global_id, CASE_QUEUE, READ_TEAM};
use crate::operations::{AUDITOR, TIME_TRAVEL};
use crate::peer::{self, Peer, PeerFigures};
use crate::report::{BackendReport, Figure, Target};
use crate::server::{self, Server};
use crate::writes::{assign_roles, WritePool};
use crate::{Backend, BenchError, Options};

/// Request counts per scenario; every loop is bounded.
pub(crate) struct Loops {
    pub(crate) healthz: usize,
    pub(crate) read: usize,
    pub(crate) auditor: usize,
    pub(crate) time_travel: usize,
    /// (clients, requests per client)
    pub(crate) writes: [(usize, usize); 3],
    pub(crate) insert_ceiling: [(usize, usize); 3],
    pub(crate) read_sql: usize,
    pub(crate) auditor_sql: usize,
    pub(crate) warmup: usize,
    /// Runs of the SLA timer's query, on each table.
    pub(crate) timer: usize,
}

impl Loops {
    pub(crate) fn new(quick: bool) -> Self {
        if quick {
            Self {
                healthz: 50,
                read: 5,
                auditor: 30,
                time_travel: 20,
                writes: [(1, 20), (16, 5), (64, 3)],
                insert_ceiling: [(1, 50), (16, 10), (64, 5)],
                read_sql: 5,
                auditor_sql: 30,
                warmup: 2,
                timer: 50,
            }
        } else {
            Self {
                healthz: 1_500,
                read: 150,
                auditor: 2_000,
                time_travel: 1_000,
                writes: [(1, 400), (16, 150), (64, 60)],
                insert_ceiling: [(1, 1_000), (16, 400), (64, 150)],
                read_sql: 300,
                auditor_sql: 2_000,
                warmup: 20,
                timer: 2_000,
            }
        }
    }
}

/// A deterministic spread of instants and picks (no RNG dependency; reproducible).
fn spread(i: usize, n: usize) -> usize {
    (i.wrapping_mul(2_654_435_761) % n.max(1)).min(n.saturating_sub(1))
}

fn instant_in(from: DateTime<Utc>, to: DateTime<Utc>, i: usize) -> DateTime<Utc> {
    let span = (to - from).num_seconds().max(1) as usize;
    from + chrono::Duration::seconds(spread(i, span) as i64)
}

/// One backend's report, and the PostGraphile peer's figures when this backend ran it
/// (PostgreSQL); `peer` is the figures of an earlier backend of the same run, which the
/// SQLite rows are held against.
pub async fn run_backend(
    backend: Backend,
    options: &Options,
    (chorus, work): (&Path, &Path),
    peer: Option<&PeerFigures>,
) -> Result<(BackendReport, Option<PeerFigures>), BenchError> {
    let db = Database::create(backend, options, work).await?;
    let result = measure(backend, options, (chorus, work), &db, peer).await;
    db.drop_now(options.keep).await?;
    result
}

async fn measure(
    backend: Backend,
    options: &Options,
    (chorus, work): (&Path, &Path),
    db: &Database,
    peer: Option<&PeerFigures>,
) -> Result<(BackendReport, Option<PeerFigures>), BenchError> {
    let loops = Loops::new(options.quick);
    let mut plan = if options.quick {
        Plan::quick()
    } else {
        Plan::full()
    };
    if let Some(approvals) = options.approvals {
        plan.approvals = approvals.max(usize::from(plan.signatures_per_post));
    }
    if let Some(cases) = options.cases {
        plan.cases = cases;
    }
    let mut figures = Vec::new();
    let label = backend.label();

    // Schema through the operator's own tool, then the history.
    server::run_cli(chorus, &db.url, &["projections", "status"]).await?;
    let started = Instant::now();
    let data = dataset::load(plan, Loader::connect(&db.url).await?).await?;
    let sizes = Sizes::new(options.quick);
    let orgs = costs::load(&db.url, sizes).await?;
    let load_seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        label,
        events = data.events,
        approvals = data.approvals,
        cases = data.cases.total,
        open_cases = data.cases.open,
        load_seconds,
        "history loaded"
    );

    // Rebuild against the sequential-read ceiling.
    let (rows, sequential) = ceiling::sequential_read(&db.url).await?;
    let started = Instant::now();
    let (_, rebuild_rss) = server::run_cli(chorus, &db.url, &["projections", "rebuild"]).await?;
    let rebuild_seconds = started.elapsed().as_secs_f64();
    // Every event of the log, the growth scenarios' organizations' too.
    let rebuild_rate = rows as f64 / rebuild_seconds;
    tracing::info!(label, rebuild_rate, sequential, "rebuilt");
    figures.push(Figure::rate(
        "rebuild",
        format!("projection rebuild of {rows} events"),
        "events/s",
        rebuild_rate,
        Some(("sequential read of the events table", sequential)),
        Target::RatioAtLeast(0.5),
    ));
    let rebuild_memory = Figure::value(
        "memory-rebuild",
        "peak RSS of `chorus projections rebuild`".into(),
        "MB",
        rebuild_rss as f64 / 1_048_576.0,
        Target::None,
    );
    let report = |figures| BackendReport {
        backend: label.to_owned(),
        events: rows,
        approvals: data.approvals,
        cases: data.cases.total,
        events_read_sequentially: rows,
        load_seconds,
        figures,
    };
    if options.rebuild_only {
        figures.push(rebuild_memory);
        return Ok((report(figures), None));
    }

    let mut server_env = options.server_env.clone();
    server_env.push(("CHORUS_EXPIRY_SWEEP_SECONDS".into(), "3600".into()));
    let server = Server::start(
        chorus,
        &db.url,
        &work.join(format!("server-{}.log", db.name)),
        &server_env,
    )
    .await?;
    let run = Scenarios {
        backend,
        chorus,
        db,
        server: &server,
        data: &data,
        loops: &loops,
        work,
        peer,
    };
    let outcome = run.measure(&mut figures).await;
    let outcome = match outcome {
        Ok(outcome) => {
            let costs = costs::Run {
                chorus,
                database_url: &db.url,
                server: &server,
                loops: &loops,
                sizes,
            };
            costs.measure(orgs).await.map(|extra| {
                figures.extend(extra);
                outcome
            })
        }
        Err(error) => Err(error),
    };
    let server_rss = server.peak_rss().unwrap_or(0);
    server.stop().await?;
    let (durable_writes, write_pool, peer_figures) = outcome?;
    if backend == Backend::Sqlite {
        let cost = crate::durability::SqliteCost {
            chorus,
            database_url: &db.url,
            log: &work.join(format!("server-{}-normal.log", db.name)),
            server_env: &server_env,
            admin_id: data.admin_id,
            write_pool: &write_pool,
            durable_writes: &durable_writes,
            commands: loops.writes[0].1,
            inserts: loops.insert_ceiling[0].1,
        };
        figures.extend(cost.measure().await?);
    }
    figures.push(Figure::value(
        "memory",
        "peak RSS of `chorus serve`".into(),
        "MB",
        server_rss as f64 / 1_048_576.0,
        Target::AtMost(150.0),
    ));
    figures.push(rebuild_memory);
    Ok((report(figures), peer_figures))
}

/// The main organization's scenarios on a running server.
struct Scenarios<'a> {
    backend: Backend,
    chorus: &'a Path,
    db: &'a Database,
    server: &'a Server,
    data: &'a Dataset,
    loops: &'a Loops,
    work: &'a Path,
    /// The peer's figures from an earlier backend of this run.
    peer: Option<&'a PeerFigures>,
}

impl Scenarios<'_> {
    /// PostGraphile on PostgreSQL, on the roster as the rebuild left it (before any write
    /// of this run), stopped before Chorus is measured so it takes no CPU from it.
    async fn peer(&self) -> Result<Option<PeerFigures>, BenchError> {
        if self.backend != Backend::Postgres {
            return Ok(self.peer.cloned());
        }
        peer::fill(&self.db.url).await?;
        let peer = Peer::start(&self.db.url, self.work).await?;
        let (peer, figures) = peer.measure(self.data, self.loops).await?;
        peer.stop().await?;
        Ok(Some(figures))
    }

    async fn measure(
        &self,
        figures: &mut Vec<Figure>,
    ) -> Result<(Stats, WritePool, Option<PeerFigures>), BenchError> {
        let peer = self.peer().await?;
        let (durable, pool) = scenarios(self, peer.as_ref(), figures).await?;
        Ok((durable, pool, peer))
    }
}

/// Where the peer ran: on this backend, or on PostgreSQL earlier in the run.
fn peer_name(backend: Backend, what: &str) -> String {
    match backend {
        Backend::Postgres => format!("PostGraphile v5, {what}"),
        _ => format!("PostGraphile v5 on PostgreSQL (same run), {what}"),
    }
}

async fn scenarios(
    run: &Scenarios<'_>,
    peer: Option<&PeerFigures>,
    figures: &mut Vec<Figure>,
) -> Result<(Stats, WritePool), BenchError> {
    let (backend, chorus, db, server, data, loops) = (
        run.backend,
        run.chorus,
        run.db,
        run.server,
        run.data,
        run.loops,
    );
    let write_pool = WritePool::new(data);
    let label = backend.label();
    let token = server::token(chorus, &db.url, data.admin_id).await?;
    let api = Api::new(&server.base_url, &token)?;

    // HTTP floor.
    let healthz = {
        let api = api.clone();
        load::closed_loop(32, loops.healthz, move |_, _| {
            let api = api.clone();
            async move { api.get("/healthz").await }
        })
        .await?
    };
    tracing::info!(label, rate = healthz.per_second, "healthz");

    // Read: the team with 50 members, their roles and managers, 32 connections.
    let team = global_id("Team", data.read_team_id);
    let read = load::read_loop(&api, READ_TEAM, json!({"id": team}), loops, fifty_members).await?;
    tracing::info!(
        label,
        rate = read.per_second,
        p99 = read.p99_ms,
        "read team"
    );
    let mut read_figure = Figure::stats(
        "read",
        "team with 50 members, their roles and managers (32 connections)".into(),
        "requests/s",
        &read,
        Some(("`/healthz` at 32 connections", healthz.per_second)),
        // Issue 11: p99 ≤ 20 ms and ≥ 2× PostGraphile (the `/healthz` ratio is context).
        Target::P99AtMost(20.0),
    );
    if let Some(peer) = peer {
        read_figure =
            read_figure.against_peer(&peer_name(backend, "the same read"), &peer.read, 2.0);
    }

    // A team's case queue page: its 50 open cases due first, 32 connections.
    let case_team = global_id("Team", data.case_team_id);
    let queue = load::read_loop(
        &api,
        CASE_QUEUE,
        json!({"team": case_team}),
        loops,
        fifty_cases,
    )
    .await?;
    tracing::info!(
        label,
        rate = queue.per_second,
        p99 = queue.p99_ms,
        "case queue"
    );
    let mut queue_figure = Figure::stats(
        "case-queue",
        format!(
            "a team's case queue page: 50 of its {} open cases, with their contacts \
             ({} cases stored, 32 connections)",
            data.cases.busy_open, data.cases.total
        ),
        "requests/s",
        &queue,
        Some(("`/healthz` at 32 connections", healthz.per_second)),
        // Issue 12: p99 ≤ 10 ms at 1,000,000 cases.
        Target::P99AtMost(10.0),
    );

    // The SLA timer's query: its work grows with the cases due, not with all cases.
    figures.extend(crate::timer::measure(backend, &db.url, loops.timer).await?);

    // Auditor: approvals by one approver in one month.
    let approvers = Arc::new(data.approvers.clone());
    let (from, to) = (
        data.history_from,
        data.history_to - chrono::Duration::days(31),
    );
    let auditor = {
        let api = api.clone();
        let approvers = approvers.clone();
        let call = move |_, i: usize| {
            let api = api.clone();
            let approver = global_id("Person", approvers[spread(i, approvers.len())]);
            let start = instant_in(from, to, i);
            async move {
                let vars = json!({
                    "approver": approver,
                    "from": start.to_rfc3339(),
                    "to": (start + chrono::Duration::days(30)).to_rfc3339(),
                });
                let data = api.graphql(AUDITOR, vars).await?;
                if data["approvals"]["edges"].as_array().is_none() {
                    return Err(BenchError::Load(format!("auditor: {data}")));
                }
                Ok(())
            }
        };
        load::closed_loop(1, loops.warmup, call.clone()).await?;
        load::closed_loop(1, loops.auditor, call).await?
    };
    tracing::info!(label, p99 = auditor.p99_ms, "auditor");
    let mut auditor_figure = Figure::stats(
        "auditor",
        format!(
            "approvals by one approver in one month ({} approvals stored, 1 connection)",
            data.approvals
        ),
        "requests/s",
        &auditor,
        None,
        Target::P99AtMost(5.0),
    );

    // Time travel: the read team as of a past instant.
    let time_travel = {
        let api = api.clone();
        let team = team.clone();
        // From a day in: the first members join in the history's first seconds.
        let (from, to) = (
            data.history_from + chrono::Duration::days(1),
            data.history_to,
        );
        let call = move |_, i: usize| {
            let api = api.clone();
            let team = team.clone();
            let at = instant_in(from, to, i);
            async move {
                let data = api
                    .graphql(TIME_TRAVEL, json!({"id": team, "at": at.to_rfc3339()}))
                    .await?;
                let members = data["teamStructureAsOf"]["members"]["edges"]
                    .as_array()
                    .map_or(0, Vec::len);
                if members == 0 {
                    return Err(BenchError::Load(format!("time travel at {at}: no members")));
                }
                Ok(())
            }
        };
        load::closed_loop(1, loops.warmup, call.clone()).await?;
        load::closed_loop(1, loops.time_travel, call).await?
    };
    tracing::info!(label, p99 = time_travel.p99_ms, "time travel");
    figures.push(Figure::stats(
        "time-travel",
        format!(
            "team structure as of a past instant ({} events stored, 1 connection)",
            data.events
        ),
        "requests/s",
        &time_travel,
        None,
        Target::P99AtMost(20.0),
    ));

    // Writes at 1 / 16 / 64 clients, with a subscriber timing deliveries throughout.
    let subscriber = load::subscribe(&server.ws_url, &token, Utc::now()).await?;
    let mut writes = Vec::new();
    // When each write phase started, to tell which phase an event was delivered under.
    let mut phase_starts = Vec::new();
    let writes_started = Instant::now();
    for (level, (clients, per_client)) in loops.writes.iter().copied().enumerate() {
        phase_starts.push((clients, Utc::now(), Instant::now()));
        let stats =
            assign_roles(&api, &write_pool, &level.to_string(), clients, per_client).await?;
        tracing::info!(
            label,
            clients,
            rate = stats.per_second,
            p99 = stats.p99_ms,
            "writes"
        );
        writes.push(stats);
    }
    let write_seconds = writes_started.elapsed();
    let expected: usize = loops.writes.iter().map(|(c, n)| c * n).sum();
    let deliveries = subscriber.finish(expected).await?;
    if deliveries.len() < expected {
        return Err(BenchError::Load(format!(
            "the subscriber received {} of {expected} events",
            deliveries.len()
        )));
    }
    // Per phase too: the figure over all three mixes in the 64-client phase, where a
    // command's own handling (inside the measured span, see `load::subscribe`) dominates.
    let mut phase_deliveries = Vec::new();
    for (index, (clients, started_at, started)) in phase_starts.iter().enumerate() {
        let next = phase_starts.get(index + 1);
        let in_phase: Vec<std::time::Duration> = deliveries
            .iter()
            .filter(|d| {
                d.occurred >= *started_at && next.is_none_or(|(_, end, _)| d.occurred < *end)
            })
            .map(|d| d.latency)
            .collect();
        let elapsed = next.map_or_else(
            || started.elapsed(),
            |(_, _, end)| end.duration_since(*started),
        );
        phase_deliveries.push((*clients, Stats::from_latencies(1, in_phase, elapsed)));
    }
    let delivery = Stats::from_latencies(
        1,
        deliveries.iter().map(|d| d.latency).collect(),
        write_seconds,
    );

    // Ceilings from the database itself.
    let ceilings = db.ceilings(data, loops, (from, to)).await?;
    let (insert_ceilings, read_sql, auditor_sql, case_queue_sql) = (
        ceilings.inserts,
        ceilings.read_sql,
        ceilings.auditor_sql,
        ceilings.case_queue_sql,
    );

    for (stats, ceiling) in writes.iter().zip(insert_ceilings.iter()) {
        let target = if stats.clients == 16 {
            Target::RatioAtLeastAndP99(0.5, 25.0)
        } else {
            Target::P99AtMost(25.0)
        };
        let mut figure = Figure::stats(
            "write",
            format!("assignRole mutation, {} client(s)", stats.clients),
            "commands/s",
            stats,
            Some((
                &format!("single-row INSERT, {} client(s)", ceiling.clients),
                ceiling.per_second,
            )),
            target,
        );
        if let Some(peer) = peer.filter(|p| p.create.clients == stats.clients) {
            let name = peer_name(backend, "createRoleAssignment (one INSERT)");
            figure = figure.against_peer(&name, &peer.create, 2.0);
        }
        figures.push(figure);
    }
    figures.push(Figure::stats(
        "subscription",
        "commit (recordedAt) to delivery over graphql-transport-ws, during the writes".into(),
        "events/s",
        &delivery,
        None,
        Target::P99AtMost(50.0),
    ));
    for (clients, stats) in &phase_deliveries {
        figures.push(Figure::stats(
            "subscription-phase",
            format!("commit to delivery, during the {clients}-client writes"),
            "events/s",
            stats,
            None,
            Target::None,
        ));
    }
    if let Some(sql) = &read_sql {
        read_figure.extra_ceiling("the read's SQL through pgbench, 32 connections", sql);
    }
    if let Some(sql) = &auditor_sql {
        auditor_figure.extra_ceiling("the query's SQL through pgbench, 1 connection", sql);
    }
    if let Some(sql) = &case_queue_sql {
        queue_figure.extra_ceiling("the query's SQL through pgbench, 32 connections", sql);
    }
    figures.push(read_figure);
    figures.push(queue_figure);
    figures.push(auditor_figure);
    figures.push(Figure::stats(
        "healthz",
        "`GET /healthz`, 32 connections (the HTTP floor)".into(),
        "requests/s",
        &healthz,
        None,
        Target::None,
    ));
    Ok((writes.swap_remove(0), write_pool))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn spread_stays_in_range_and_varies() {
        let picks: Vec<usize> = (0..100).map(|i| spread(i, 37)).collect();
        assert!(picks.iter().all(|p| *p < 37));
        let distinct: std::collections::HashSet<_> = picks.iter().collect();
        assert!(distinct.len() > 20, "picks spread over the range");
    }

    #[test]
    fn durations_are_milliseconds() {
        let stats = Stats::from_latencies(
            1,
            vec![Duration::from_millis(1), Duration::from_millis(3)],
            Duration::from_secs(1),
        );
        assert_eq!(stats.p50_ms, 1.0);
        assert_eq!(stats.p99_ms, 3.0);
    }
}
