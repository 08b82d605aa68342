//! The cases subscriptions over graphql-transport-ws: `caseQueueUpdates(teamId)` signals
//! the changes of one team's queue only; `caseUpdates(caseIds)` streams the events of the
//! named cases; a subscriber who may not read cases is refused.

use std::time::Duration;

use chorus_tests::ws::{self, next, send, Ws};
use chorus_tests::{backend_tests, spawn_app, TestBackend};
use serde_json::{json, Value};

async fn subscribed(url: &str, token: &str, query: &str, variables: Value) -> Ws {
    let (mut ws, _) = ws::open(url, None)
        .await
        .unwrap_or_else(|s| panic!("ws: HTTP {s}"));
    let ack = ws::connection_init(&mut ws, token, Duration::from_secs(5)).await;
    assert_eq!(
        ack.and_then(Result::ok).map(|m| m["type"].clone()),
        Some(json!("connection_ack"))
    );
    send(&mut ws, json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": variables } })).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    ws
}

/// The event types the socket delivers within `wait`, until it is quiet.
async fn received(ws: &mut Ws, wait: Duration) -> Vec<Value> {
    let mut got = Vec::new();
    while let Some(Ok(message)) = next(ws, wait).await {
        got.push(message);
    }
    got
}

const EVENT: &str = "{ eventType aggregateId }";

backend_tests! {
    async fn queue_and_case_subscriptions_deliver_what_they_name(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let social_hub = app.create_team("Social Hub", None).await;
        let seller_token = app.token_for_person(chorus_tests::uuid_of(&w.seller.id));
        let mut care_queue = subscribed(
            &app.ws_url(),
            &seller_token,
            &format!("subscription($teamId: ID) {{ caseQueueUpdates(teamId: $teamId) {EVENT} }}"),
            json!({ "teamId": w.care }),
        )
        .await;
        let mut hub_queue = subscribed(
            &app.ws_url(),
            &seller_token,
            &format!("subscription($teamId: ID) {{ caseQueueUpdates(teamId: $teamId) {EVENT} }}"),
            json!({ "teamId": social_hub }),
        )
        .await;
        let case = app.channel_message(&w, "live-1", "@live", "Is there a discount?", "PUBLIC").await;
        let mut one_case = subscribed(
            &app.ws_url(),
            &seller_token,
            &format!("subscription($ids: [ID!]) {{ caseUpdates(caseIds: $ids) {EVENT} }}"),
            json!({ "ids": [case["id"]] }),
        )
        .await;
        let other = app.channel_message(&w, "live-2", "@other", "Any coupon?", "PUBLIC").await;
        app.case_change(&w.seller.client, "assignCase", "AssignCaseInput", json!({ "caseId": case["id"] })).await;

        let queue_events = received(&mut care_queue, Duration::from_secs(2)).await;
        let types: Vec<&str> = queue_events.iter().filter_map(|m| m["payload"]["data"]["caseQueueUpdates"]["eventType"].as_str()).collect();
        assert_eq!(types, ["CaseOpened", "CaseOpened", "CaseAssigned"], "[{backend:?}] Care's queue: {queue_events:?}");
        let hub_events = received(&mut hub_queue, Duration::from_millis(500)).await;
        assert!(hub_events.is_empty(), "[{backend:?}] nothing of another team's queue: {hub_events:?}");
        let case_events = received(&mut one_case, Duration::from_secs(1)).await;
        let ids: Vec<&Value> = case_events.iter().map(|m| &m["payload"]["data"]["caseUpdates"]["aggregateId"]).collect();
        assert_eq!(ids, [&case["id"]], "[{backend:?}] only the named case, not {}: {case_events:?}", other["id"]);

        let marketer_token = app.token_for_person(chorus_tests::uuid_of(&w.marketer.id));
        let mut refused = subscribed(
            &app.ws_url(),
            &marketer_token,
            &format!("subscription {{ caseQueueUpdates {EVENT} }}"),
            json!({}),
        )
        .await;
        let answer = received(&mut refused, Duration::from_secs(1)).await;
        // An `error` message carries a list; a `next` message carries `errors`.
        let codes: Vec<Value> = answer
            .iter()
            .flat_map(|m| {
                let payload = &m["payload"];
                let errors = payload.as_array().or_else(|| payload["errors"].as_array());
                errors.cloned().unwrap_or_default().into_iter().map(|e| e["extensions"]["code"].clone())
            })
            .collect();
        assert!(codes.contains(&json!("FORBIDDEN")), "[{backend:?}] a marketer may not follow case queues: {answer:?}");
        app.stop().await;
    }
}
