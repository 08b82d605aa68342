//! The `chorus` binary, run as an operator would: `init`, `token`, `demo` with `--json`,
//! `projections rebuild` (identical read models afterwards) and graceful shutdown.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

// The rebuild beside a live server is a module of this binary: one link, not two.
#[path = "cli/rebuild_beside_a_server.rs"]
mod rebuild_beside_a_server;
// So is the cases rebuild at every batch size.
#[path = "cli/cases_rebuild.rs"]
mod cases_rebuild;
// And two replicas relaying to NATS across a leader crash.
#[path = "cli/relay_replicas.rs"]
mod relay_replicas;

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Db, DbOptions};

const BIN: &str = env!("CARGO_BIN_EXE_chorus");

fn chorus(database_url: &str, args: &[&str]) -> Output {
    let dir = std::env::temp_dir();
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env_remove("CHORUS_CONFIG")
        .output()
        .expect("run chorus")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "chorus failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout.clone()).expect("utf-8");
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON object ({e}): {stdout}"))
}

/// Every row of the teams read models and the main content read models, as text, keyed
/// by table.
async fn read_models(url: &str) -> BTreeMap<&'static str, Vec<String>> {
    let db = Db::connect(url, &DbOptions::default(), &chorus_kernel::db::migrations())
        .await
        .expect("connect");
    let mut tables = BTreeMap::new();
    for (table, columns) in [
        ("organizations", "id, name, founding_admin_id, created_at"),
        ("teams", "id, organization_id, name, parent_id, created_at, archived_at"),
        ("people", "id, organization_id, display_name, email, affiliation, external_id, created_at, offboarded_at"),
        ("role_assignments", "id, person_id, function, responsibility, scope_kind, scope_id, valid_from, valid_to, granted_by, reason, revoked_by, revoke_reason"),
        ("reporting_lines", "person_id, manager_id, valid_from, valid_to"),
        ("team_roster", "team_id, person_id, organization_id, held_from, held_until, roles, display_name, email, affiliation, external_id, created_at, offboarded_at, manager_id, manager_display_name, manager_email, manager_affiliation, manager_external_id, manager_created_at, manager_offboarded_at"),
        ("channels", "id, team_id, network, handle, registered_at, retired_at"),
        ("posts", "id, organization_id, author_id, status, text, media, campaign, scheduled_at, flags, author_roles, legal_block_review_id, legally_blocked_at, approved_at, approved_under, published_by, published_network_post_id, published_url, published_at, delegated_policy_id, delegated_policy_version, delegated_assignment_id, delegated_function, delegated_responsibility, retracted_at, retracted_by, retraction_reason, expired_at, created_at, updated_at, last_sequence"),
        ("post_approvals", "post_id, sequence, organization_id, signer_id, assignment_id, function, responsibility, step, policy_id, policy_version, signed_at, comment, voided_at, void_reason"),
        ("cases", "id, organization_id, contact_id, door, channel_id, external_system, external_case_id, team_id, queue_team_key, function, status, is_open, priority, category, assignee_id, handled_privately, escalated_to, routing, sla_policy_id, sla_policy_version, sla_calendar_id, queue_deadline, next_deadline_kind, next_timer, breached, follows_case_id, merged_into, resolution_code, first_text, opened_at, first_response_at, resolved_at, updated_at, last_sequence"),
        ("case_timeline", "case_id, sequence, organization_id, kind, actor_id, at, details"),
        ("case_replies", "id, case_id, organization_id, responder_id, text, visibility, status, approver_function, decided_by, decision_note, delegated, outbound_status, network_message_id, outbound_detail, flags, submitted_at, sent_at, updated_at"),
        ("case_sla_outcomes", "case_id, kind, cycle, team_id, assignee_id, met, business_seconds, at"),
        ("contacts", "id, organization_id, display_name, crm_id, vip, created_at, updated_at"),
        ("contact_handles", "organization_id, network, handle_key, handle, contact_id"),
        ("legal_reviews", "id, organization_id, subject_kind, subject_id, subject_reference, kind, outcome, conditions, notes, review_references, reviewer_id, reviewer_assignment_id, reviewer_responsibility, reviewed_at"),
    ] {
        tables.insert(table, rows_as_text(&db, table, columns).await);
    }
    db.close().await;
    tables
}

