//! Load from this process over loopback: closed request loops with a fixed number of
//! requests per client (bounded, so a slow server makes the run longer, never lighter),
//! and a graphql-transport-ws subscriber that times deliveries.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::{oneshot, Mutex};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use crate::BenchError;

/// Latency distribution and rate of one measured loop.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub clients: usize,
    pub requests: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Stats {
    pub fn from_latencies(clients: usize, mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        let seconds = elapsed.as_secs_f64();
        Self {
            clients,
            requests: latencies.len(),
            seconds,
            per_second: latencies.len() as f64 / seconds.max(f64::EPSILON),
            p50_ms: percentile(&latencies, 0.50),
            p99_ms: percentile(&latencies, 0.99),
            max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        }
    }
}

/// Nearest-rank percentile in milliseconds.
pub fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1e3
}

/// Runs `clients` loops of `per_client` calls of `call(client, index)` and times each.
/// The first error stops the run: a benchmark of failing requests measures nothing.
pub async fn closed_loop<F, Fut>(
    clients: usize,
    per_client: usize,
    call: F,
) -> Result<Stats, BenchError>
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), BenchError>> + Send,
{
    let call = Arc::new(call);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            for index in 0..per_client {
                let t = Instant::now();
                call(client, index).await?;
                latencies.push(t.elapsed());
            }
            Ok::<_, BenchError>(latencies)
        }));
    }
    let mut all = Vec::with_capacity(clients * per_client);
    for task in tasks {
        all.extend(
            task.await
                .map_err(|e| BenchError::Load(format!("load task: {e}")))??,
        );
    }
    Ok(Stats::from_latencies(clients, all, started.elapsed()))
}

/// A read scenario: one GraphQL read with `variables` at 32 connections, `warmup` untimed
/// calls a client, then `read` timed ones (of `loops`). `check` judges every answer's
/// `data`; its error stops the run.
pub async fn read_loop(
    api: &Api,
    query: &'static str,
    variables: Value,
    loops: &crate::scenarios::Loops,
    check: fn(&Value) -> Result<(), BenchError>,
) -> Result<Stats, BenchError> {
    let api = api.clone();
    let call = move |_, _| {
        let api = api.clone();
        let variables = variables.clone();
        async move { check(&api.graphql(query, variables).await?) }
    };
    closed_loop(32, loops.warmup, call.clone()).await?;
    closed_loop(32, loops.read, call).await
}

/// A GraphQL-over-HTTP client for one server and token.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    bearer: String,
}

impl Api {
    pub fn new(base: &str, token: &str) -> Result<Self, BenchError> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            base: base.to_owned(),
            bearer: format!("Bearer {token}"),
        })
    }

    /// Runs a query or mutation; an `errors` member is a failure.
    pub async fn graphql(&self, query: &str, variables: Value) -> Result<Value, BenchError> {
        match self.answer(query, variables).await? {
            Ok(data) => Ok(data),
            Err(body) => Err(BenchError::Load(format!("GraphQL: {body}"))),
        }
    }

    /// Runs a query or mutation: its `data`, or the whole answer when it has `errors`
    /// (for scenarios that count refusals by their `extensions.code`).
    pub async fn answer(
        &self,
        query: &str,
        variables: Value,
    ) -> Result<Result<Value, Value>, BenchError> {
        let response = self
            .http
            .post(format!("{}/graphql", self.base))
            .header("authorization", &self.bearer)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await?;
        let status = response.status();
        let mut body: Value = response.json().await?;
        if !status.is_success() || body.get("errors").is_some() {
            body["status"] = json!(status.as_u16());
            return Ok(Err(body));
        }
        Ok(Ok(body["data"].take()))
    }

    /// GET on a plain endpoint (the HTTP floor).
    pub async fn get(&self, path: &str) -> Result<(), BenchError> {
        let response = self.http.get(format!("{}{path}", self.base)).send().await?;
        if !response.status().is_success() {
            return Err(BenchError::Load(format!(
                "GET {path}: {}",
                response.status()
            )));
        }
        response.bytes().await?;
        Ok(())
    }
}

/// One event a subscriber received: when it occurred (the command started), and how long
/// after it was recorded (its append, just before the commit) it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub occurred: DateTime<Utc>,
    pub latency: Duration,
}

/// Commit-to-delivery latencies of the events a subscriber received.
pub struct Subscriber {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<Vec<Delivery>, BenchError>>,
    /// Deliveries so far.
    received: Arc<std::sync::atomic::AtomicUsize>,
}

