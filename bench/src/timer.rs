//! The SLA timer's work: `chorus_cases::sla_timer::sweep` finds the cases due with one
//! query on the `cases` read model (`next_timer <= now ORDER BY next_timer LIMIT 500`),
//! then records each one's alerts through the Case aggregate. The recording grows with
//! the cases due by construction; the query is what could grow with all the cases
//! stored. It is measured here exactly as the sweep sends it, at an instant that makes
//! [`DUE`] cases due (the generated SLA clocks fall due days after the run, so the
//! server's own timer finds none meanwhile), against the same query on a table of the
//! same definition and indexes holding [`FEW`] of those cases, the same due ones among
//! them (the reference, measured in the same run like the insert ceiling's table). On
//! PostgreSQL, `EXPLAIN (ANALYZE, BUFFERS)` also counts the rows the query reads and the
//! buffers it touches (the latter judged: at most 3 per case due).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

use crate::load::Stats;
use crate::report::{Figure, Target};
use crate::{Backend, BenchError};

/// Cases made due.
pub(crate) const DUE: i64 = 10;
/// Cases in the reference table.
const FEW: i64 = 1_000;
/// Of which open with a clock falling due later.
const FEW_LATER: i64 = 20;
/// The sweep's batch.
const BATCH: i64 = 500;
const REFERENCE: &str = "bench_cases_few";

/// The sweep's query on `table`.
fn timer_query(table: &str) -> String {
    format!(
        "SELECT id, organization_id FROM {table} WHERE next_timer IS NOT NULL AND \
         next_timer <= $1 ORDER BY next_timer LIMIT $2"
    )
}

/// What was measured.
struct Measured {
    stored: i64,
    timers: i64,
    due: usize,
    all: Stats,
    few: Stats,
}