/// Every row of `table`, its `columns` rendered as text by the database and joined with
/// `|`, ordered (SQLite's quote() renders its uuid blobs as X'..').
async fn rows_as_text(db: &Db, table: &str, columns: &str) -> Vec<String> {
    let render = |c: &str| match db.backend() {
        chorus_kernel::Backend::Postgres => format!("COALESCE(CAST({c} AS TEXT), '∅')"),
        chorus_kernel::Backend::Sqlite => format!("quote({c})"),
    };
    let select = columns
        .split(", ")
        .map(render)
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let sql = format!("SELECT {select} FROM {table} ORDER BY 1");
    on_read!(db, pool => {
        sqlx::query_scalar(&sql).fetch_all(pool).await.expect("read model rows")
    })
}

/// What `chorus demo` loaded besides the teams data.
#[derive(Default)]
struct DemoContent {
    statuses: Vec<String>,
    policies: i64,
    lexicon_terms: i64,
    legal_reviews: i64,
    delegated: i64,
    partially_signed: i64,
    case_statuses: Vec<String>,
    breached_cases: i64,
    pending_replies: i64,
    delivered_approved_replies: i64,
    rejected_replies: i64,
    escalated_cases: i64,
    reopened_cases: i64,
}

async fn demo_content(url: &str) -> DemoContent {
    let db = Db::connect(url, &DbOptions::default(), &chorus_kernel::db::migrations())
        .await
        .expect("connect");
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            let n: i64 = on_read!(db, pool => {
                sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
            });
            n
        }
    };
    let statuses: Vec<String> = on_read!(&db, pool => {
        sqlx::query_scalar("SELECT DISTINCT status FROM posts ORDER BY status")
            .fetch_all(pool)
            .await
            .expect("post statuses")
    });
    let content = DemoContent {
        statuses,
        policies: count("SELECT COUNT(*) FROM approval_policies").await,
        lexicon_terms: count("SELECT COUNT(*) FROM lexicon_terms").await,
        legal_reviews: count("SELECT COUNT(*) FROM legal_reviews").await,
        delegated: count(
            "SELECT COUNT(*) FROM posts WHERE delegated_policy_id IS NOT NULL AND status = 'PUBLISHED'",
        )
        .await,
        partially_signed: count(
            "SELECT COUNT(*) FROM posts p WHERE p.status = 'IN_REVIEW' AND EXISTS \
             (SELECT 1 FROM post_approvals a WHERE a.post_id = p.id AND a.voided_at IS NULL)",
        )
        .await,
        ..DemoContent::default()
    };
    let case_statuses: Vec<String> = on_read!(&db, pool => {
        sqlx::query_scalar("SELECT DISTINCT status FROM cases ORDER BY status")
            .fetch_all(pool)
            .await
            .expect("case statuses")
    });
    let content = DemoContent {
        case_statuses,
        breached_cases: count("SELECT COUNT(*) FROM cases WHERE breached").await,
        pending_replies: count("SELECT COUNT(*) FROM case_replies WHERE status = 'PENDING'").await,
        delivered_approved_replies: count(
            "SELECT COUNT(*) FROM case_replies WHERE status = 'SENT' AND decided_by IS NOT NULL \
             AND outbound_status = 'SENT' AND network_message_id IS NOT NULL",
        )
        .await,
        rejected_replies: count(
            "SELECT COUNT(*) FROM case_replies WHERE status = 'REJECTED' AND decision_note IS NOT NULL",
        )
        .await,
        escalated_cases: count("SELECT COUNT(*) FROM cases WHERE escalated_to <> '[]'").await,
        reopened_cases: count("SELECT COUNT(*) FROM case_timeline WHERE kind = 'CaseReopened'")
            .await,
        ..content
    };
    db.close().await;
    content
}

