//! A minimal graphql-transport-ws client: raw protocol messages, for the tests of the
//! exchange itself (subscriptions, origins, expiring tokens).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// An open socket.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens the socket asking for graphql-transport-ws, with an `Origin` header when given:
/// the socket and the subprotocol the server chose, or the HTTP status of its refusal.
pub async fn open(url: &str, origin: Option<&str>) -> Result<(Ws, Option<String>), u16> {
    let mut request = url.into_client_request().expect("ws request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", HeaderValue::from_str(origin).expect("origin"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, response)) => {
            let protocol = response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Ok((ws, protocol))
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(error) => panic!("ws connect: {error}"),
    }
}

/// Sends one protocol message.
pub async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::text(message.to_string()))
        .await
        .expect("ws send");
}

/// The next protocol message (pings answered), `None` when the connection closed, or
/// `Some(Err(..))` after `wait` without one.
pub async fn next(ws: &mut Ws, wait: Duration) -> Option<Result<Value, ()>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Some(Err(())),
            Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(message))) => message,
        };
        match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(text.as_str()).expect("JSON message");
                if value["type"] == "ping" {
                    send(ws, json!({"type": "pong"})).await;
                    continue;
                }
                return Some(Ok(value));
            }
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// Sends `connection_init` with `token`; the server's answer within `wait` (see [`next`]).
pub async fn connection_init(
    ws: &mut Ws,
    token: &str,
    wait: Duration,
) -> Option<Result<Value, ()>> {
    send(
        ws,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
    )
    .await;
    next(ws, wait).await
}

/// Closes the connection and waits for the server's answer, so that no connection is left
/// open (an open WebSocket holds up the server's graceful stop).
pub async fn close(mut ws: Ws) {
    let _ = ws.close(None).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while ws.next().await.is_some() {}
    })
    .await;
}
