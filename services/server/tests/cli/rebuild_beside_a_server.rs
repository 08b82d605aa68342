//! On PostgreSQL a rebuild runs beside a live server: the read models keep answering over
//! GraphQL with their old rows until the rebuilt ones replace them, writes made during
//! the rebuild are answered (read-your-writes) and are in the result, and the swapped-in
//! tables have every index of the live ones. Also from the command line, beside
//! `chorus serve`.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::{chorus, spawn_serve, Served};
use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, on_write, Db};
use chorus_server::config::{AuthConfig, Secret};
use chorus_server::Config;
use serde_json::{json, Value};

const SECRET: &str = "chorus-rebuild-tests-secret-0123456789";
const TEAM: &str = "query($id: ID!) { team(id: $id) { name } }";
const CREATE_TEAM: &str =
    "mutation($name: String!) { createTeam(input: { name: $name }) { team { id name } } }";

async fn graphql(url: &str, token: &str, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON")
}

async fn create_team(url: &str, token: &str, name: &str) -> String {
    let answer = graphql(url, token, CREATE_TEAM, json!({ "name": name })).await;
    answer["data"]["createTeam"]["team"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createTeam: {answer}"))
        .to_owned()
}

async fn team_name(url: &str, token: &str, id: &str) -> Value {
    let answer = graphql(url, token, TEAM, json!({ "id": id })).await;
    answer["data"]["team"]["name"].clone()
}

/// Every row of the teams read models as text, and every index of the read-model tables.
async fn snapshot(db: &Db) -> (Vec<String>, Vec<(String, String)>) {
    on_read!(db, pool => {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT t::text FROM (SELECT 'organizations' AS k, o::text AS r FROM organizations o \
             UNION ALL SELECT 'teams', t::text FROM teams t \
             UNION ALL SELECT 'people', p::text FROM people p \
             UNION ALL SELECT 'role_assignments', a::text FROM role_assignments a) t ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .expect("rows");
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' \
             ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .expect("indexes");
        (rows, indexes)
    })
}

async fn exec(db: &Db, sql: &str) {
    on_write!(db, pool => { sqlx::query(sql).execute(pool).await.expect(sql); });
}

backend_tests! {
    /// Held after its replay, an in-server rebuild leaves the live read models answering:
    /// a damaged team name still reads damaged, and a team created meanwhile is answered
    /// at once. Released, the rebuilt tables replace the live ones: the name is repaired,
    /// the new team is there, and every index of the read models is back.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 2)]
    async fn graphql_answers_from_the_live_read_models_until_the_rebuilt_ones_replace_them(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let config = Config {
            database_url: db.url().into(),
            listen: "127.0.0.1:0".into(),
            max_connections: 8,
            auth: AuthConfig {
                hs256_secret: Some(Secret::new(SECRET)),
                ..AuthConfig::default()
            },
            ..Config::default()
        };
        let server = chorus_server::start(config, false).await.expect("server starts");
        let issued = chorus_server::cli::init(&server.state, "Acme", "ada@acme.example", Some("Ada"))
            .await
            .expect("init");
        let url = server.url();
        let token = issued.token;
        let marketing = create_team(&url, &token, "Marketing").await;
        create_team(&url, &token, "Sales").await;
        let store = &server.state.db;
        let (rows, indexes) = snapshot(store).await;
        exec(store, "UPDATE teams SET name = 'Damaged' WHERE name = 'Marketing'").await;

        let projector = server.state.projector.clone();
        projector.hold_rebuild(true);
        let rebuild = tokio::spawn({
            let projector = projector.clone();
            async move { projector.rebuild(None).await }
        });
        assert!(projector.rebuild_is_held(Duration::from_secs(30)).await, "held after the replay");
        assert_eq!(team_name(&url, &token, &marketing).await, "Damaged", "the live rows answer");
        let support = create_team(&url, &token, "Support").await;
        assert_eq!(team_name(&url, &token, &support).await, "Support", "writes are answered");

        projector.hold_rebuild(false);
        rebuild.await.expect("task").expect("rebuild");
        assert_eq!(team_name(&url, &token, &marketing).await, "Marketing", "repaired");
        assert_eq!(team_name(&url, &token, &support).await, "Support", "kept");
        let (after, indexes_after) = snapshot(store).await;
        assert_eq!(indexes_after, indexes, "every index is back");
        assert_eq!(after.len(), rows.len() + 1, "the team created during the rebuild is in");
        assert!(rows.iter().all(|row| after.contains(row)), "every earlier row is reproduced");
        server.stop().await;
    }
}

backend_tests! {
    /// `chorus projections rebuild` beside `chorus serve`: the server answers every read
    /// throughout (never an empty read model), the rebuild succeeds, and the server still
    /// leads and applies what is written afterwards.
    #[backends(postgres)]
    #[runtime(flavor = "multi_thread", worker_threads = 2)]
    async fn the_command_line_rebuild_runs_beside_a_serving_server(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let url = db.url();
        let init = chorus(url, &["init", "--org", "Acme", "--admin-email", "ada@acme.example", "--json"]);
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        let issued: Value = serde_json::from_slice(&init.stdout).expect("init JSON");
        let token = issued["token"].as_str().expect("token").to_owned();
        let Served { mut child, url: served } = spawn_serve(url);
        let started = Instant::now();
        let teams = loop {
            // Up once a token is accepted.
            if let Ok(response) = reqwest::Client::new()
                .post(format!("{served}/graphql"))
                .bearer_auth(&token)
                .json(&json!({ "query": CREATE_TEAM, "variables": { "name": "Marketing" } }))
                .send()
                .await
            {
                let answer: Value = response.json().await.unwrap_or_default();
                if let Some(id) = answer["data"]["createTeam"]["team"]["id"].as_str() {
                    break vec![id.to_owned()];
                }
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let mut teams = teams;
        for i in 0..20 {
            teams.push(create_team(&served, &token, &format!("Team {i}")).await);
        }
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reading = tokio::spawn({
            let (served, token, teams, done) = (served.clone(), token.clone(), teams.clone(), done.clone());
            async move {
                let mut reads = 0u64;
                while !done.load(std::sync::atomic::Ordering::Acquire) {
                    for id in &teams {
                        let name = team_name(&served, &token, id).await;
                        assert!(name.is_string(), "a read during the rebuild lost team {id}");
                        reads += 1;
                    }
                }
                reads
            }
        });
        let rebuilt = tokio::task::spawn_blocking({
            let url = url.to_owned();
            move || chorus(&url, &["projections", "rebuild"])
        })
        .await
        .expect("rebuild task");
        done.store(true, std::sync::atomic::Ordering::Release);
        let reads = reading.await.expect("every read during the rebuild answered");
        assert!(
            rebuilt.status.success(),
            "the rebuild runs beside the server: {}",
            String::from_utf8_lossy(&rebuilt.stderr)
        );
        assert!(reads > 0, "reads ran during the rebuild");
        let id = create_team(&served, &token, "After").await;
        assert_eq!(team_name(&served, &token, &id).await, "After", "the server still applies");
        child.kill().expect("kill server");
        child.wait().expect("reap server");
    }
}
