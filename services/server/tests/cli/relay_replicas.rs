//! Two `chorus serve` processes on one PostgreSQL database, both configured to relay to
//! NATS: only the leader relays, and when it is killed the other takes over from the
//! checkpoint and the stream's last message, so the stream holds every event once, in
//! log order.

use std::time::{Duration, Instant};

use async_nats::jetstream;
use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Db, DbOptions};

use super::{chorus, json, leads, serve_with, wait_until_leads, Served};

/// `chorus serve` relaying to `stream` on the machine's NATS.
async fn serve_relaying(database_url: &str, nats: &str, stream: &str, prefix: &str) -> Served {
    let env = [
        ("CHORUS_NATS__URL", nats),
        ("CHORUS_NATS__STREAM", stream),
        ("CHORUS_NATS__SUBJECT_PREFIX", prefix),
    ];
    serve_with(database_url, &env).await
}

/// The message ids `stream` holds, in stream order, once it holds `count` (or 30 s pass).
async fn stream_ids(nats: &str, stream: &str, count: usize) -> Vec<String> {
    let js = jetstream::new(
        async_nats::connect(nats)
            .await
            .expect("NATS is reachable (see .ci/run)"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut s = js.get_stream(stream).await.expect("the relay's stream");
        let last = s.info().await.expect("info").state.last_sequence;
        if usize::try_from(last).unwrap_or(0) >= count || Instant::now() > deadline {
            let mut ids = Vec::new();
            for sequence in 1..=last {
                let message = s.get_raw_message(sequence).await.expect("message");
                let id = message.headers.get(async_nats::header::NATS_MESSAGE_ID);
                ids.push(id.map(|v| v.as_str().to_owned()).unwrap_or_default());
            }
            return ids;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The log's events of published kinds, in log order, by event id.
async fn logged_ids(url: &str) -> Vec<String> {
    let db = Db::connect(url, &DbOptions::default(), &chorus_kernel::db::migrations())
        .await
        .expect("connect");
    let rows: Vec<(String, String, i64)> = on_read!(&db, pool => {
        sqlx::query_as("SELECT aggregate_type, aggregate_id, sequence FROM events ORDER BY global_position")
            .fetch_all(pool)
            .await
            .expect("events")
    });
    db.close().await;
    let kinds: Vec<&str> = chorus_server::modules::published_kinds()
        .iter()
        .map(|k| k.aggregate_type)
        .collect();
    rows.into_iter()
        .filter(|(kind, _, _)| kinds.contains(&kind.as_str()))
        .map(|(kind, id, sequence)| format!("{kind}:{id}:{sequence}"))
        .collect()
}

async fn create_team(url: &str, token: &str, name: &str) {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "query": "mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { name } } }",
            "variables": { "input": { "name": name } },
        }))
        .send()
        .await
        .expect("mutation")
        .json()
        .await
        .expect("json");
    assert_eq!(
        answer["data"]["createTeam"]["team"]["name"], name,
        "{answer}"
    );
}

backend_tests! {
    #[backends(postgres)]
    async fn two_replicas_relay_each_event_once_across_a_leader_crash(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let url = db.url().to_owned();
        let nats = std::env::var("CHORUS_TEST_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
        let id = uuid::Uuid::now_v7().simple().to_string();
        let (stream, prefix) = (format!("CHORUS_TEST_{id}"), format!("t{id}"));
        let admin = json(&chorus(&url, &["init", "--org", "Acme", "--admin-email", "a@acme.example", "--json"]));
        let token = admin["token"].as_str().expect("token").to_owned();
        let mut first = serve_relaying(&url, &nats, &stream, &prefix).await;
        wait_until_leads(&first.url, "the first server never led").await;
        let mut second = serve_relaying(&url, &nats, &stream, &prefix).await;
        for i in 0..5 {
            create_team(&second.url, &token, &format!("before {i}")).await;
        }
        let before = logged_ids(&url).await;
        assert_eq!(stream_ids(&nats, &stream, before.len()).await, before, "the leader relays everything once");

        first.child.kill().expect("SIGKILL the leader");
        first.child.wait().expect("reap");
        wait_until_leads(&second.url, "the second server did not take the lead").await;
        for i in 0..5 {
            create_team(&second.url, &token, &format!("after {i}")).await;
        }
        let expected = logged_ids(&url).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(stream_ids(&nats, &stream, expected.len()).await, expected, "once each, in log order, across the crash");
        assert!(!leads(&first.url).await);
        second.child.kill().expect("stop the second server");
        second.child.wait().expect("reap");
        if let Ok(client) = async_nats::connect(&nats).await {
            let _ = jetstream::new(client).delete_stream(&stream).await;
        }
    }
}