backend_tests! {
    async fn init_token_demo_and_rebuild_work_from_the_command_line(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let url = db.url();

        let init = json(&chorus(
            url,
            &[
                "init",
                "--org",
                "Acme",
                "--admin-email",
                "ada@acme.example",
                "--json",
            ],
        ));
        for key in ["organization_id", "person_id", "token"] {
            assert!(init[key].is_string(), "init --json has {key}: {init}");
        }
        let person = init["person_id"].as_str().expect("person id");
        let token = json(&chorus(url, &["token", "--person", person, "--json"]));
        assert_eq!(token["person_id"], init["person_id"]);
        assert_eq!(token["organization_id"], init["organization_id"]);
        assert!(token["token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3));

        let bad = chorus(
            url,
            &[
                "init",
                "--org",
                "Acme",
                "--admin-email",
                "not-an-email",
                "--json",
            ],
        );
        assert!(!bad.status.success(), "a bad email is refused");
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains("email"),
            "the error names the field"
        );
        let unknown = chorus(
            url,
            &["token", "--person", &uuid::Uuid::now_v7().to_string()],
        );
        assert!(
            !unknown.status.success(),
            "a token for an unknown person is refused"
        );

        let service = json(&chorus(
            url,
            &[
                "token",
                "--organization",
                init["organization_id"].as_str().expect("org"),
                "--scope",
                "teams:read",
                "--json",
            ],
        ));
        assert!(service["service_account_id"].is_string());

        let demo = json(&chorus(url, &["demo", "--json"]));
        assert!(demo["token"].is_string());

        let before = read_models(url).await;
        assert!(
            before["teams"].len() >= 6 && before["role_assignments"].len() >= 12,
            "demo data loaded: {before:?}"
        );
        let content = demo_content(url).await;
        for status in [
            "DRAFT",
            "IN_REVIEW",
            "APPROVED",
            "REJECTED",
            "SCHEDULED",
            "PUBLISHED",
            "RETRACTED",
        ] {
            assert!(
                content.statuses.iter().any(|s| s == status),
                "the demo has a {status} post ({backend:?}): {:?}",
                content.statuses
            );
        }
        assert!(content.policies >= 2, "demo policies: {}", content.policies);
        assert!(
            content.lexicon_terms >= 4,
            "demo lexicon terms: {}",
            content.lexicon_terms
        );
        assert!(
            content.legal_reviews >= 2,
            "demo legal reviews: {}",
            content.legal_reviews
        );
        assert!(
            content.delegated >= 1,
            "the demo has a post published under delegated authority"
        );
        assert!(
            content.partially_signed >= 1,
            "the demo has a post in review with a signature (in someone's inbox)"
        );
        for status in ["QUEUED", "ASSIGNED", "WAITING_ON_CONTACT", "RESOLVED"] {
            assert!(
                content.case_statuses.iter().any(|s| s == status),
                "the demo has a {status} case ({backend:?}): {:?}",
                content.case_statuses
            );
        }
        for (what, n) in [
            ("a breached case", content.breached_cases),
            ("a reply awaiting approval", content.pending_replies),
            ("an approved reply delivered", content.delivered_approved_replies),
            ("a rejected reply", content.rejected_replies),
            ("an escalated case", content.escalated_cases),
            ("a reopened case", content.reopened_cases),
        ] {
            assert!(n >= 1, "the demo has {what} ({backend:?})");
        }
        let rebuilt = chorus(url, &["projections", "rebuild"]);
        assert!(
            rebuilt.status.success(),
            "{}",
            String::from_utf8_lossy(&rebuilt.stderr)
        );
        assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("replayed"));
        let after = read_models(url).await;
        assert_eq!(
            before, after,
            "a rebuild reproduces the live read models exactly ({backend:?})"
        );

        let unknown = chorus(url, &["projections", "rebuild", "nope"]);
        assert!(
            !unknown.status.success(),
            "rebuilding an unknown projection fails"
        );
        let org = init["organization_id"].as_str().expect("org");
        let export_as = |format| {
            chorus(
                url,
                &[
                    "export",
                    "--organization",
                    org,
                    "--from",
                    "2020-01-01T00:00:00Z",
                    "--to",
                    "2030-01-01T00:00:00Z",
                    "--format",
                    format,
                ],
            )
        };
        let export = export_as("csv");
        assert!(
            export.status.success(),
            "{}",
            String::from_utf8_lossy(&export.stderr)
        );
        assert!(
            String::from_utf8_lossy(&export.stdout).starts_with("kind,occurred_at,"),
            "CSV header"
        );
        let bad = export_as("xls");
        assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("format"));
        let status = chorus(url, &["projections", "status"]);
        assert!(String::from_utf8_lossy(&status.stdout).contains("teams: position"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_health_checks_and_stops_gracefully_on_sigterm() {
    let db = TestDatabase::create(chorus_kernel::testing::TestBackend::Sqlite).await;
    let Served { mut child, url } = spawn_serve(db.url());
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("{url}/healthz")).send().await {
            assert!(response.status().is_success());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = client
        .get(format!("{url}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert!(ready.status().is_success());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(20),
            "no graceful stop after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        status.success(),
        "graceful shutdown exits with success: {status:?}"
    );
}

/// A `chorus serve` process on a free port of its own.
struct Served {
    child: std::process::Child,
    url: String,
}

/// Starts `chorus serve` on `database_url` and a free port, without waiting for it.
fn spawn_serve(database_url: &str) -> Served {
    spawn_serve_with(database_url, &[])
}

/// [`spawn_serve`] with more environment (configuration such as `CHORUS_NATS__URL`).
fn spawn_serve_with(database_url: &str, env: &[(&str, &str)]) -> Served {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env_remove("CHORUS_CONFIG")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chorus serve");
    let url = format!("http://127.0.0.1:{port}");
    Served { child, url }
}

/// [`spawn_serve`], once the server answers its health check.
async fn serve(database_url: &str) -> Served {
    serve_with(database_url, &[]).await
}

/// [`spawn_serve_with`], once the server answers its health check.
async fn serve_with(database_url: &str, env: &[(&str, &str)]) -> Served {
    let Served { child, url } = spawn_serve_with(database_url, env);
    let started = Instant::now();
    while reqwest::get(format!("{url}/healthz")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Served { child, url }
}

backend_tests! {
    /// kill -9 under load: 16 writers keep sending commands, each retried with its
    /// idempotency key until it is acknowledged, while the server is killed with SIGKILL
    /// several times and restarted. Afterwards every acknowledged command is in the log and
    /// the read models exactly once, and a rebuild gives the same read models.
    #[runtime(flavor = "multi_thread", worker_threads = 4)]
    async fn no_acknowledged_command_is_lost_or_applied_twice_across_kill_9(backend: TestBackend) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, RwLock};

        const WRITERS: usize = 16;
        const COMMANDS: usize = 30;
        const KILLS: usize = 3;

        let db = TestDatabase::create(backend).await;
        let url = db.url().to_owned();
        let admin = json(&chorus(
            &url,
            &[
                "init",
                "--org",
                "Acme",
                "--admin-email",
                "a@acme.example",
                "--json",
            ],
        ));
        let token = admin["token"].as_str().expect("token").to_owned();

        let mut served = serve(&url).await;
        let current = Arc::new(RwLock::new(served.url.clone()));
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let mut writers = Vec::new();
        for writer in 0..WRITERS {
            let (current, acknowledged, token) =
                (current.clone(), acknowledged.clone(), token.clone());
            writers.push(tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(15))
                    .build()
                    .expect("client");
                let mut teams = Vec::new();
                for n in 0..COMMANDS {
                    let name = format!("w{writer}-{n}");
                    let body = serde_json::json!({
                        "query": "mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } replayed } }",
                        "variables": { "input": { "name": name, "idempotencyKey": format!("key-{name}") } },
                    });
                    let started = Instant::now();
                    // Retried with the same key until acknowledged, as a client must.
                    let team = loop {
                        assert!(started.elapsed() < Duration::from_secs(120), "{name}: never acknowledged");
                        let endpoint = format!("{}/graphql", current.read().expect("url").clone());
                        let sent = client.post(endpoint).bearer_auth(&token).json(&body).send().await;
                        let Ok(response) = sent else {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        };
                        let Ok(answer) = response.json::<serde_json::Value>().await else {
                            continue;
                        };
                        let team = &answer["data"]["createTeam"]["team"];
                        if let (Some(id), Some(got)) = (team["id"].as_str(), team["name"].as_str()) {
                            assert_eq!(got, name);
                            break id.to_owned();
                        }
                        // Committed but not yet projected (the projector was restarting):
                        // the retry replays and shows it.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    };
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                    teams.push((name, team));
                }
                teams
            }));
        }
        let total = WRITERS * COMMANDS;
        for kill in 1..=KILLS {
            let threshold = total * kill / (KILLS + 1);
            while acknowledged.load(Ordering::SeqCst) < threshold {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            served.child.kill().expect("kill -9");
            served.child.wait().expect("reap");
            served = serve(&url).await;
            *current.write().expect("url") = served.url.clone();
        }
        let mut teams = Vec::new();
        for writer in writers {
            teams.extend(writer.await.expect("writer"));
        }
        assert_eq!(teams.len(), total);

        // Every acknowledged team is there, once; nothing was written twice.
        let client = reqwest::Client::new();
        for (name, id) in &teams {
            let answer: serde_json::Value = client
                .post(format!("{}/graphql", served.url))
                .bearer_auth(&token)
                .json(&serde_json::json!({ "query": "query($id: ID!) { team(id: $id) { name } }", "variables": { "id": id } }))
                .send()
                .await
                .expect("read")
                .json()
                .await
                .expect("JSON");
            assert_eq!(
                answer["data"]["team"]["name"],
                name.as_str(),
                "[{backend:?}] {name} lost"
            );
        }
        let store = Db::connect(
            &url,
            &DbOptions::default(),
            &chorus_kernel::db::migrations(),
        )
        .await
        .expect("connect");
        let (created, distinct): (i64, i64) = on_read!(&store, pool => {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT aggregate_id) AS BIGINT) FROM events \
                 WHERE event_type = 'TeamCreated'",
            )
            .fetch_one(pool)
            .await
            .expect("count")
        });
        assert_eq!(
            (created, distinct),
            (total as i64, total as i64),
            "[{backend:?}] each command applied once"
        );
        store.close().await;

        // A rebuild gives the read models the live server wrote.
        let stopped = Command::new("kill")
            .args(["-TERM", &served.child.id().to_string()])
            .status();
        assert!(stopped.expect("kill").success());
        served.child.wait().expect("graceful stop");
        let live = read_models(&url).await;
        let rebuilt = chorus(&url, &["projections", "rebuild"]);
        assert!(
            rebuilt.status.success(),
            "{}",
            String::from_utf8_lossy(&rebuilt.stderr)
        );
        assert_eq!(
            read_models(&url).await,
            live,
            "[{backend:?}] rebuild equals the live read models"
        );
        assert_eq!(live["teams"].len(), total);
    }
}

