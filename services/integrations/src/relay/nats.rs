//! The NATS JetStream relay: every event of a published kind, as a CloudEvents message on
//! `<prefix>.<organization>.<context>.<event>`, in log order, once.
//!
//! It runs on the process that leads the projections. It reads the log in commit-safe
//! order from its checkpoint (`relay_checkpoints`, destination `nats:<stream>`), publishes
//! a batch with `Nats-Msg-Id` = the event id (JetStream drops a duplicate within the
//! stream's duplicate window), waits for every acknowledgement, then moves the checkpoint.
//! A crash between the acknowledgements and the checkpoint, or an outage longer than the
//! window, would publish again what the stream already holds: so before it publishes,
//! the relay reads the stream's last message and moves its checkpoint past the event that
//! message names. One connection publishes in order, so an organization's events arrive
//! in log order.

use std::sync::Arc;
use std::time::Duration;

use async_nats::header::NATS_MESSAGE_ID;
use async_nats::jetstream::{self, stream};
use async_nats::HeaderMap;
use chorus_api::Runtime;
use chorus_kernel::{LogPosition, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::checkpoint;
use super::cloud_event::{cloud_event, event_id, parse_event_id, subject, RelayedKinds};

/// Events published per batch (one checkpoint write each).
const BATCH: i64 = 256;

/// Where and how the relay publishes (configuration `nats`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatsRelayConfig {
    /// The server, e.g. `nats://127.0.0.1:4222`.
    pub url: String,
    /// The JetStream stream, created if missing.
    pub stream: String,
    /// The first token of every subject (the stream captures `<prefix>.>`).
    pub subject_prefix: String,
    /// How long JetStream remembers a message id to drop a duplicate.
    pub duplicate_window: Duration,
}

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error("NATS: {0}")]
    Nats(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn nats(error: impl std::fmt::Display) -> RelayError {
    RelayError::Nats(error.to_string())
}

/// Runs the relay until `shutdown` changes: while this process leads, connected, from the
/// checkpoint; after a failure (NATS down, the database), again after a pause.
pub fn spawn(
    runtime: Arc<Runtime>,
    config: NatsRelayConfig,
    kinds: RelayedKinds,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut pause = Duration::from_millis(200);
        loop {
            if *shutdown.borrow() {
                break;
            }
            if runtime.projector.is_leader() {
                match relay(&runtime, &config, &kinds, &mut shutdown).await {
                    Ok(()) => pause = Duration::from_millis(200),
                    Err(error) => {
                        tracing::warn!(%error, stream = %config.stream, "NATS relay interrupted; it resumes from its checkpoint");
                        pause = (pause * 2).min(Duration::from_secs(5));
                    }
                }
            }
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => {}
            }
        }
    })
}

/// Relays while this process leads and nothing fails.
async fn relay(
    runtime: &Runtime,
    config: &NatsRelayConfig,
    kinds: &RelayedKinds,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<(), RelayError> {
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .request_timeout(Some(Duration::from_secs(10)))
        .connect(config.url.as_str())
        .await
        .map_err(nats)?;
    let js = jetstream::new(client);
    let mut stream = js
        .get_or_create_stream(stream::Config {
            name: config.stream.clone(),
            subjects: vec![format!("{}.>", config.subject_prefix)],
            duplicate_window: config.duplicate_window,
            ..Default::default()
        })
        .await
        .map_err(nats)?;
    let destination = format!("nats:{}", config.stream);
    let mut position = checkpoint::load(&runtime.db, &destination).await?;
    if let Some(published) = last_published(runtime, &mut stream).await? {
        if published > position {
            tracing::info!(stream = %config.stream, "the stream holds events past the checkpoint; resuming after them");
            position = published;
            checkpoint::save(&runtime.db, &destination, position).await?;
        }
    }
    let mut appended = runtime.store.subscribe_appends();
    loop {
        if *shutdown.borrow() || !runtime.projector.is_leader() {
            return Ok(());
        }
        let batch = runtime.reader.read_after(position, BATCH).await?;
        let Some(last) = batch.last().map(|event| event.position) else {
            // Woken by this process's appends; other processes' show at the next look.
            tokio::select! {
                _ = appended.changed() => {}
                () = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = shutdown.changed() => {}
            }
            continue;
        };
        let mut acks = Vec::with_capacity(batch.len());
        for event in &batch {
            let Some(kind) = kinds.of(event) else {
                continue;
            };
            let mut headers = HeaderMap::new();
            headers.insert(NATS_MESSAGE_ID, event_id(event).as_str());
            headers.insert("Content-Type", "application/cloudevents+json");
            let body = serde_json::to_vec(&cloud_event(kind, event)).map_err(nats)?;
            let ack = js
                .publish_with_headers(
                    subject(&config.subject_prefix, kind, event),
                    headers,
                    body.into(),
                )
                .await
                .map_err(nats)?;
            acks.push(ack);
        }
        for ack in acks {
            ack.await.map_err(nats)?;
        }
        position = last;
        checkpoint::save(&runtime.db, &destination, position).await?;
    }
}

/// The log position of the event the stream's last message carries, if any.
async fn last_published(
    runtime: &Runtime,
    stream: &mut stream::Stream,
) -> Result<Option<LogPosition>, RelayError> {
    let last = stream.info().await.map_err(nats)?.state.last_sequence;
    if last == 0 {
        return Ok(None);
    }
    let message = match stream.get_raw_message(last).await {
        Ok(message) => message,
        // Deleted or purged by the stream's limits: nothing to learn from it.
        Err(error) => {
            tracing::warn!(%error, "the stream's last message could not be read");
            return Ok(None);
        }
    };
    let Some(id) = message.headers.get(NATS_MESSAGE_ID) else {
        return Ok(None);
    };
    let Some((aggregate_type, aggregate_id, sequence)) = parse_event_id(id.as_str()) else {
        return Ok(None);
    };
    Ok(runtime
        .reader
        .position_of_event(aggregate_type, aggregate_id, sequence)
        .await?)
}