/// Subscribes to `events(aggregateTypes: [PERSON])` and records, for each event stamped
/// after `since`, how long after its `recordedAt` it arrived: `recordedAt` is when the
/// append statement wrote it, just before the commit, so this is commit to delivery
/// (`occurredAt`, stamped when the command starts, would add the command's own handling).
pub async fn subscribe(
    ws_url: &str,
    token: &str,
    since: DateTime<Utc>,
) -> Result<Subscriber, BenchError> {
    let mut request = ws_url
        .into_client_request()
        .map_err(|e| BenchError::Load(format!("websocket request: {e}")))?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| BenchError::Load(format!("websocket connect: {e}")))?;
    let (mut write, mut read) = ws.split();
    let send = |value: Value| Message::text(value.to_string());
    write
        .send(send(json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}})))
        .await
        .map_err(|e| BenchError::Load(format!("websocket init: {e}")))?;
    match tokio::time::timeout(Duration::from_secs(10), read.next()).await {
        Ok(Some(Ok(Message::Text(text)))) if text.as_str().contains("connection_ack") => {}
        other => {
            return Err(BenchError::Load(format!(
                "websocket: no connection_ack ({other:?})"
            )))
        }
    }
    write
        .send(send(json!({
            "id": "bench",
            "type": "subscribe",
            "payload": {"query": "subscription { events(aggregateTypes: [PERSON]) { occurredAt recordedAt eventType } }"}
        })))
        .await
        .map_err(|e| BenchError::Load(format!("websocket subscribe: {e}")))?;
    let write = Arc::new(Mutex::new(write));
    let (stop, mut stopped) = oneshot::channel();
    let received = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = received.clone();
    let task = tokio::spawn(async move {
        let mut latencies = Vec::new();
        // The server pings at the WebSocket level and closes a socket that has sent no
        // ping or pong for 10 s; tungstenite queues the pongs and sends them on the
        // writer's next flush, which a listen-only client must do itself. The client pings
        // too, so a slow run (a debug build under load) keeps its heartbeat.
        let mut flush = tokio::time::interval(Duration::from_secs(1));
        loop {
            let message = tokio::select! {
                _ = &mut stopped => break,
                _ = flush.tick() => {
                    write
                        .lock()
                        .await
                        .send(Message::Ping(Default::default()))
                        .await
                        .map_err(|e| BenchError::Load(format!("websocket ping: {e}")))?;
                    continue;
                }
                message = read.next() => message,
            };
            let message = match message {
                Some(Ok(message)) => message,
                Some(Err(e)) => return Err(BenchError::Load(format!("subscription: {e}"))),
                None => return Err(BenchError::Load("subscription closed early".into())),
            };
            let Message::Text(text) = message else {
                continue;
            };
            let arrived = Utc::now();
            let value: Value = serde_json::from_str(text.as_str())?;
            match value["type"].as_str() {
                Some("ping") => {
                    write
                        .lock()
                        .await
                        .send(Message::text(json!({"type": "pong"}).to_string()))
                        .await
                        .map_err(|e| BenchError::Load(format!("websocket pong: {e}")))?;
                }
                Some("next") => {
                    let instant = |field: &str| {
                        value["payload"]["data"]["events"][field]
                            .as_str()
                            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                            .map(|t| t.with_timezone(&Utc))
                            .ok_or_else(|| BenchError::Load(format!("subscription event: {value}")))
                    };
                    let (occurred, recorded) = (instant("occurredAt")?, instant("recordedAt")?);
                    if occurred >= since {
                        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        latencies.push(Delivery {
                            occurred,
                            latency: (arrived - recorded).to_std().unwrap_or_default(),
                        });
                    }
                }
                Some("error") | Some("complete") => {
                    return Err(BenchError::Load(format!("subscription ended: {value}")));
                }
                _ => {}
            }
        }
        let _ = write.lock().await.close().await;
        Ok(latencies)
    });
    // The subscription has no acknowledgement: give the server a moment to register it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(Subscriber {
        stop,
        task,
        received,
    })
}

impl Subscriber {
    /// Stops the subscriber once it has `expected` deliveries, or after 10 s (the caller
    /// then reports the events that never came).
    pub async fn finish(self, expected: usize) -> Result<Vec<Delivery>, BenchError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.received.load(std::sync::atomic::Ordering::SeqCst) < expected
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.stop.send(());
        self.task
            .await
            .map_err(|e| BenchError::Load(format!("subscriber task: {e}")))?
    }
}