/// Runs the timer's query on `$conn` `$iterations` times on the cases and on the
/// reference table; the same code for both backends (their SQL is the same).
macro_rules! measure_on {
    ($conn:expr, $create:expr, $iterations:expr) => {{
        let conn = $conn;
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&mut *conn)
            .await?;
        let timers: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE next_timer IS NOT NULL")
                .fetch_one(&mut *conn)
                .await?;
        if timers < DUE {
            return Err(BenchError::Dataset(format!(
                "{timers} cases have an SLA timer: the timer scenario needs {DUE}"
            )));
        }
        let due_at: DateTime<Utc> = sqlx::query_scalar(
            "SELECT next_timer FROM cases WHERE next_timer IS NOT NULL \
             ORDER BY next_timer LIMIT 1 OFFSET $1",
        )
        .bind(DUE - 1)
        .fetch_one(&mut *conn)
        .await?;
        for statement in $create {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        // The due cases, a few open ones due later, and resolved ones.
        for (condition, limit) in [
            ("next_timer IS NOT NULL AND next_timer <= $1", BATCH),
            ("next_timer > $1", FEW_LATER),
        ] {
            sqlx::query(&format!(
                "INSERT INTO {REFERENCE} SELECT * FROM cases WHERE {condition} LIMIT $2"
            ))
            .bind(due_at)
            .bind(limit)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(&format!(
            "INSERT INTO {REFERENCE} SELECT * FROM cases WHERE next_timer IS NULL LIMIT $1"
        ))
        .bind(FEW - DUE - FEW_LATER)
        .execute(&mut *conn)
        .await?;
        let mut due = 0;
        let mut stats = Vec::new();
        for table in ["cases", REFERENCE] {
            let sql = timer_query(table);
            let mut latencies = Vec::with_capacity($iterations);
            let started = Instant::now();
            for _ in 0..$iterations {
                let at = Instant::now();
                let rows: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(&sql)
                    .bind(due_at)
                    .bind(BATCH)
                    .fetch_all(&mut *conn)
                    .await?;
                latencies.push(at.elapsed());
                due = rows.len();
            }
            if i64::try_from(due).unwrap_or(i64::MAX) < DUE {
                return Err(BenchError::Load(format!(
                    "the timer's query found {due} cases due in {table}, not {DUE}"
                )));
            }
            stats.push(Stats::from_latencies(1, latencies, started.elapsed()));
        }
        sqlx::query(&format!("DROP TABLE {REFERENCE}"))
            .execute(&mut *conn)
            .await?;
        let few = stats.pop().unwrap_or_else(empty);
        let all = stats.pop().unwrap_or_else(empty);
        (
            Measured {
                stored,
                timers,
                due,
                all,
                few,
            },
            due_at,
        )
    }};
}

fn empty() -> Stats {
    Stats::from_latencies(1, Vec::new(), Duration::ZERO)
}

/// The SLA timer's figures on the database at `url`.
pub(crate) async fn measure(
    backend: Backend,
    url: &str,
    iterations: usize,
) -> Result<Vec<Figure>, BenchError> {
    let (measured, explain) = match backend {
        Backend::Postgres => {
            let mut conn = PgConnection::connect(url).await?;
            let create = [format!(
                "CREATE TABLE {REFERENCE} (LIKE cases INCLUDING DEFAULTS INCLUDING \
                 CONSTRAINTS INCLUDING INDEXES)"
            )];
            let (measured, due_at) =
                measure_on!(&mut conn, create.iter().map(String::as_str), iterations);
            let explain = explain(&mut conn, due_at).await?;
            conn.close().await?;
            (measured, Some(explain))
        }
        Backend::Sqlite => {
            let mut conn = SqliteConnection::connect(url).await?;
            let create = [
                format!("CREATE TABLE {REFERENCE} AS SELECT * FROM cases WHERE 0"),
                format!(
                    "CREATE INDEX {REFERENCE}_timer ON {REFERENCE} (next_timer) \
                     WHERE next_timer IS NOT NULL"
                ),
            ];
            let (measured, _) =
                measure_on!(&mut conn, create.iter().map(String::as_str), iterations);
            conn.close().await?;
            (measured, None)
        }
    };
    let Measured {
        stored,
        timers,
        due,
        all,
        few,
    } = measured;
    tracing::info!(
        stored,
        timers,
        due,
        p50 = all.p50_ms,
        reference = few.p50_ms,
        "SLA timer"
    );
    let mut figures = vec![
        Figure::latency(
            "sla-timer",
            format!(
                "the SLA timer's query, {due} cases due among {stored} stored ({timers} \
                 with a clock running), 1 connection"
            ),
            &all,
            Some((
                &format!("p50 with the same {due} due among {FEW} stored"),
                few.p50_ms,
            )),
            Target::LatencyWithin(1.5),
        ),
        Figure::latency(
            "sla-timer-few",
            format!("the SLA timer's query, {due} cases due among {FEW} stored, 1 connection"),
            &few,
            None,
            Target::None,
        ),
    ];
    if let Some(explain) = explain {
        tracing::info!(
            rows = explain.rows_read,
            buffers = explain.buffers,
            "SLA timer EXPLAIN"
        );
        figures.push(Figure::value(
            "sla-timer-rows",
            format!(
                "rows the SLA timer's query reads for {due} cases due among {stored} \
                 (EXPLAIN ANALYZE: rows out of its scans and rows they discarded; {})",
                explain.scans
            ),
            "rows",
            explain.rows_read,
            Target::None,
        ));
        // Rows out of the scan do not count the dead index entries it steps over (a
        // resolved case's entry stays in the partial index until VACUUM): the buffers do.
        figures.push(Figure::value(
            "sla-timer-buffers",
            format!(
                "buffers the SLA timer's query touches for {due} cases due among {stored} \
                 (EXPLAIN ANALYZE, BUFFERS)"
            ),
            "buffers",
            explain.buffers,
            Target::AtMost(3.0 * due as f64),
        ));
    }
    Ok(figures)
}

/// What `EXPLAIN (ANALYZE, BUFFERS)` says of the timer's query.
struct Explain {
    rows_read: f64,
    buffers: f64,
    /// The scans, e.g. "Index Scan on cases_sla_timer".
    scans: String,
}

async fn explain(conn: &mut PgConnection, due_at: DateTime<Utc>) -> Result<Explain, BenchError> {
    // The instant inlined (our own value): EXPLAIN of the very query the sweep sends.
    let sql = timer_query("cases")
        .replace("$1", &format!("'{}'::timestamptz", due_at.to_rfc3339()))
        .replace("$2", &BATCH.to_string());
    let row = sqlx::query(&format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
        .fetch_one(&mut *conn)
        .await?;
    // A `json` column, whose binary form is its text.
    let plan: serde_json::Value = serde_json::from_str(&row.try_get_unchecked::<String, _>(0)?)?;
    let top = &plan[0]["Plan"];
    let mut explain = Explain {
        rows_read: 0.0,
        buffers: top["Shared Hit Blocks"].as_f64().unwrap_or(0.0)
            + top["Shared Read Blocks"].as_f64().unwrap_or(0.0),
        scans: String::new(),
    };
    let mut scans = Vec::new();
    walk(top, &mut explain.rows_read, &mut scans);
    explain.scans = scans.join(", ");
    Ok(explain)
}

/// Adds the rows every scan under `node` produced or discarded.
fn walk(node: &serde_json::Value, rows: &mut f64, scans: &mut Vec<String>) {
    let kind = node["Node Type"].as_str().unwrap_or_default();
    if kind.contains("Scan") {
        let loops = node["Actual Loops"].as_f64().unwrap_or(1.0);
        *rows += loops
            * (node["Actual Rows"].as_f64().unwrap_or(0.0)
                + node["Rows Removed by Filter"].as_f64().unwrap_or(0.0)
                + node["Rows Removed by Index Recheck"]
                    .as_f64()
                    .unwrap_or(0.0));
        let on = node["Index Name"]
            .as_str()
            .or(node["Relation Name"].as_str())
            .unwrap_or("?");
        scans.push(format!("{kind} on {on}"));
    }
    for child in node["Plans"].as_array().into_iter().flatten() {
        walk(child, rows, scans);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_counts_the_rows_its_scans_read() {
        let plan = serde_json::json!({
            "Node Type": "Limit", "Actual Rows": 10, "Actual Loops": 1,
            "Plans": [{
                "Node Type": "Index Scan", "Index Name": "cases_sla_timer",
                "Actual Rows": 10, "Actual Loops": 1, "Rows Removed by Filter": 2
            }]
        });
        let (mut rows, mut scans) = (0.0, Vec::new());
        walk(&plan, &mut rows, &mut scans);
        assert_eq!(rows, 12.0);
        assert_eq!(scans, vec!["Index Scan on cases_sla_timer".to_owned()]);
    }
}
