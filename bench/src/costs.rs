//! Costs that must not grow with the data (issue 11): the team read as the organization
//! grows from 1,000 to 100,000 people (no `ANALYZE` in between), and a reporting-line
//! change at 100 and at 100,000 prior changes of the `ReportingLines` aggregate, with 16
//! concurrent changes to different people's lines counted for `CONFLICT` answers.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::dataset::growth::{self, GrowthOrg, HistoryOrg, GROWTH_LINE_CHANGES};
use crate::load::{self, Api, Stats};
use crate::operations::{fifty_members, global_id, READ_TEAM};
use crate::report::{Figure, Target};
use crate::scenarios::Loops;
use crate::server::{self, Server};
use crate::BenchError;

/// Untimed changes before each timed series (a change at 100,000 prior changes may take
/// seconds today, so not the read scenarios' warm-up).
const LINE_WARMUP: usize = 2;

const SET_LINE: &str = "mutation SetLine($input: SetReportingLineInput!) { \
    setReportingLine(input: $input) { person { id manager { id } } position } }";

/// How big the organizations get.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    /// Growth Corp's people after it grows (it starts at 1,000).
    pub(crate) grown_people: usize,
    /// History Corp: its people and the reporting-line changes among them.
    pub(crate) history_people: usize,
    pub(crate) history_changes: usize,
    /// Timed `setReportingLine` calls at each history size (1 client).
    pub(crate) line_calls: usize,
    /// Rounds of 16 concurrent changes to different people's lines.
    pub(crate) concurrent_rounds: usize,
}

impl Sizes {
    pub(crate) fn new(quick: bool) -> Self {
        if quick {
            Self {
                grown_people: 3_000,
                history_people: 200,
                history_changes: 1_000,
                line_calls: 5,
                concurrent_rounds: 1,
            }
        } else {
            Self {
                grown_people: 100_000,
                history_people: 1_000,
                history_changes: 100_000,
                line_calls: 30,
                concurrent_rounds: 4,
            }
        }
    }
}

/// The organizations, loaded with the main history (before the rebuild).
pub(crate) struct Orgs {
    growth: GrowthOrg,
    history: HistoryOrg,
}

pub(crate) async fn load(url: &str, sizes: Sizes) -> Result<Orgs, BenchError> {
    let from = Utc::now() - chrono::Duration::days(30);
    let growth = growth::growth_org(url, from).await?;
    let history =
        growth::history_org(url, from, sizes.history_people, sizes.history_changes).await?;
    Ok(Orgs { growth, history })
}

/// Everything the scenarios need from the backend's run.
pub(crate) struct Run<'a> {
    pub(crate) chorus: &'a Path,
    pub(crate) database_url: &'a str,
    pub(crate) server: &'a Server,
    pub(crate) loops: &'a Loops,
    pub(crate) sizes: Sizes,
}

