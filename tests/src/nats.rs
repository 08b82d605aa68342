//! NATS for the relay tests: the machine's server (`CHORUS_TEST_NATS_URL`, default
//! `nats://127.0.0.1:4222`) with a stream and subject prefix of the test's own, or a
//! `nats-server` of the test's own that it can kill and start again; and what a stream
//! holds, read message by message.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use async_nats::jetstream;
use serde_json::Value;
use uuid::Uuid;

use super::{Pool, TestApp};

/// The machine's NATS server.
pub fn machine_url() -> String {
    std::env::var("CHORUS_TEST_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A stream name and subject prefix no other test uses.
pub fn fresh_stream() -> (String, String) {
    let id = uuid::Uuid::now_v7().simple().to_string();
    (format!("CHORUS_TEST_{id}"), format!("t{id}"))
}

/// One message a stream holds.
#[derive(Debug, Clone)]
pub struct Published {
    pub subject: String,
    pub message_id: String,
    pub event: Value,
}

/// Every message `stream` at `url` holds, in stream order.
pub async fn messages(url: &str, stream: &str) -> Vec<Published> {
    let client = async_nats::connect(url)
        .await
        .unwrap_or_else(|e| panic!("NATS at {url} is unreachable ({e}): start it (see .ci/run)"));
    let js = jetstream::new(client);
    let mut stream = js.get_stream(stream).await.expect("the relay's stream");
    let last = stream
        .info()
        .await
        .expect("stream info")
        .state
        .last_sequence;
    let mut messages = Vec::new();
    for sequence in 1..=last {
        let message = stream.get_raw_message(sequence).await.expect("message");
        messages.push(Published {
            subject: message.subject.to_string(),
            message_id: message
                .headers
                .get(async_nats::header::NATS_MESSAGE_ID)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            event: serde_json::from_slice(&message.payload).expect("a JSON body"),
        });
    }
    messages
}

/// Waits until `stream` holds `count` messages (or `wait` passes); what it holds then.
pub async fn await_messages(
    url: &str,
    stream: &str,
    count: usize,
    wait: Duration,
) -> Vec<Published> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let held = match async_nats::connect(url).await {
            Ok(client) => match jetstream::new(client).get_stream(stream).await {
                Ok(mut s) => s.info().await.map(|i| i.state.messages).unwrap_or(0),
                Err(_) => 0,
            },
            Err(_) => 0,
        };
        if usize::try_from(held).unwrap_or(0) >= count || tokio::time::Instant::now() > deadline {
            return messages(url, stream).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Deletes `stream` (the end of a test on the machine's server).
pub async fn delete_stream(url: &str, stream: &str) {
    if let Ok(client) = async_nats::connect(url).await {
        let _ = jetstream::new(client).delete_stream(stream).await;
    }
}

/// A `nats-server` with JetStream of the test's own, on a free port, storing in a
/// directory of its own (kept across restarts, removed on drop).
pub struct NatsServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl NatsServer {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let dir = std::env::temp_dir().join(format!("chorus-nats-{}", uuid::Uuid::now_v7()));
        let mut server = Self {
            child: None,
            port,
            dir,
        };
        server.run();
        server
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn run(&mut self) {
        let binary = std::env::var("CHORUS_TEST_NATS_SERVER")
            .unwrap_or_else(|_| "/usr/sbin/nats-server".into());
        let child = Command::new(&binary)
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{binary} could not start ({e}): install nats-server (see .ci/run)")
            });
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nats-server did not listen on {}", self.port);
    }

    /// Kills the server (SIGKILL, as a crash would).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the killed server again, on the same port and store.
    pub fn restart(&mut self) {
        self.kill();
        self.run();
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl TestApp {
    /// The log's events as `(organization, aggregate type, aggregate id, sequence)`, in
    /// log order (read straight from the database).
    pub async fn logged_events(&self) -> Vec<(Uuid, String, String, i64)> {
        let sql = "SELECT organization_id, aggregate_type, aggregate_id, sequence FROM events \
                   ORDER BY global_position";
        match self.pool().await {
            Pool::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
            Pool::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        }
        .expect("read events")
    }
}
