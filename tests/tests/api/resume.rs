//! Subscriptions resume: `events(after:)` replays what a client missed from the log, then
//! goes live, with no gap and no duplicate at the seam; a subscriber that falls behind the
//! live feed is replayed instead of dropped.

use std::time::Duration;

use chorus_tests::ws::{self, next, send, Ws};
use chorus_tests::{
    backend_tests, first_code, spawn_app, spawn_app_with, TeamsApi, TestApp, TestBackend,
};
use serde_json::{json, Value};

const EVENTS: &str = "subscription($after: LogPosition) { events(after: $after) { \
    position eventType aggregateId sequence } }";

/// A socket subscribed to `events(after:)` as the admin.
async fn subscribe(app: &TestApp, after: Option<&str>) -> Ws {
    let (mut ws, _) = ws::open(&app.ws_url(), None).await.expect("socket");
    let ack = ws::connection_init(&mut ws, &app.admin_token, Duration::from_secs(5)).await;
    assert_eq!(
        ack.and_then(Result::ok).map(|m| m["type"].clone()),
        Some(json!("connection_ack"))
    );
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe",
        "payload": {"query": EVENTS, "variables": {"after": after}}}),
    )
    .await;
    // The subscription has no acknowledgement: give the server a moment to register it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    ws
}

/// The events a socket receives until `until` says stop (or 10 s pass without one).
async fn receive_until(ws: &mut Ws, until: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut events = Vec::new();
    while let Some(Ok(message)) = next(ws, Duration::from_secs(10)).await {
        assert_eq!(message["type"], "next", "{message}");
        let event = message["payload"]["data"]["events"].clone();
        assert!(event.is_object(), "an event, not an error: {message}");
        let done = until(&event);
        events.push(event);
        if done {
            return events;
        }
    }
    panic!(
        "the stream stopped after {} events: {events:?}",
        events.len()
    );
}

/// No event twice, and each record's events in sequence.
fn assert_once_in_order(events: &[Value], what: &str) {
    let mut seen = std::collections::HashSet::new();
    let mut last = std::collections::HashMap::new();
    for event in events {
        let key = (event["aggregateId"].to_string(), event["sequence"].as_i64());
        assert!(seen.insert(key.clone()), "{what}: {event} came twice");
        let previous = last.insert(key.0, key.1);
        assert!(previous < Some(key.1), "{what}: {event} came out of order");
    }
}

backend_tests! {
    /// A client that kept the last position it received subscribes again with `after`: it
    /// gets every event it missed while away, in order, then live ones, nothing twice.
    async fn a_subscription_resumes_after_the_last_position_received(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let mut first = subscribe(&app, None).await;
        let kept = app.create_team("Kept", None).await;
        let before = receive_until(&mut first, |e| e["aggregateId"] == json!(kept)).await;
        let last = before.last().expect("an event")["position"].as_str().expect("position").to_owned();
        let counted = app.event_count().await;
        drop(first);

        let missed: Vec<String> = [
            app.create_team("Missed 1", None).await,
            app.add_person("Missed Person", "missed@acme.example").await,
            app.create_team("Missed 2", None).await,
        ].into();
        let mut resumed = subscribe(&app, Some(&last)).await;
        let live = app.create_team("Live", None).await;
        let events = receive_until(&mut resumed, |e| e["aggregateId"] == json!(live)).await;
        assert_once_in_order(&events, &tag("resumed"));
        assert_eq!(
            i64::try_from(events.len()).expect("count"),
            app.event_count().await - counted,
            "{}: every event after the position, none before it: {events:?}",
            tag("resumed")
        );
        let records: Vec<&Value> = events.iter().map(|e| &e["aggregateId"]).collect();
        for id in &missed {
            assert!(records.contains(&&json!(id)), "{}: {id} missed: {events:?}", tag("replay"));
        }
        assert!(!records.contains(&&json!(kept)), "{}: nothing before the position", tag("replay"));
        drop(resumed);
        app.stop().await;
    }

    /// With room for one event in the live feed, a burst of thirty leaves the subscriber
    /// behind: it is replayed from the log and still gets every event once, in order.
    async fn a_subscriber_that_falls_behind_is_replayed_from_the_log(backend: TestBackend) {
        let app = spawn_app_with(backend, |config| config.feed_capacity = 1).await;
        let mut ws = subscribe(&app, None).await;
        let counted = app.event_count().await;
        let leaver = app.add_person("Lee Leaver", "lee@acme.example").await;
        use chorus_client::assign_role::RoleFunction as F;
        for n in 0..4 {
            let team = app.create_team(&format!("Lagging {n}"), None).await;
            for function in [F::SOCIAL_MEDIA, F::MARKETING, F::CREATIVE] {
                app.assign_team_role(&leaver, function, &team).await.expect("role");
            }
        }
        // Offboarding a person with twelve roles appends thirteen events in one
        // transaction: the feed hands them on faster than the subscriber takes them.
        app.admin().offboard_person(&leaver, Some("left")).await.expect("offboard");
        let last = app.create_team("After the burst", None).await;
        let events = receive_until(&mut ws, |e| e["aggregateId"] == json!(last)).await;
        assert_once_in_order(&events, &format!("[{backend:?}] behind"));
        assert_eq!(
            i64::try_from(events.len()).expect("count"),
            app.event_count().await - counted,
            "[{backend:?}] every event arrived: {events:?}"
        );
        drop(ws);
        app.stop().await;
    }

    /// `after` must be a position this API gave the caller's organization.
    async fn a_foreign_or_forged_position_is_refused(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let theirs = other.client.create_team("Their team", None).await.expect("team");
        for after in [theirs.position.as_str(), "not-a-position"] {
            let (mut ws, _) = ws::open(&app.ws_url(), None).await.expect("socket");
            ws::connection_init(&mut ws, &app.admin_token, Duration::from_secs(5)).await;
            send(&mut ws, json!({"id": "1", "type": "subscribe",
                "payload": {"query": EVENTS, "variables": {"after": after}}})).await;
            let message = next(&mut ws, Duration::from_secs(10)).await.and_then(Result::ok)
                .expect("an answer");
            assert_eq!(first_code(&message["payload"]).as_deref(), Some("BAD_USER_INPUT"),
                "[{backend:?}] {after}: {message}");
            assert_eq!(message["payload"]["errors"][0]["extensions"]["field"], "after", "{message}");
        }
        app.stop().await;
    }
}
