//! The benchmark's databases: a fresh one per backend, and the ceilings measured on it
//! directly (pgbench or SQLite inserts, and the read scenarios' SQL through pgbench).

use std::path::Path;

use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::ceiling::{self, Durability};
use crate::dataset::Dataset;
use crate::load::Stats;
use crate::scenarios::Loops;
use crate::{Backend, BenchError, Options};

/// A fresh database for one backend, dropped afterwards unless `--keep`.
pub(crate) struct Database {
    backend: Backend,
    pub(crate) url: String,
    admin_url: String,
    pub(crate) name: String,
    sqlite_dir: Option<std::path::PathBuf>,
}

impl Database {
    pub(crate) async fn create(
        backend: Backend,
        options: &Options,
        work: &Path,
    ) -> Result<Self, BenchError> {
        let name = format!(
            "chorus_bench_{}_{}",
            std::process::id(),
            Utc::now().timestamp()
        );
        match backend {
            Backend::Postgres => {
                let mut admin =
                    PgConnection::connect(&options.postgres_url)
                        .await
                        .map_err(|e| {
                            BenchError::Setup(format!(
                                "PostgreSQL is unreachable at {}: {e}",
                                options.postgres_url
                            ))
                        })?;
                // Synchronous commit stays on (the server default): durable commits.
                sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
                let base = options
                    .postgres_url
                    .rsplit_once('/')
                    .map(|(base, _)| base.to_owned())
                    .unwrap_or_else(|| options.postgres_url.clone());
                Ok(Self {
                    backend,
                    url: format!("{base}/{name}"),
                    admin_url: options.postgres_url.clone(),
                    name,
                    sqlite_dir: None,
                })
            }
            Backend::Sqlite => {
                let dir = work.join(&name);
                std::fs::create_dir_all(&dir)?;
                Ok(Self {
                    backend,
                    url: format!("sqlite://{}/chorus.db", dir.display()),
                    admin_url: String::new(),
                    name,
                    sqlite_dir: Some(dir),
                })
            }
        }
    }

