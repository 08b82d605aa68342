//! The NATS JetStream relay: every event of a published kind leaves as a CloudEvents 1.0
//! message on `<prefix>.<organization>.<context>.<event>`, once, in log order; through a
//! NATS restart in the middle of a burst, a relay crash, and an outage longer than the
//! stream's duplicate window.

use std::time::Duration;

use chorus_tests::nats::{self, NatsServer, Published};
use chorus_tests::{backend_tests, spawn_app_with, TeamsApi, TestApp, TestBackend};
use serde_json::json;

/// What the relay must have published: the log's events of published kinds, in log order,
/// by their event ids.
async fn expected(app: &TestApp) -> Vec<String> {
    let kinds: Vec<&str> = chorus_server::modules::published_kinds()
        .iter()
        .map(|k| k.aggregate_type)
        .collect();
    app.logged_events()
        .await
        .into_iter()
        .filter(|(_, kind, _, _)| kinds.contains(&kind.as_str()))
        .map(|(_, kind, id, sequence)| format!("{kind}:{id}:{sequence}"))
        .collect()
}

fn ids(published: &[Published]) -> Vec<String> {
    published.iter().map(|p| p.message_id.clone()).collect()
}

/// Writes `n` teams and people, one command at a time.
async fn burst(app: &TestApp, tag: &str, n: usize) {
    for i in 0..n {
        app.create_team(&format!("{tag} team {i}"), None).await;
        app.add_person(
            &format!("{tag} person {i}"),
            &format!("{tag}.{i}@acme.example"),
        )
        .await;
    }
}

backend_tests! {
    /// Every event arrives once and in log order, as a CloudEvent whose id is the NATS
    /// message id, with the organization in its source and subject.
    async fn every_event_reaches_nats_once_in_order_as_a_cloud_event(backend: TestBackend) {
        let url = nats::machine_url();
        let (stream, prefix) = nats::fresh_stream();
        let configure = |config: &mut chorus_server::config::Config| {
            config.nats.url = url.clone();
            config.nats.stream = stream.clone();
            config.nats.subject_prefix = prefix.clone();
        };
        let app = spawn_app_with(backend, configure).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        burst(&app, "acme", 3).await;
        other.client.create_team("Their team", None).await.expect("team");
        let expected = expected(&app).await;
        let published = nats::await_messages(&url, &stream, expected.len(), Duration::from_secs(20)).await;
        assert_eq!(ids(&published), expected, "[{backend:?}] once each, in log order");

        let team = published.iter().find(|p| p.event["type"] == "com.chorus.teams.TeamCreated.v1")
            .expect("a TeamCreated event");
        let event = &team.event;
        let org = app.organization_id;
        assert_eq!(event["specversion"], "1.0");
        assert_eq!(event["id"], json!(team.message_id));
        assert_eq!(event["source"], json!(format!("/chorus/organizations/{org}")));
        assert_eq!(event["datacontenttype"], "application/json");
        assert!(event["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{event}");
        assert!(event["subject"].as_str().is_some_and(|s| !s.is_empty()), "{event}");
        assert!(event["data"].is_object(), "{event}");
        assert_eq!(team.subject, format!("{prefix}.{org}.teams.TeamCreated"));
        let theirs = published.iter().filter(|p| p.subject.contains(&other.organization_id.to_string())).count();
        assert!(theirs >= 2, "[{backend:?}] the other organization's events are on its own subjects");
        app.stop().await;
        nats::delete_stream(&url, &stream).await;
    }

    /// NATS killed and started again in the middle of a burst, then the server stopped
    /// in the middle of another and started again with its checkpoint lost beyond the
    /// duplicate window: the stream still holds every event once, in log order.
    async fn nats_restarts_relay_crashes_and_lost_checkpoints_lose_and_repeat_nothing(backend: TestBackend) {
        let mut server = NatsServer::start();
        let url = server.url();
        let stream = "CHORUS".to_owned();
        let configure = |config: &mut chorus_server::config::Config| {
            config.nats.url = url.clone();
            config.nats.duplicate_window_seconds = 1;
        };
        let mut app = spawn_app_with(backend, configure).await;
        let admin = app.admin();
        let writes = tokio::spawn(async move {
            for i in 0..30 {
                admin.create_team(&format!("during {i}"), None).await.expect("team");
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.kill();
        tokio::time::sleep(Duration::from_millis(700)).await;
        server.restart();
        writes.await.expect("writes");
        let published = nats::await_messages(&url, &stream, expected(&app).await.len(), Duration::from_secs(30)).await;
        assert_eq!(ids(&published), expected(&app).await, "[{backend:?}] after the NATS restart");

        // The relay stops in the middle of a burst; its checkpoint is then lost, and the
        // duplicate window passes before it starts again.
        let admin = app.admin();
        let writes = tokio::spawn(async move {
            for i in 0..10 {
                let _ = admin.create_team(&format!("crash {i}"), None).await;
            }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.restart_configured(|_| {}).await;
        let _ = writes.await;
        app.execute_sql("UPDATE relay_checkpoints SET transaction_id = 0, global_position = 0").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        app.restart_configured(configure).await;
        burst(&app, "after", 2).await;
        let expected = expected(&app).await;
        let published = nats::await_messages(&url, &stream, expected.len(), Duration::from_secs(30)).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let published = if published.len() < expected.len() { published } else { nats::messages(&url, &stream).await };
        assert_eq!(ids(&published), expected, "[{backend:?}] after the crash and the lost checkpoint");
        app.stop().await;
    }
}