impl Run<'_> {
    pub(crate) async fn measure(&self, mut orgs: Orgs) -> Result<Vec<Figure>, BenchError> {
        let url = self.database_url;
        let growth_api = Api::new(
            &self.server.base_url,
            &server::token(self.chorus, url, orgs.growth.admin_id).await?,
        )?;
        let history_api = Api::new(
            &self.server.base_url,
            &server::token(self.chorus, url, orgs.history.admin_id).await?,
        )?;
        let team = global_id("Team", orgs.growth.team_id);
        let small = self.read(&growth_api, &team).await?;
        tracing::info!(
            people = orgs.growth.people,
            rate = small.per_second,
            "growth read"
        );

        // A change at 100 prior changes (each a new line), then at the long history.
        let leads = orgs.growth.leads.clone();
        let changes: Vec<(Uuid, Uuid)> = orgs
            .growth
            .without_line
            .iter()
            .enumerate()
            .map(|(i, person)| (*person, leads[i % leads.len()]))
            .collect();
        let short = self.lines(&growth_api, &changes).await?;
        let manager = orgs.history.new_manager;
        let changes: Vec<(Uuid, Uuid)> =
            orgs.history.people.iter().map(|p| (*p, manager)).collect();
        let long = self.lines(&history_api, &changes).await?;
        tracing::info!(
            short = short.p50_ms,
            long = long.p50_ms,
            "setReportingLine p50 at both history sizes"
        );
        let used = LINE_WARMUP + self.sizes.line_calls;
        let (conflicts, failures, attempts) = self
            .concurrent_lines(&history_api, &changes[used.min(changes.len())..])
            .await?;
        tracing::info!(conflicts, failures, attempts, "concurrent setReportingLine");

        // Grow, let the projector take it in, and read again: no ANALYZE in between.
        let started = Instant::now();
        let added = growth::grow(url, &mut orgs.growth, self.sizes.grown_people).await?;
        wait_for_people(url, orgs.growth.organization_id, orgs.growth.people).await?;
        tracing::info!(
            added,
            seconds = started.elapsed().as_secs_f64(),
            "organization grown"
        );
        let grown = self.read(&growth_api, &team).await?;
        tracing::info!(
            people = orgs.growth.people,
            rate = grown.per_second,
            "grown read"
        );

        let start_people = orgs.growth.people - added;
        Ok(vec![
            Figure::stats(
                "growth-read-start",
                format!(
                    "the read team in an organization of {start_people} people (32 connections)"
                ),
                "requests/s",
                &small,
                None,
                Target::None,
            ),
            Figure::stats(
                "growth-read",
                format!(
                    "the same read after the organization grew to {} people, no ANALYZE",
                    orgs.growth.people
                ),
                "requests/s",
                &grown,
                Some((
                    &format!("the same read at {start_people} people"),
                    small.per_second,
                )),
                Target::RateWithin(1.2),
            ),
            Figure::latency(
                "lines-short",
                format!("setReportingLine at {GROWTH_LINE_CHANGES} prior changes (1 client)"),
                &short,
                None,
                Target::None,
            ),
            Figure::latency(
                "lines-long",
                format!(
                    "setReportingLine at {} prior changes (1 client)",
                    orgs.history.changes
                ),
                &long,
                Some((
                    &format!("p50 at {GROWTH_LINE_CHANGES} prior changes"),
                    short.p50_ms,
                )),
                Target::LatencyWithin(1.5),
            ),
            Figure::value(
                "lines-conflicts",
                format!(
                    "CONFLICT answers to {attempts} setReportingLine, 16 at a time on \
                     different people"
                ),
                "answers",
                conflicts as f64,
                Target::AtMost(0.0),
            ),
            Figure::value(
                "lines-failures",
                format!(
                    "other failures (refused, or no answer within 30 s) of the same \
                     {attempts} concurrent setReportingLine"
                ),
                "requests",
                failures as f64,
                Target::AtMost(0.0),
            ),
        ])
    }

    /// The read team at 32 connections; every answer must hold 50 members.
    async fn read(&self, api: &Api, team: &str) -> Result<Stats, BenchError> {
        load::read_loop(
            api,
            READ_TEAM,
            json!({"id": team}),
            self.loops,
            fifty_members,
        )
        .await
    }

    /// `setReportingLine` for the first [`LINE_WARMUP`] + timed `changes`, one at a time.
    async fn lines(&self, api: &Api, changes: &[(Uuid, Uuid)]) -> Result<Stats, BenchError> {
        let needed = LINE_WARMUP + self.sizes.line_calls;
        if changes.len() < needed {
            return Err(BenchError::Setup(format!(
                "{} people for {needed} reporting-line changes",
                changes.len()
            )));
        }
        let (warmup, timed) = changes[..needed].split_at(LINE_WARMUP);
        let warmup = Arc::new(warmup.to_vec());
        let api2 = api.clone();
        load::closed_loop(1, warmup.len(), move |_, i| {
            set_line(
                api2.clone(),
                warmup[i],
                format!("lines-warmup-{i}-{}", warmup[i].0),
            )
        })
        .await?;
        let timed = Arc::new(timed.to_vec());
        let api = api.clone();
        load::closed_loop(1, timed.len(), move |_, i| {
            set_line(api.clone(), timed[i], format!("lines-{i}-{}", timed[i].0))
        })
        .await
    }

    /// Rounds of 16 concurrent changes, each to a different person's line: how many were
    /// answered `CONFLICT`, how many failed otherwise (refused, or no answer in time), of
    /// how many.
    async fn concurrent_lines(
        &self,
        api: &Api,
        changes: &[(Uuid, Uuid)],
    ) -> Result<(usize, usize, usize), BenchError> {
        let attempts = 16 * self.sizes.concurrent_rounds;
        if changes.len() < attempts {
            return Err(BenchError::Setup(format!(
                "{} people for {attempts} concurrent changes",
                changes.len()
            )));
        }
        // (CONFLICT answers, other failures)
        let conflicts = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        for round in 0..self.sizes.concurrent_rounds {
            let batch = Arc::new(changes[round * 16..(round + 1) * 16].to_vec());
            let (api, counter) = (api.clone(), conflicts.clone());
            // Every client starts its call at once: a barrier, so the 16 overlap.
            let barrier = Arc::new(tokio::sync::Barrier::new(16));
            load::closed_loop(16, 1, move |client, _| {
                let (api, counter, barrier) = (api.clone(), counter.clone(), barrier.clone());
                let (person, manager) = batch[client];
                async move {
                    barrier.wait().await;
                    let input = json!({"input": {
                        "personId": global_id("Person", person),
                        "managerId": global_id("Person", manager),
                        "idempotencyKey": format!("lines-concurrent-{person}"),
                    }});
                    // Counted, not fatal: a slow change (a request timeout) or another
                    // refusal is a finding of the run, reported with the conflicts.
                    match api.answer(SET_LINE, input).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(body)) if code(&body) == Some("CONFLICT") => {
                            counter.0.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(Err(body)) => {
                            tracing::warn!(%body, "concurrent setReportingLine refused");
                            counter.1.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(error) => {
                            tracing::warn!(%error, "concurrent setReportingLine failed");
                            counter.1.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    Ok(())
                }
            })
            .await?;
        }
        let (conflicts, failures) = (&conflicts.0, &conflicts.1);
        Ok((
            conflicts.load(Ordering::SeqCst),
            failures.load(Ordering::SeqCst),
            attempts,
        ))
    }
}

fn code(body: &serde_json::Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

async fn set_line(
    api: Api,
    (person, manager): (Uuid, Uuid),
    key: String,
) -> Result<(), BenchError> {
    let input = json!({"input": {
        "personId": global_id("Person", person),
        "managerId": global_id("Person", manager),
        "idempotencyKey": key,
    }});
    let data = api.graphql(SET_LINE, input).await?;
    if data["setReportingLine"]["person"]["manager"]["id"] != json!(global_id("Person", manager)) {
        return Err(BenchError::Load(format!(
            "setReportingLine answered {data}"
        )));
    }
    Ok(())
}

/// Waits until the read model holds `people` people of `organization` (the projector has
/// applied the bulk of new people), up to 20 minutes.
async fn wait_for_people(url: &str, organization: Uuid, people: usize) -> Result<(), BenchError> {
    let deadline = Instant::now() + Duration::from_secs(1_200);
    loop {
        // The same count over a connection of either backend's type.
        macro_rules! count_people {
            ($connection:ty) => {{
                let mut conn = <$connection as sqlx::Connection>::connect(url).await?;
                let count =
                    sqlx::query_scalar("SELECT count(*) FROM people WHERE organization_id = $1")
                        .bind(organization)
                        .fetch_one(&mut conn)
                        .await?;
                sqlx::Connection::close(conn).await?;
                count
            }};
        }
        let count: i64 = if url.starts_with("sqlite:") {
            count_people!(sqlx::SqliteConnection)
        } else {
            count_people!(sqlx::PgConnection)
        };
        if usize::try_from(count).unwrap_or(0) >= people {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(BenchError::Load(format!(
                "the projector applied {count} of {people} people in 20 minutes"
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