    pub(crate) async fn drop_now(self, keep: bool) -> Result<(), BenchError> {
        if keep {
            tracing::info!(url = %self.url, "kept the benchmark database");
            return Ok(());
        }
        match self.backend {
            Backend::Postgres => {
                let mut admin = PgConnection::connect(&self.admin_url).await?;
                sqlx::query(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .execute(&mut admin)
                .await?;
                admin.close().await?;
            }
            Backend::Sqlite => {
                if let Some(dir) = self.sqlite_dir {
                    std::fs::remove_dir_all(dir)?;
                }
            }
        }
        Ok(())
    }
}

/// What the database itself manages: single-row inserts per client count, and the read
/// scenarios' SQL (PostgreSQL only).
pub(crate) struct Ceilings {
    pub(crate) inserts: Vec<Stats>,
    pub(crate) read_sql: Option<Stats>,
    pub(crate) auditor_sql: Option<Stats>,
    pub(crate) case_queue_sql: Option<Stats>,
}

impl Database {
    /// The ceilings, with the auditor's window `from`..`to`.
    pub(crate) async fn ceilings(
        &self,
        data: &Dataset,
        loops: &Loops,
        (from, to): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Ceilings, BenchError> {
        let db = self;
        let backend = self.backend;
        let mut insert_ceilings = Vec::new();
        let mut read_sql = None;
        let mut auditor_sql = None;
        let mut case_queue_sql = None;
        match backend {
            Backend::Postgres => {
                let mut conn = PgConnection::connect(&db.url).await?;
                sqlx::query(
                    "CREATE TABLE bench_insert_ceiling (LIKE events INCLUDING DEFAULTS \
                     INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES)",
                )
                .execute(&mut conn)
                .await?;
                let log_dir = db
                    .sqlite_dir
                    .clone()
                    .unwrap_or_else(|| std::env::temp_dir().join(&db.name));
                std::fs::create_dir_all(&log_dir)?;
                let payload = std::fs::read_to_string(ceiling::script("payload.json"))?;
                for (clients, per_client) in loops.insert_ceiling {
                    insert_ceilings.push(
                        ceiling::pgbench(
                            &db.url,
                            &ceiling::script("insert_event.sql"),
                            clients,
                            per_client,
                            &[
                                ("organization", data.organization_id.to_string()),
                                ("payload", payload.trim().to_owned()),
                            ],
                            &log_dir,
                        )
                        .await?,
                    );
                }
                sqlx::query("DROP TABLE bench_insert_ceiling")
                    .execute(&mut conn)
                    .await?;
                conn.close().await?;
                let (members, managers) = read_team_ids(&db.url, data.read_team_id).await?;
                read_sql = Some(
                    ceiling::pgbench(
                        &db.url,
                        &ceiling::script("read_team.sql"),
                        32,
                        loops.read_sql,
                        &[
                            ("team", data.read_team_id.to_string()),
                            ("organization", data.organization_id.to_string()),
                            ("viewer", data.admin_id.to_string()),
                            ("members", uuid_array(&members)),
                            ("managers", uuid_array(&managers)),
                        ],
                        &log_dir,
                    )
                    .await?,
                );
                auditor_sql = Some(
                    ceiling::pgbench(
                        &db.url,
                        &ceiling::script("approvals_by_approver.sql"),
                        1,
                        loops.auditor_sql,
                        &[
                            ("approvers", uuid_array(&data.approvers)),
                            ("approver_count", data.approvers.len().to_string()),
                            ("history_days", (to - from).num_days().max(0).to_string()),
                            ("organization", data.organization_id.to_string()),
                            ("viewer", data.admin_id.to_string()),
                            ("from", from.to_rfc3339()),
                        ],
                        &log_dir,
                    )
                    .await?,
                );
                let contacts =
                    queue_contacts(&db.url, data.organization_id, data.case_team_id).await?;
                case_queue_sql = Some(
                    ceiling::pgbench(
                        &db.url,
                        &ceiling::script("case_queue.sql"),
                        32,
                        loops.read_sql,
                        &[
                            ("team", data.case_team_id.to_string()),
                            ("organization", data.organization_id.to_string()),
                            ("viewer", data.admin_id.to_string()),
                            ("contacts", uuid_array(&contacts)),
                        ],
                        &log_dir,
                    )
                    .await?,
                );
                std::fs::remove_dir_all(&log_dir)?;
            }
            Backend::Sqlite => {
                for (clients, per_client) in loops.insert_ceiling {
                    insert_ceilings.push(
                        ceiling::sqlite_insert(&db.url, clients, per_client, Durability::Full)
                            .await?,
                    );
                }
            }
        }

        Ok(Ceilings {
            inserts: insert_ceilings,
            read_sql,
            auditor_sql,
            case_queue_sql,
        })
    }
}

fn uuid_array(ids: &[Uuid]) -> String {
    let items: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    format!("{{{}}}", items.join(","))
}

/// The read team's current members (the first page of 50, as the server pages them) and
/// their managers: the id lists the server binds in the read's batched queries.
async fn read_team_ids(url: &str, team: Uuid) -> Result<(Vec<Uuid>, Vec<Uuid>), BenchError> {
    let mut conn = PgConnection::connect(url).await?;
    let members: Vec<(Uuid,)> = sqlx::query_as(
        "SELECT DISTINCT person_id FROM role_assignments WHERE scope_id = $1 \
         AND scope_kind = 'TEAM' AND valid_to IS NULL ORDER BY person_id LIMIT 50",
    )
    .bind(team)
    .fetch_all(&mut conn)
    .await?;
    let members: Vec<Uuid> = members.into_iter().map(|m| m.0).collect();
    let managers: Vec<(Uuid,)> = sqlx::query_as(
        "SELECT DISTINCT manager_id FROM reporting_lines WHERE person_id = ANY($1) \
         AND valid_to IS NULL",
    )
    .bind(&members)
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    Ok((members, managers.into_iter().map(|m| m.0).collect()))
}

/// The contacts of the first page of `team`'s case queue: the ids the server binds in the
/// page's contact batch.
async fn queue_contacts(url: &str, org: Uuid, team: Uuid) -> Result<Vec<Uuid>, BenchError> {
    let mut conn = PgConnection::connect(url).await?;
    let contacts: Vec<(Uuid,)> = sqlx::query_as(
        "SELECT contact_id FROM cases WHERE organization_id = $1 AND is_open \
         AND queue_team_key = $2 ORDER BY queue_deadline, opened_at, id LIMIT 50",
    )
    .bind(org)
    .bind(team)
    .fetch_all(&mut conn)
    .await?;
    conn.close().await?;
    let mut contacts: Vec<Uuid> = contacts.into_iter().map(|c| c.0).collect();
    contacts.sort();
    contacts.dedup();
    Ok(contacts)
}
