//! Live events over graphql-transport-ws at `/graphql/ws`.
//!
//! Raw socket messages on purpose: the graphql-transport-ws exchange is what is tested;
//! subscribe payloads come from the typed documents where they can.

use std::time::Duration;

use chorus_client::{events, Events};
use chorus_tests::ws::{self, close, next, send, Ws};
use chorus_tests::TeamsApi;
use chorus_tests::{backend_tests, docs, expect_data, spawn_app, TestBackend};
use serde_json::{json, Value};

async fn connect(url: &str) -> Ws {
    let (ws, protocol) = ws::open(url, None)
        .await
        .unwrap_or_else(|status| panic!("ws connect: HTTP {status}"));
    assert_eq!(
        protocol.as_deref(),
        Some("graphql-transport-ws"),
        "the server speaks graphql-transport-ws"
    );
    ws
}

async fn init(ws: &mut Ws, token: &str) -> Option<Result<Value, ()>> {
    ws::connection_init(ws, token, Duration::from_secs(5)).await
}

backend_tests! {
    async fn events_are_pushed_to_subscribers_of_their_organization_only(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let other = app.second_org("Globex", "admin@globex.example").await;
        let tag = |what: &str| format!("[{backend:?}] {what}");

        let mut ws = connect(&app.ws_url()).await;
        let ack = init(&mut ws, &app.admin_token).await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack")),
            "{}",
            tag("ack")
        );
        let subscribe = chorus_client::request_body::<Events>(events::Variables {
            aggregate_types: Some(vec![events::AggregateType::TEAM]),
            after: None,
        });
        send(
            &mut ws,
            json!({"id": "1", "type": "subscribe", "payload": subscribe}),
        )
        .await;
        // The subscription has no acknowledgement: give the server a moment to register it.
        tokio::time::sleep(Duration::from_millis(500)).await;

        // Another organization's team first, then a person (filtered out), then ours.
        let theirs = other.client.create_team("Their team", None).await.expect("B team");
        let their_team = theirs.team.expect("B team").id;
        app.add_person("Filtered Out", "filtered@acme.example")
            .await;
        let ours = admin.create_team("Our team", None).await.expect("A team");
        let our_team = ours.team.expect("A team").id;
        let position = ours.position;

        let message = next(&mut ws, Duration::from_secs(10)).await;
        let message = match message {
            Some(Ok(message)) => message,
            other => panic!("{}: no event arrived: {other:?}", tag("subscription")),
        };
        assert_eq!(
            message["type"],
            "next",
            "{}: {message}",
            tag("message type")
        );
        assert_eq!(message["id"], "1");
        let data: events::ResponseData =
            serde_json::from_value(message["payload"]["data"].clone()).expect("typed event");
        let event = data.events;
        assert_eq!(
            event.aggregate_id.as_deref(),
            Some(our_team.as_str()),
            "{}: first event is not our team's: {message}",
            tag("event")
        );
        assert_ne!(
            event.aggregate_id.as_deref(),
            Some(their_team.as_str()),
            "{}",
            tag("another organization's event was delivered")
        );
        assert_eq!(event.event_type, "TeamCreated");
        assert_eq!(event.aggregate_type, Some(events::AggregateType::TEAM));
        assert_eq!(
            event.position,
            position,
            "{}",
            tag("event position = mutation position")
        );
        assert_eq!(event.actor_kind, "person");
        assert_eq!(event.sequence, 1);
        assert!(event.payload.is_object(), "{}", tag("payload"));

        // A rename of ours arrives next; B's later events never do.
        other.client.create_team("Their second", None).await.expect("B team 2");
        admin.rename_team(&our_team, "Renamed").await.expect("rename");
        let renamed = next(&mut ws, Duration::from_secs(10))
            .await
            .and_then(Result::ok)
            .expect("rename event");
        assert_eq!(
            renamed["payload"]["data"]["events"]["aggregateId"],
            json!(our_team),
            "{}: {renamed}",
            tag("rename event")
        );
        assert_eq!(renamed["payload"]["data"]["events"]["sequence"], 2);
        let quiet = next(&mut ws, Duration::from_millis(700)).await;
        assert!(
            matches!(quiet, Some(Err(()))),
            "{}: unexpected message {quiet:?}",
            tag("nothing else")
        );

        // Unsubscribe and close cleanly.
        send(&mut ws, json!({"id": "1", "type": "complete"})).await;
        close(ws).await;

        // A service account without a read scope is authenticated but may not subscribe.
        let mut ws = connect(&app.ws_url()).await;
        let ack = init(
            &mut ws,
            &app.token_for_service(&["compliance:export"]).await,
        )
        .await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack"))
        );
        send(&mut ws, json!({"id": "s", "type": "subscribe", "payload": {"query": "subscription { events { eventType } }"}})).await;
        let refused = next(&mut ws, Duration::from_secs(5))
            .await
            .and_then(Result::ok)
            .expect("an answer");
        let code = if refused["type"] == "error" {
            refused["payload"][0]["extensions"]["code"].clone()
        } else {
            refused["payload"]["errors"][0]["extensions"]["code"].clone()
        };
        assert_eq!(
            code,
            "FORBIDDEN",
            "{}: {refused}",
            tag("unscoped subscription")
        );
        close(ws).await;

        app.stop().await;
    }
}

