//! What durable commits cost on SQLite. `chorus serve` syncs SQLite's write-ahead log
//! at every commit (`synchronous = FULL`), so an acknowledged command survives a power
//! loss or an OS crash; `sqlite_synchronous = "normal"` syncs at checkpoints only. Both
//! are measured in the same run: the 1-client `assignRole` of the main server (FULL)
//! against a second server on the same database with NORMAL, and the database's own
//! single-row INSERT under each setting.

use std::path::Path;

use uuid::Uuid;

use crate::ceiling::{self, Durability};
use crate::load::{Api, Stats};
use crate::report::{Figure, Target};
use crate::server::{self, Server};
use crate::writes::{assign_roles, WritePool};
use crate::BenchError;

/// Everything the measurement needs from the backend's run.
pub struct SqliteCost<'a> {
    pub chorus: &'a Path,
    pub database_url: &'a str,
    pub log: &'a Path,
    pub server_env: &'a [(String, String)],
    pub admin_id: Uuid,
    pub write_pool: &'a WritePool,
    /// The main server's 1-client `assignRole` phase (FULL).
    pub durable_writes: &'a Stats,
    pub commands: usize,
    pub inserts: usize,
}

impl SqliteCost<'_> {
    pub async fn measure(&self) -> Result<Vec<Figure>, BenchError> {
        let mut env = self.server_env.to_vec();
        env.push(("CHORUS_SQLITE_SYNCHRONOUS".into(), "normal".into()));
        let server = Server::start(self.chorus, self.database_url, self.log, &env).await?;
        let writes = self.normal_writes(&server).await;
        server.stop().await?;
        let normal_writes = writes?;
        tracing::info!(
            full = self.durable_writes.per_second,
            normal = normal_writes.per_second,
            "assignRole at 1 client, synchronous FULL and NORMAL"
        );
        let full_insert =
            ceiling::sqlite_insert(self.database_url, 1, self.inserts, Durability::Full).await?;
        let normal_insert =
            ceiling::sqlite_insert(self.database_url, 1, self.inserts, Durability::Normal).await?;
        Ok(vec![
            Figure::stats(
                "durability",
                "assignRole, 1 client, synchronous=FULL (the default)".into(),
                "commands/s",
                self.durable_writes,
                Some((
                    "the same with sqlite_synchronous = normal (not durable)",
                    normal_writes.per_second,
                )),
                Target::None,
            ),
            Figure::stats(
                "durability-insert",
                "single-row INSERT, 1 client, synchronous=FULL".into(),
                "rows/s",
                &full_insert,
                Some(("the same with synchronous=NORMAL", normal_insert.per_second)),
                Target::None,
            ),
        ])
    }

    async fn normal_writes(&self, server: &Server) -> Result<Stats, BenchError> {
        let admin = self.admin_id.to_string();
        let (printed, _) = server::run_cli(
            self.chorus,
            self.database_url,
            &["token", "--person", &admin, "--json"],
        )
        .await?;
        let issued: serde_json::Value = serde_json::from_str(printed.trim())?;
        let token = issued["token"]
            .as_str()
            .ok_or_else(|| BenchError::Setup(format!("chorus token printed {printed}")))?;
        let api = Api::new(&server.base_url, token)?;
        assign_roles(&api, self.write_pool, "normal-warmup", 1, 5).await?;
        assign_roles(&api, self.write_pool, "normal", 1, self.commands).await
    }
}
