//! The fault suite's view of the graphql-transport-ws client ([`chorus_tests::ws`]): a
//! refusal is an HTTP status, a silence is no message, and `init` must be acknowledged.

use std::time::Duration;

pub use chorus_tests::ws::{close, send, Ws};
use serde_json::{json, Value};

/// Opens the socket, with an `Origin` header when given; the HTTP status on refusal.
pub async fn connect(url: &str, origin: Option<&str>) -> Result<Ws, u16> {
    chorus_tests::ws::open(url, origin).await.map(|(ws, _)| ws)
}

/// The next protocol message (pings answered); `None` when the socket closed or `wait`
/// passed.
pub async fn next(ws: &mut Ws, wait: Duration) -> Option<Value> {
    chorus_tests::ws::next(ws, wait).await.and_then(Result::ok)
}

/// `connection_init` with `token`, expecting `connection_ack`.
pub async fn init(ws: &mut Ws, token: &str) {
    let ack = chorus_tests::ws::connection_init(ws, token, Duration::from_secs(10))
        .await
        .and_then(Result::ok);
    assert_eq!(
        ack.as_ref().map(|m| m["type"].clone()),
        Some(json!("connection_ack")),
        "{ack:?}"
    );
}

/// A socket of `token` (acknowledged) subscribed to `subscription` as id "1", after a
/// moment for the server to register it (a subscription has no acknowledgement).
pub async fn subscribed(url: &str, token: &str, subscription: &str) -> Ws {
    let mut socket = connect(url, None).await.expect("socket");
    init(&mut socket, token).await;
    let payload = json!({ "query": subscription });
    send(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": payload}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    socket
}