backend_tests! {
    async fn an_invalid_token_closes_the_connection(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        for (what, payload) in [
            ("garbage token", json!({"Authorization": "Bearer garbage"})),
            (
                "expired token",
                json!({"Authorization": format!("Bearer {}", app.expired_token())}),
            ),
            ("no token", json!({})),
        ] {
            let mut ws = connect(&app.ws_url()).await;
            send(
                &mut ws,
                json!({"type": "connection_init", "payload": payload}),
            )
            .await;
            let answer = next(&mut ws, Duration::from_secs(5)).await;
            assert!(
                answer.is_none(),
                "{}: the connection should close without an ack, got {answer:?}",
                tag(what)
            );
            // Events that happen afterwards are never delivered.
            app.create_team(&format!("After {what}"), None).await;
            let after = next(&mut ws, Duration::from_millis(300)).await;
            assert!(!matches!(after, Some(Ok(_))), "{}: {after:?}", tag(what));
        }
        // Subscribing without connection_init is refused too.
        let mut ws = connect(&app.ws_url()).await;
        send(&mut ws, json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { events { eventType } }"}})).await;
        app.create_team("Unauthenticated subscriber", None).await;
        let answer = next(&mut ws, Duration::from_millis(1500)).await;
        assert!(
            answer.is_none(),
            "{}: the connection should close, got {answer:?}",
            tag("subscribe before init")
        );
        // An open connection would hold up the server's graceful stop.
        close(ws).await;

        app.stop().await;
    }
}

backend_tests! {
    /// A subscription is a long-lived read: once its person is offboarded (their token now
    /// gets 401 on every request), it must not go on streaming the organization's events.
    async fn an_offboarded_person_stops_receiving_events(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let leaver = app.add_person("Lee Leaver", "lee@acme.example").await;
        let token = app.token_for_person(chorus_tests::uuid_of(&leaver));

        let mut ws = connect(&app.ws_url()).await;
        let ack = init(&mut ws, &token).await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack")),
            "{}",
            tag("ack")
        );
        send(
            &mut ws,
            json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { events(aggregateTypes: [TEAM]) { aggregateId } }"}}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        // While employed, events arrive.
        let before = app.create_team("Before offboarding", None).await;
        let seen = next(&mut ws, Duration::from_secs(10))
            .await
            .and_then(Result::ok);
        assert_eq!(
            seen.as_ref()
                .map(|m| m["payload"]["data"]["events"]["aggregateId"].clone()),
            Some(json!(before)),
            "{}: {seen:?}",
            tag("event before offboarding")
        );

        app.admin()
            .offboard_person(&leaver, Some("left"))
            .await
            .expect("offboard");
        let refused = app
            .client(Some(&token))
            .run::<chorus_client::Viewer>(chorus_client::viewer::Variables)
            .await;
        assert_eq!(
            refused.err().and_then(|e| e.status()),
            Some(401),
            "{}",
            tag("the token is dead over HTTP")
        );

        let after = app.create_team("After offboarding", None).await;
        // The stream ends with its reason, UNAUTHENTICATED, then `complete`: the client
        // learns why (a silent stream would look like a quiet organization).
        let ended = next(&mut ws, Duration::from_secs(10)).await.and_then(Result::ok);
        assert_eq!(
            ended.as_ref().map(|m| (
                m["type"].clone(),
                m["payload"]["errors"][0]["extensions"]["code"].clone()
            )),
            Some((json!("next"), json!("UNAUTHENTICATED"))),
            "{}: {ended:?}",
            tag("the stream ends with UNAUTHENTICATED")
        );
        let complete = next(&mut ws, Duration::from_secs(10)).await.and_then(Result::ok);
        assert_eq!(
            complete.as_ref().map(|m| m["type"].clone()),
            Some(json!("complete")),
            "{}: {complete:?}",
            tag("then the subscription completes")
        );
        let message = next(&mut ws, Duration::from_secs(1)).await;
        let leaked = matches!(&message, Some(Ok(m)) if m["type"] == "next" && m["payload"]["data"]["events"]["aggregateId"] == json!(after));
        assert!(
            !leaked,
            "{}: the offboarded person's subscription still streams events: {message:?}",
            tag("offboarded subscriber")
        );
        drop(ws);
        app.stop().await;
    }
}

backend_tests! {
    /// The socket is authenticated once, so it carries subscriptions only: a query or a
    /// mutation sent over it is refused (they go over HTTP, authenticated every time).
    async fn queries_and_mutations_are_refused_over_the_socket(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let mut ws = connect(&app.ws_url()).await;
        let ack = init(&mut ws, &app.admin_token).await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack"))
        );
        for (id, query) in [
            ("q", "{ organization { name } }"),
            (
                "m",
                "mutation { createTeam(input: {name: \"Over the socket\"}) { team { id } } }",
            ),
        ] {
            send(
                &mut ws,
                json!({"id": id, "type": "subscribe", "payload": {"query": query}}),
            )
            .await;
            // The answer to this id (a `complete` for an earlier one may come first).
            let message = loop {
                let message = next(&mut ws, Duration::from_secs(5))
                    .await
                    .and_then(Result::ok)
                    .expect("an answer");
                if message["id"] == id && message["type"] != "complete" {
                    break message;
                }
            };
            let errors = if message["type"] == "error" {
                message["payload"].clone()
            } else {
                message["payload"]["errors"].clone()
            };
            assert_eq!(
                errors[0]["extensions"]["code"], "FORBIDDEN",
                "[{backend:?}] {id} over the socket is refused: {message}"
            );
        }
        close(ws).await;
        let teams = app
            .admin()
            .raw("{ teams { edges { node { name } } } }", json!({}))
            .await
            .expect("teams");
        assert_eq!(
            teams["data"]["teams"]["edges"],
            json!([]),
            "[{backend:?}] nothing was created over the socket"
        );
        app.stop().await;
    }
}