backend_tests! {
    /// On SQLite `chorus projections rebuild` refuses while a server leads the
    /// projections (it empties the read models and replays in place), and runs once the
    /// server is gone: the leader holds an OS lock on a file beside the database, which
    /// goes with the process. (On PostgreSQL a rebuild runs beside the server, into shadow
    /// tables: `cli/rebuild_beside_a_server.rs`.)
    #[backends(sqlite)]
    async fn projections_rebuild_refuses_while_a_server_runs(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let url = db.url();
        json(&chorus(url, &["init", "--org", "Acme", "--admin-email", "ada@acme.example", "--json"]));
        let mut served = serve(url).await;
        // The server takes the lead on its first projector turn.
        let started = Instant::now();
        let refused = loop {
            let output = chorus(url, &["projections", "rebuild"]);
            if !output.status.success() {
                break output;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "rebuild kept running beside a live server: {}",
                String::from_utf8_lossy(&output.stdout)
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("stop every server before rebuilding"),
            "the refusal says why: {stderr}"
        );
        served.child.kill().expect("kill server");
        served.child.wait().expect("reap server");
        let started = Instant::now();
        loop {
            // The lock goes with the dead server (its connection, or its open file).
            let output = chorus(url, &["projections", "rebuild"]);
            if output.status.success() {
                assert!(String::from_utf8_lossy(&output.stdout).contains("replayed"));
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "rebuild still refused after the server stopped: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Whether the server at `url` reports that it leads the projections (`/metrics`).
async fn leads(url: &str) -> bool {
    let Ok(response) = reqwest::get(format!("{url}/metrics")).await else {
        return false;
    };
    let text = response.text().await.unwrap_or_default();
    text.lines()
        .any(|line| line.trim() == "chorus_projector_leader 1")
}

async fn wait_until_leads(url: &str, what: &str) {
    let started = Instant::now();
    while !leads(url).await {
        assert!(started.elapsed() < Duration::from_secs(30), "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

backend_tests! {
    /// Two servers on one database: one leads the projections. Killed with SIGKILL, the
    /// leader's lock goes with its connection and the other server takes over, so its
    /// mutations read their own writes again. PostgreSQL (SQLite has one process).
    #[backends(postgres)]
    async fn another_server_takes_the_lead_after_the_leader_crashes(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let url = db.url().to_owned();
        let admin = json(&chorus(&url, &["init", "--org", "Acme", "--admin-email", "a@acme.example", "--json"]));
        let token = admin["token"].as_str().expect("token").to_owned();
        let mut first = serve(&url).await;
        wait_until_leads(&first.url, "the first server never led").await;
        let mut second = serve(&url).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!leads(&second.url).await, "two leaders at once");

        first.child.kill().expect("SIGKILL the leader");
        first.child.wait().expect("reap");
        wait_until_leads(&second.url, "the second server did not take the lead").await;

        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/graphql", second.url))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "query": "mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { name } } }",
                "variables": { "input": { "name": "After the crash" } },
            }))
            .send()
            .await
            .expect("mutation")
            .json()
            .await
            .expect("json");
        assert_eq!(
            answer["data"]["createTeam"]["team"]["name"], "After the crash",
            "the new leader projects: the mutation reads its own write: {answer}"
        );
        second.child.kill().expect("stop the second server");
        second.child.wait().expect("reap");
    }
}
