//! Application state shared by every request: the store, the projector, the live event
//! feed and the authenticator; plus the background tasks that keep them moving.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chorus_api::{Module, PageLimits, Runtime};
use chorus_kernel::{
    on_read, on_write, Db, DbOptions, EventStore, LogPosition, LogReader, Projector, RecordedEvent,
    StoreError, Upcasters,
};
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::auth::{AuthConfigError, Authenticator};
use crate::config::{Config, Secret};
use crate::error::ApiResult;

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Auth(#[from] AuthConfigError),
    /// The stored key that seals log positions is damaged.
    #[error("local_secrets.position_key: {0}")]
    PositionKey(#[from] crate::positions::BadPositionKey),
    #[error("listen address {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

pub struct AppState {
    pub config: Config,
    /// What every context runs against (database, store, log, projector, positions); the
    /// state dereferences to it.
    pub runtime: Arc<Runtime>,
    /// The contexts this build runs ([`crate::modules`]).
    pub modules: Vec<Arc<dyn Module>>,
    /// Every committed event, for subscriptions (fed by a log tailer, in commit order).
    pub feed: broadcast::Sender<Arc<RecordedEvent>>,
    pub auth: Authenticator,
    shutdown: watch::Sender<bool>,
    tasks: std::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The upcasters this build registers: where old payload versions are rewritten to the
/// current shape, and where a fix for an event a projection could not read ships.
pub fn upcasters() -> Upcasters {
    Upcasters::default()
}

impl std::ops::Deref for AppState {
    type Target = Runtime;

    fn deref(&self) -> &Runtime {
        &self.runtime
    }
}

/// The projections this build runs, in order: every context's.
pub fn projections(modules: &[Arc<dyn Module>]) -> Vec<Arc<dyn chorus_kernel::Projection>> {
    let mut projections: Vec<Arc<dyn chorus_kernel::Projection>> =
        modules.iter().flat_map(|m| m.projections()).collect();
    // Kept answers may read any context's read models: every event drops its organization's.
    projections.push(Arc::new(chorus_api::responses::Invalidation));
    projections
}

impl AppState {
    /// Connects, migrates and prepares everything, without starting background tasks.
    pub async fn open(config: Config) -> Result<Arc<Self>, StartError> {
        Self::open_with(config, upcasters()).await
    }

    /// [`AppState::open`] with other upcasters than this build's (tests: the fix of a
    /// poison event ships as an upcaster).
    pub async fn open_with(config: Config, upcasters: Upcasters) -> Result<Arc<Self>, StartError> {
        let options = DbOptions {
            max_connections: config.max_connections,
            sqlite_synchronous: config.sqlite_synchronous.into(),
            ..DbOptions::default()
        };
        let db = Db::connect(
            &config.database_url,
            &options,
            &chorus_kernel::db::migrations(),
        )
        .await?;
        let candidate = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let hs256 = local_secret(&db, "hs256", &candidate).await?;
        let auth = Authenticator::new(&config.auth, &hs256)?;
        let position_key = local_secret(
            &db,
            "position_key",
            &crate::positions::PositionSealer::generate_key(),
        )
        .await?;
        let positions = crate::positions::PositionSealer::from_hex(position_key.expose())?;
        auth.refresh_jwks().await?;
        let store = EventStore::new(db.clone(), upcasters.clone());
        let reader = LogReader::new(db.clone(), upcasters);
        let modules = crate::modules::modules(&config);
        let projector = Projector::new(db.clone(), reader.clone(), projections(&modules)).await?;
        let (feed, _) = broadcast::channel(config.feed_capacity.max(1));
        let (shutdown, _) = watch::channel(false);
        let runtime = Arc::new(Runtime {
            db,
            store,
            reader,
            projector,
            positions,
            pages: PageLimits {
                default_page_size: config.limits.default_page_size,
                max_page_size: config.limits.max_page_size,
                max_node_ids: config.limits.max_node_ids,
            },
            consistency_timeout: Duration::from_millis(config.consistency_timeout_ms),
            projecting: AtomicBool::new(false),
        });
        Ok(Arc::new(Self {
            config,
            runtime,
            modules,
            feed,
            auth,
            shutdown,
            tasks: std::sync::Mutex::new(Vec::new()),
        }))
    }

    /// Starts the projector, the live feed and (on PostgreSQL) the cross-process wake-up.
    pub async fn start_background(self: &Arc<Self>) -> Result<(), StartError> {
        let poll = Duration::from_millis(250);
        self.runtime.projecting.store(true, Ordering::Release);
        let mut tasks = vec![self.projector.spawn(
            self.store.subscribe_appends(),
            self.shutdown.subscribe(),
            poll,
        )];
        tasks.push(self.spawn_feed(poll).await?);
        for module in &self.modules {
            tasks.extend(module.spawn_background(self.runtime.clone(), self.shutdown.subscribe()));
        }
        tasks.extend(self.auth.spawn_jwks_refresher(
            Duration::from_secs(self.config.auth.jwks_refresh_seconds.max(10)),
            Duration::from_secs(10),
            self.shutdown.subscribe(),
        ));
        tasks.extend(
            self.store
                .spawn_append_listener(self.shutdown.subscribe())
                .await?,
        );
        if let Ok(mut guard) = self.tasks.lock() {
            guard.extend(tasks);
        }
        Ok(())
    }

    async fn spawn_feed(self: &Arc<Self>, poll: Duration) -> Result<JoinHandle<()>, StartError> {
        let mut position = self.reader.head().await?;
        let reader = self.reader.clone();
        let feed = self.feed.clone();
        let mut wake = self.store.subscribe_appends();
        let mut shutdown = self.shutdown.subscribe();
        Ok(tokio::spawn(async move {
            loop {
                match reader.read_after(position, 500).await {
                    Ok(events) if !events.is_empty() => {
                        for event in events {
                            position = event.position;
                            // No subscriber is not an error: the log keeps everything.
                            let _ = feed.send(Arc::new(event));
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "event feed read failed; retrying"),
                }
                tokio::select! {
                    _ = wake.changed() => {}
                    _ = tokio::time::sleep(poll) => {}
                    _ = shutdown.changed() => break,
                }
            }
        }))
    }

    /// Waits until the read models include `position`.
    /// The compliance export's history: every context's branches, in module order.
    pub fn compliance_history(&self) -> Vec<&'static str> {
        self.modules
            .iter()
            .flat_map(|module| module.compliance_history())
            .collect()
    }

    pub async fn wait_for(&self, position: LogPosition) -> ApiResult<()> {
        self.runtime.wait_for(position).await
    }

    /// Stops background tasks and closes the pools.
    pub async fn shutdown(&self) {
        self.shutdown.send_replace(true);
        let tasks: Vec<JoinHandle<()>> = self
            .tasks
            .lock()
            .map(|mut t| t.drain(..).collect())
            .unwrap_or_default();
        for task in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        self.db.close().await;
    }
}

/// A secret generated once (`candidate`, from the OS RNG) and kept in the database, so
/// every `chorus` process on it shares it: the local HS256 key (`hs256`), the key that
/// seals log positions (`position_key`).
async fn local_secret(db: &Db, name: &str, candidate: &str) -> Result<Secret, StoreError> {
    on_write!(db, pool => {
        sqlx::query("INSERT INTO local_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .execute(pool)
            .await?;
    });
    let value: String = on_read!(db, pool => {
        sqlx::query_scalar("SELECT value FROM local_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await?
    });
    Ok(Secret::new(value))
}