backend_tests! {
    /// `postUpdates` streams the events of the posts asked for (and no others);
    /// `approvalInboxUpdates` signals review changes (not drafts) so portals refetch the inbox.
    async fn post_and_inbox_subscriptions_follow_the_review(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let world = app.content_world().await;
        let draft = |text: &'static str| {
            let world = &world;
            async move {
                expect_data(
                    &world.author.client,
                    docs::DRAFT_POST,
                    json!({"input": {"channelIds": [world.channel], "text": text}}),
                    "draftPost",
                )
                .await["draftPost"]["post"]["id"]
                    .as_str()
                    .expect("post id")
                    .to_owned()
            }
        };
        let watched = draft("Watched post").await;
        let mut ws = connect(&app.ws_url()).await;
        let ack = init(&mut ws, &app.admin_token).await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack"))
        );
        send(
            &mut ws,
            json!({"id": "posts", "type": "subscribe", "payload": {
                "query": "subscription($ids: [ID!]) { postUpdates(postIds: $ids) { eventType aggregateId } }",
                "variables": {"ids": [watched]}}}),
        )
        .await;
        send(
            &mut ws,
            json!({"id": "inbox", "type": "subscribe", "payload": {
                "query": "subscription { approvalInboxUpdates { eventType aggregateId } }"}}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;

        let other = draft("Another post").await;
        expect_data(
            &world.author.client,
            docs::SUBMIT_POST,
            json!({"input": {"postId": watched}}),
            "submitPost",
        )
        .await;

        let mut received: Vec<(String, String, String)> = Vec::new();
        while let Some(Ok(message)) = next(&mut ws, Duration::from_secs(3)).await {
            if message["type"] == "next" {
                let data = &message["payload"]["data"];
                let event = if data["postUpdates"].is_object() {
                    &data["postUpdates"]
                } else {
                    &data["approvalInboxUpdates"]
                };
                received.push((
                    message["id"].as_str().unwrap_or_default().to_owned(),
                    event["eventType"].as_str().unwrap_or_default().to_owned(),
                    event["aggregateId"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
        close(ws).await;
        assert!(
            received.iter().any(|(id, kind, post)| id == "posts"
                && kind == "PostSubmitted"
                && *post == watched),
            "[{backend:?}] the watched post's submission arrives: {received:?}"
        );
        assert!(
            received.iter().any(|(id, kind, post)| id == "inbox"
                && kind == "PostSubmitted"
                && *post == watched),
            "[{backend:?}] the inbox signal arrives: {received:?}"
        );
        assert!(
            received
                .iter()
                .all(|(_, kind, post)| *post != other && kind != "PostDrafted"),
            "[{backend:?}] nothing about the other post, no drafts: {received:?}"
        );
        app.stop().await;
    }
}

backend_tests! {
    /// `recordedAt` is when the append wrote the event, just before its commit: after the
    /// command started (`occurredAt`) and no later than the delivery. Subscribers measure
    /// commit-to-delivery from it.
    async fn events_carry_the_time_they_were_recorded(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let mut ws = connect(&app.ws_url()).await;
        let ack = init(&mut ws, &app.admin_token).await;
        assert_eq!(
            ack.and_then(Result::ok).map(|m| m["type"].clone()),
            Some(json!("connection_ack"))
        );
        let query = "subscription { events(aggregateTypes: [TEAM]) { eventType occurredAt recordedAt } }";
        send(
            &mut ws,
            json!({"id": "r", "type": "subscribe", "payload": {"query": query}}),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;

        let before = chrono::Utc::now();
        app.admin().create_team("Recorded", None).await.expect("team");
        let message = next(&mut ws, Duration::from_secs(10))
            .await
            .and_then(Result::ok)
            .expect("the event");
        let arrived = chrono::Utc::now();
        let event = &message["payload"]["data"]["events"];
        assert_eq!(event["eventType"], "TeamCreated", "{}: {message}", tag("event"));
        let instant = |field: &str| {
            event[field]
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_else(|| panic!("{}: {message}", tag(field)))
        };
        let (occurred, recorded) = (instant("occurredAt"), instant("recordedAt"));
        assert!(occurred >= before, "{}: {occurred} < {before}", tag("occurredAt"));
        assert!(
            recorded > occurred,
            "{}: recordedAt {recorded} is not after occurredAt {occurred}",
            tag("recordedAt")
        );
        // SQLite's clock steps by milliseconds; its default rounds up to the next one.
        assert!(
            recorded <= arrived + chrono::Duration::milliseconds(1),
            "{}: recordedAt {recorded} is after the delivery at {arrived}",
            tag("recordedAt")
        );
        close(ws).await;
        app.stop().await;
    }
}
