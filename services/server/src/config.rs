//! Configuration: built-in defaults, then a TOML file (`chorus.toml` in the working
//! directory, or the path in `CHORUS_CONFIG`), then environment variables
//! (`CHORUS_LISTEN`, `CHORUS_AUTH__HS256_SECRET`, …, and `DATABASE_URL`).

use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// A secret string: never printed by `Debug`, so configs can be logged.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the server runs; production turns off GraphiQL and field suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// Expected `iss` claim.
    pub issuer: String,
    /// Expected `aud` claim.
    pub audience: String,
    /// Accepted algorithms (allow-list): HS256, RS256, ES256.
    pub algorithms: Vec<String>,
    /// HS256 secret; when unset, a local secret is generated once and kept in the database.
    pub hs256_secret: Option<Secret>,
    /// A JWKS file of an identity provider (RS256/ES256 keys looked up by `kid`).
    pub jwks_file: Option<PathBuf>,
    /// The identity provider's JWKS URL; fetched at start and refreshed.
    pub jwks_url: Option<String>,
    /// How often keys from `jwks_url` are fetched again.
    pub jwks_refresh_seconds: u64,
    /// Lifetime of tokens issued by `chorus init` / `chorus token`.
    pub token_ttl_seconds: i64,
    /// Clock skew tolerated on `exp`/`nbf`.
    pub leeway_seconds: u64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            issuer: "chorus-local".into(),
            audience: "chorus".into(),
            algorithms: vec!["HS256".into()],
            hs256_secret: None,
            jwks_file: None,
            jwks_url: None,
            jwks_refresh_seconds: 300,
            token_ttl_seconds: 12 * 3600,
            leeway_seconds: 30,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitsConfig {
    pub max_depth: usize,
    /// Complexity of one HTTP request, over all its operations (and so of each).
    pub max_complexity: usize,
    pub max_page_size: i32,
    pub default_page_size: i32,
    /// Operations in one batched HTTP request.
    pub max_batch: usize,
    /// Ids in one `nodes(ids:)` call.
    pub max_node_ids: usize,
    /// Aliases in one HTTP request, over all its operations.
    pub max_aliases: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            // The standard introspection query (GraphiQL, codegen) nests 13 deep.
            max_depth: 16,
            max_complexity: 5000,
            max_page_size: 100,
            default_page_size: 20,
            max_batch: 10,
            max_node_ids: 100,
            max_aliases: 30,
        }
    }
}

/// SQLite's `synchronous` setting, as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    Full,
    Normal,
}

impl From<SqliteSynchronous> for chorus_kernel::SqliteDurability {
    fn from(value: SqliteSynchronous) -> Self {
        match value {
            SqliteSynchronous::Full => chorus_kernel::SqliteDurability::Full,
            SqliteSynchronous::Normal => chorus_kernel::SqliteDurability::Normal,
        }
    }
}

/// Which browser origins may use the API (besides the server's own).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CorsConfig {
    /// Origins such as `https://portal.example.com` (scheme, host and port, exactly) whose
    /// pages may open the subscription socket. Env `CHORUS_CORS__ALLOWED_ORIGINS` as a
    /// JSON list. None by default.
    pub allowed_origins: Vec<String>,
}

/// The cases context's settings (`[cases]`, env `CHORUS_CASES__…`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(default)]
pub struct CasesConfig {
    /// How long after its resolution a contact's message reopens a case; after it, the
    /// message opens a new case that follows the old one. Default 7 days.
    pub reopen_window_minutes: u32,
    /// How often the SLA timer looks for warnings and breaches due.
    pub sla_timer_seconds: u64,
}

impl Default for CasesConfig {
    fn default() -> Self {
        Self {
            reopen_window_minutes: chorus_cases::CaseSettings::default().reopen_window_minutes,
            sla_timer_seconds: 15,
        }
    }
}

/// The NATS JetStream relay (`[nats]`, env `CHORUS_NATS__…`): off unless `url` is set.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct NatsConfig {
    /// The server, e.g. `nats://127.0.0.1:4222` (empty: nothing is published and nothing
    /// waits for NATS).
    pub url: String,
    /// The JetStream stream the relay publishes to, created if missing.
    pub stream: String,
    /// The first token of every subject: `<prefix>.<organization>.<context>.<event>`.
    pub subject_prefix: String,
    /// How long JetStream drops a repeated message id (set on the stream it creates).
    pub duplicate_window_seconds: u64,
}

impl Default for NatsConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            stream: "CHORUS".into(),
            subject_prefix: "chorus".into(),
            duplicate_window_seconds: 120,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://chorus.db` (default) or `postgres://…`.
    pub database_url: String,
    pub max_connections: u32,
    /// SQLite durability: `full` (default: every acknowledged command is on disk) or
    /// `normal` (faster; the last commits before a power loss or OS crash can be lost).
    pub sqlite_synchronous: SqliteSynchronous,
    pub listen: String,
    pub environment: Environment,
    /// Serve GraphiQL at GET /graphql; defaults to on in development.
    pub graphiql: Option<bool>,
    /// How long a mutation waits for the read models to include its events.
    pub consistency_timeout_ms: u64,
    /// How often overdue posts (scheduled time passed without approval) are expired.
    pub expiry_sweep_seconds: u64,
    /// The cases context's settings.
    pub cases: CasesConfig,
    /// The NATS JetStream relay.
    pub nats: NatsConfig,
    /// Events the live feed holds for a slow subscriber; one that falls further behind is
    /// replayed from the log (slower, but nothing is lost).
    pub feed_capacity: usize,
    pub auth: AuthConfig,
    pub limits: LimitsConfig,
    pub cors: CorsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://chorus.db".into(),
            max_connections: 16,
            sqlite_synchronous: SqliteSynchronous::Full,
            listen: "127.0.0.1:8080".into(),
            environment: Environment::Development,
            graphiql: None,
            consistency_timeout_ms: 5000,
            expiry_sweep_seconds: 30,
            cases: CasesConfig::default(),
            nats: NatsConfig::default(),
            feed_capacity: 4096,
            auth: AuthConfig::default(),
            limits: LimitsConfig::default(),
            cors: CorsConfig::default(),
        }
    }
}

impl Config {
    /// Defaults, then the config file, then the environment.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = std::env::var("CHORUS_CONFIG").unwrap_or_else(|_| "chorus.toml".into());
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("CHORUS_").split("__").ignore(&["config"]))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .extract()
            .map_err(Box::new)
    }

    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql
            .unwrap_or(self.environment == Environment::Development)
    }
}
