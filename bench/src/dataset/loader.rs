//! Where generated rows go: `COPY` on PostgreSQL, multi-row inserts on SQLite.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection, SqliteConnection};
use uuid::Uuid;

use crate::BenchError;

/// One row of the events table.
pub(super) struct Row {
    pub(super) aggregate_type: String,
    pub(super) aggregate_id: String,
    pub(super) sequence: i64,
    pub(super) event_type: String,
    pub(super) event_version: String,
    pub(super) payload: String,
    pub(super) actor_id: Uuid,
    pub(super) occurred_at: DateTime<Utc>,
    pub(super) correlation_id: Uuid,
}

/// Where generated rows go.
pub enum Loader {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

const COLUMNS: &str = "aggregate_type, aggregate_id, sequence, event_type, event_version, \
     payload, organization_id, actor_id, actor_kind, occurred_at, correlation_id, causation_id, \
     request_source";
const SQLITE_ROWS_PER_STATEMENT: usize = 1_000;
const REQUEST_SOURCE: &str = "chorus-bench-loader";

impl Loader {
    pub async fn connect(url: &str) -> Result<Self, BenchError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite(SqliteConnection::connect(url).await?))
        } else {
            Ok(Self::Postgres(PgConnection::connect(url).await?))
        }
    }

    pub(super) async fn write(
        &mut self,
        organization_id: Uuid,
        rows: &[Row],
    ) -> Result<(), BenchError> {
        match self {
            Self::Postgres(conn) => {
                let mut csv = String::with_capacity(rows.len() * 700);
                for row in rows {
                    for (i, field) in [
                        row.aggregate_type.as_str(),
                        row.aggregate_id.as_str(),
                        &row.sequence.to_string(),
                        row.event_type.as_str(),
                        row.event_version.as_str(),
                        row.payload.as_str(),
                        &organization_id.to_string(),
                        &row.actor_id.to_string(),
                        "person",
                        &row.occurred_at.to_rfc3339(),
                        &row.correlation_id.to_string(),
                    ]
                    .iter()
                    .enumerate()
                    {
                        if i > 0 {
                            csv.push(',');
                        }
                        csv.push('"');
                        csv.push_str(&field.replace('"', "\"\""));
                        csv.push('"');
                    }
                    // causation_id is NULL (unquoted empty), then the request source.
                    let _ = writeln!(csv, ",,{REQUEST_SOURCE}");
                }
                let mut copy = conn
                    .copy_in_raw(&format!("COPY events ({COLUMNS}) FROM STDIN (FORMAT csv)"))
                    .await?;
                copy.send(csv.into_bytes()).await?;
                copy.finish().await?;
            }
            Self::Sqlite(conn) => {
                let mut tx = conn.begin().await?;
                for chunk in rows.chunks(SQLITE_ROWS_PER_STATEMENT) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                        "INSERT INTO events ({COLUMNS}) "
                    ));
                    qb.push_values(chunk, |mut b, row| {
                        b.push_bind(&row.aggregate_type)
                            .push_bind(&row.aggregate_id)
                            .push_bind(row.sequence)
                            .push_bind(&row.event_type)
                            .push_bind(&row.event_version)
                            .push_bind(&row.payload)
                            .push_bind(organization_id)
                            .push_bind(row.actor_id)
                            .push_bind("person")
                            .push_bind(row.occurred_at)
                            .push_bind(row.correlation_id)
                            .push_bind(None::<Uuid>)
                            .push_bind(REQUEST_SOURCE);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub async fn close(self) -> Result<(), BenchError> {
        match self {
            Self::Postgres(conn) => conn.close().await?,
            Self::Sqlite(conn) => conn.close().await?,
        }
        Ok(())
    }
}
