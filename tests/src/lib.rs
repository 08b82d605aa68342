//! Black-box test harness: every test starts a real Chorus server on a fresh database,
//! bootstraps an organization, and talks to it only over HTTP and WebSocket. Tests are
//! written once with [`backend_tests!`] and run as `<test>::sqlite` and `<test>::postgres`
//! (ignored unless run with `--include-ignored` and `CHORUS_TEST_DATABASE_URL` set; see
//! [`chorus_kernel::testing`]).
//!
//! ```no_run
//! use chorus_tests::{backend_tests, spawn_app, TestBackend};
//!
//! backend_tests! {
//!     async fn admins_can_do_things(backend: TestBackend) {
//!         let app = spawn_app(backend).await;
//!         let admin = app.admin();
//!         // … requests through `admin` …
//!         app.stop().await;
//!     }
//! }
//! # fn main() {}
//! ```

// A test harness: a failing set-up should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use chorus_client::{add_person, assign_role, register_channel, ChorusClient, ClientError};
use chorus_kernel::testing::TestDatabase;
use chorus_kernel::Actor;
use chorus_server::config::{AuthConfig, Secret};
use chorus_server::{Config, RunningServer};
use uuid::Uuid;

pub use chorus_client as client;
pub use chorus_kernel::backend_tests;
pub use chorus_kernel::testing::{backends, TestBackend};

/// The HS256 secret the test servers use, so tests can also mint tokens the server did
/// not issue (expired ones).
pub const TEST_SECRET: &str = "chorus-black-box-tests-secret-0123456789";

/// A running server on its own database, with one bootstrapped organization.
pub struct TestApp {
    server: Option<RunningServer>,
    pub db: TestDatabase,
    pub backend: TestBackend,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    pub organization_id: Uuid,
    pub admin_id: Uuid,
    pub admin_token: String,
    pool: tokio::sync::OnceCell<Pool>,
}

/// An organization bootstrapped in the same server as the app's own.
#[derive(Debug, Clone)]
pub struct OtherOrg {
    pub organization_id: Uuid,
    pub admin_id: Uuid,
    pub token: String,
    pub client: ChorusClient,
}

enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Starts a server on a fresh database of `backend` and creates organization "Acme"
/// with its founding admin.
pub async fn spawn_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// [`spawn_app`] with the test configuration changed by `configure` first.
pub async fn spawn_app_with(backend: TestBackend, configure: impl FnOnce(&mut Config)) -> TestApp {
    log_if_asked();
    let db = TestDatabase::create(backend).await;
    let mut config = test_config(&db);
    configure(&mut config);
    let server = chorus_server::start(config, false)
        .await
        .unwrap_or_else(|e| panic!("[{backend:?}] the server did not start: {e}"));
    let issued = chorus_server::cli::init(
        &server.state,
        "Acme",
        "admin@acme.example",
        Some("Ada Admin"),
    )
    .await
    .unwrap_or_else(|e| panic!("[{backend:?}] init failed: {e}"));
    let app = TestApp {
        address: server.url(),
        server: Some(server),
        db,
        backend,
        organization_id: issued.organization_id,
        admin_id: issued
            .person_id
            .expect("init returns the admin's person id"),
        admin_token: issued.token,
        pool: tokio::sync::OnceCell::new(),
    };
    app.await_token(&app.admin_token).await;
    app
}

/// The process's tracing subscriber, installed once: with `CHORUS_TEST_LOG` set (an
/// `EnvFilter` such as `warn` or `chorus_api=debug`), the test servers' logs go to the
/// test's output (internal errors are logged there, never sent to clients); and the
/// statement recorder of [`statements`], which records only while a test asks it to.
fn log_if_asked() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let logs = std::env::var("CHORUS_TEST_LOG").ok().map(|filter| {
        tracing_subscriber::fmt::layer()
            .with_test_writer()
            .with_filter(tracing_subscriber::EnvFilter::new(filter))
    });
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(statements::layer())
        .try_init();
}

/// The configuration of every test server on `db`.
pub fn test_config(db: &TestDatabase) -> Config {
    Config {
        database_url: db.url().into(),
        listen: "127.0.0.1:0".into(),
        max_connections: 8,
        auth: AuthConfig {
            hs256_secret: Some(Secret::new(TEST_SECRET)),
            ..AuthConfig::default()
        },
        ..Config::default()
    }
}

impl TestApp {
    fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server runs until stop()")
    }

    /// The running server's state (its store, projector, …), for tests that must reach
    /// below the API: appending an event no command would, retrying a quarantine.
    pub fn state(&self) -> &std::sync::Arc<chorus_server::state::AppState> {
        &self.server().state
    }

    /// Stops the server and starts a new build of it on the same database, with
    /// `upcasters` (a fix shipped as an upcaster). Clients must use the new address.
    pub async fn restart_with(&mut self, upcasters: chorus_kernel::Upcasters) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
        let server = chorus_server::start_with(test_config(&self.db), false, upcasters)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] the server did not restart: {e}", self.backend));
        self.address = server.url();
        self.server = Some(server);
    }

    /// Stops the server (as a crash would leave the database) and starts it again on the
    /// same database with the test configuration changed by `configure`.
    pub async fn restart_configured(&mut self, configure: impl FnOnce(&mut Config)) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
        let mut config = test_config(&self.db);
        configure(&mut config);
        let server = chorus_server::start(config, false)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] the server did not restart: {e}", self.backend));
        self.address = server.url();
        self.server = Some(server);
    }

    /// `ws://127.0.0.1:PORT/graphql/ws`.
    pub fn ws_url(&self) -> String {
        format!(
            "{}/graphql/ws",
            self.address.replacen("http://", "ws://", 1)
        )
    }

    /// A client with `token` (or none).
    pub fn client(&self, token: Option<&str>) -> ChorusClient {
        ChorusClient::new(self.address.clone(), token.map(str::to_owned))
    }

    /// A client with the founding admin's token.
    pub fn admin(&self) -> ChorusClient {
        self.client(Some(&self.admin_token))
    }

    /// A token for a person of the app's organization (no rights beyond their roles).
    pub fn token_for_person(&self, person_id: Uuid) -> String {
        self.server()
            .state
            .auth
            .issue(self.organization_id, Actor::person(person_id), &[])
            .expect("issue a person token")
    }

    /// A registered service-account token of the app's organization with `scopes`, as
    /// `chorus token --organization` issues it.
    pub async fn token_for_service(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        chorus_server::cli::token_for_service(
            &self.server().state,
            self.organization_id,
            &scopes,
            None,
            Some("black-box tests"),
        )
        .await
        .expect("issue a service-account token")
        .token
    }

    /// A token signed with the server's key for any organization and actor (forgery
    /// scenarios: a real person under another organization's id, …).
    pub fn token_for(&self, organization_id: Uuid, actor: Actor, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        self.server()
            .state
            .auth
            .issue(organization_id, actor, &scopes)
            .expect("issue a token")
    }

    /// A correctly signed token of the admin that expired an hour ago.
    pub fn expired_token(&self) -> String {
        let config = AuthConfig {
            hs256_secret: Some(Secret::new(TEST_SECRET)),
            token_ttl_seconds: -3600,
            ..AuthConfig::default()
        };
        chorus_server::auth::Authenticator::new(&config, &Secret::new(TEST_SECRET))
            .expect("authenticator")
            .issue(self.organization_id, Actor::person(self.admin_id), &[])
            .expect("issue an expired token")
    }

    /// Bootstraps another organization in the same server, ready to use.
    pub async fn second_org(&self, name: &str, admin_email: &str) -> OtherOrg {
        let org = self.init_org(name, admin_email).await;
        self.await_token(&org.token).await;
        org
    }

    /// `chorus init` for another organization, exactly as the CLI does it (no waiting).
    pub async fn init_org(&self, name: &str, admin_email: &str) -> OtherOrg {
        let issued =
            chorus_server::cli::init(&self.server().state, name, admin_email, Some("Other Admin"))
                .await
                .expect("init a second organization");
        OtherOrg {
            organization_id: issued.organization_id,
            admin_id: issued.person_id.expect("admin id"),
            client: self.client(Some(&issued.token)),
            token: issued.token,
        }
    }

    /// Waits (up to 10 s) until `token` is accepted.
    ///
    /// `cli::init` promises that a token's first request sees the new organization, but
    /// on PostgreSQL it can return before the read models include its events (see the
    /// test `a_token_from_init_works_at_once`); the harness waits so that other tests
    /// do not depend on that.
    pub async fn await_token(&self, token: &str) {
        let client = self.client(Some(token));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match client
                .run::<chorus_client::Viewer>(chorus_client::viewer::Variables)
                .await
            {
                Ok(_) => return,
                // Only the "not projected yet" refusal is worth waiting for.
                Err(error) if error.code() != Some("UNAUTHENTICATED") => {
                    panic!("[{:?}] a token from init is refused: {error}", self.backend)
                }
                Err(error) if tokio::time::Instant::now() > deadline => {
                    panic!(
                        "[{:?}] a token from init is still refused after 10 s: {error}",
                        self.backend
                    )
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(25)).await,
            }
        }
    }

    async fn pool(&self) -> &Pool {
        self.pool
            .get_or_init(|| async {
                match self.backend {
                    TestBackend::Sqlite => Pool::Sqlite(
                        sqlx::SqlitePool::connect(self.db.url())
                            .await
                            .expect("open SQLite"),
                    ),
                    TestBackend::Postgres => Pool::Postgres(
                        sqlx::PgPool::connect(self.db.url())
                            .await
                            .expect("open PostgreSQL"),
                    ),
                }
            })
            .await
    }

    /// Rows in the event log (read straight from the database, to prove that a refused
    /// request wrote nothing).
    pub async fn event_count(&self) -> i64 {
        let sql = "SELECT COUNT(*) FROM events";
        match self.pool().await {
            Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .expect("count events")
    }

    /// Asserts the event log holds `expected` rows; `what` is the failure message.
    pub async fn assert_event_count(&self, expected: i64, what: &str) {
        assert_eq!(self.event_count().await, expected, "{what}");
    }

    /// Runs one statement straight against the database, bypassing the API: only for
    /// tests that tamper with a read model to prove a query detects what it must.
    pub async fn execute_sql(&self, sql: &str) {
        match self.pool().await {
            Pool::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
            Pool::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("[{:?}] {sql}: {e}", self.backend));
    }

    /// Stops the server and removes its database.
    pub async fn stop(mut self) {
        if let Some(pool) = self.pool.take() {
            match pool {
                Pool::Sqlite(pool) => pool.close().await,
                Pool::Postgres(pool) => pool.close().await,
            }
        }
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
    }

    // ---- shortcuts over the API (as the admin) --------------------------------------

    /// Creates a team and returns its global id.
    pub async fn create_team(&self, name: &str, parent_id: Option<&str>) -> String {
        let payload = TeamsApi::create_team(&self.admin(), name, parent_id)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] createTeam {name}: {e}", self.backend));
        payload.team.expect("created team").id
    }

    /// Adds an internal person and returns their global id.
    pub async fn add_person(&self, name: &str, email: &str) -> String {
        let input = add_person::AddPersonInput {
            display_name: name.into(),
            email: email.into(),
            affiliation: add_person::Affiliation::INTERNAL,
            external_id: None,
            idempotency_key: None,
        };
        let payload = TeamsApi::add_person(&self.admin(), input)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] addPerson {email}: {e}", self.backend));
        payload.person.expect("added person").person_fields.id
    }

    /// Assigns `function` in team `team_id` to `person_id`; returns the assignment.
    pub async fn assign_team_role(
        &self,
        person_id: &str,
        function: assign_role::RoleFunction,
        team_id: &str,
    ) -> Result<assign_role::RoleFields, ClientError> {
        let data = self
            .admin()
            .run::<chorus_client::AssignRole>(assign_role::Variables {
                input: assign_role::AssignRoleInput {
                    person_id: person_id.into(),
                    function,
                    responsibility: None,
                    scope: assign_role::RoleScopeInput {
                        kind: assign_role::ScopeKind::TEAM,
                        id: Some(team_id.into()),
                    },
                    effective_from: None,
                    reason: "test setup".into(),
                    idempotency_key: None,
                },
            })
            .await?;
        Ok(data.assign_role.role_assignment.expect("assigned role"))
    }

    /// Runs `query` through `client`, asserting it is refused with `code` (and `field`;
    /// see [`expect_error`]) and that nothing was written.
    pub async fn expect_refused_unwritten(
        &self,
        client: &ChorusClient,
        query: &str,
        variables: serde_json::Value,
        (code, field): (&str, Option<&str>),
        what: &str,
    ) {
        let before = self.event_count().await;
        expect_error(client, query, variables, code, field, what).await;
        self.assert_event_count(before, &format!("{what}: nothing written"))
            .await;
    }

    /// [`TestApp::expect_refused_unwritten`] with BAD_USER_INPUT naming `field`.
    pub async fn expect_bad_input(
        &self,
        client: &ChorusClient,
        query: &str,
        variables: serde_json::Value,
        field: &str,
        what: &str,
    ) {
        let refusal = ("BAD_USER_INPUT", Some(field));
        self.expect_refused_unwritten(client, query, variables, refusal, what)
            .await;
    }

    /// Registers a channel for a team and returns its global id.
    pub async fn register_channel(
        &self,
        team_id: &str,
        network: register_channel::SocialNetwork,
        handle: &str,
    ) -> String {
        let payload = TeamsApi::register_channel(&self.admin(), team_id, network, handle)
            .await
            .unwrap_or_else(|e| panic!("[{:?}] registerChannel {handle}: {e}", self.backend));
        payload.channel.expect("registered channel").id
    }
}

/// The uuid inside a global id (`base64url("Kind:uuid")`), to mint tokens for people
/// created through the API.
pub fn uuid_of(global_id: &str) -> Uuid {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global_id)
        .unwrap_or_else(|e| panic!("{global_id} is not a global id: {e}"));
    let text = String::from_utf8(bytes).expect("utf-8 global id");
    let (_, uuid) = text.split_once(':').expect("Kind:uuid");
    Uuid::parse_str(uuid).expect("uuid in global id")
}

/// Asserts a [`ClientError`] carries `code` (and `field` when given); returns the error
/// for further checks.
#[track_caller]
pub fn assert_code<T: std::fmt::Debug>(
    result: Result<T, ClientError>,
    code: &str,
    field: Option<&str>,
    what: &str,
) -> ClientError {
    let error = match result {
        Ok(value) => panic!("{what}: expected error {code}, got success {value:?}"),
        Err(error) => error,
    };
    assert_eq!(error.code(), Some(code), "{what}: wrong code in {error:?}");
    if let Some(field) = field {
        assert_eq!(
            error.field(),
            Some(field),
            "{what}: wrong field in {error:?}"
        );
    }
    error
}

/// Runs the typed operation `Q` and asserts that it is refused with `code` and that no
/// data came back with the refusal; returns the errors for further checks.
pub async fn expect_refused<Q: chorus_client::GraphQLQuery>(
    client: &ChorusClient,
    variables: Q::Variables,
    code: &str,
    what: &str,
) -> Vec<chorus_client::GraphqlError>
where
    Q::ResponseData: std::fmt::Debug,
{
    let response = client
        .execute::<Q>(variables)
        .await
        .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
    assert!(
        response.data.is_none(),
        "{what}: data came back with the error: {:?}",
        response.data
    );
    let error = ClientError::Graphql(response.errors);
    assert_eq!(error.code(), Some(code), "{what}: wrong code in {error:?}");
    error.errors().to_vec()
}

/// The value of header `name` of an HTTP response, if it has one that is text.
pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The `extensions.code` of the first error of a raw JSON response.
pub fn first_code(body: &serde_json::Value) -> Option<String> {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

/// Runs `query` through [`ChorusClient::raw`] and asserts that its first error carries
/// `code` (and `field`), and that no data came back for the operation's root field.
pub async fn expect_error(
    client: &ChorusClient,
    query: &str,
    variables: serde_json::Value,
    code: &str,
    field: Option<&str>,
    what: &str,
) -> serde_json::Value {
    let body = client
        .raw(query, variables)
        .await
        .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
    assert_eq!(
        first_code(&body).as_deref(),
        Some(code),
        "{what}: wrong code in {body}"
    );
    if let Some(field) = field {
        assert_eq!(
            body["errors"][0]["extensions"]["field"].as_str(),
            Some(field),
            "{what}: wrong field in {body}"
        );
    }
    let data = &body["data"];
    let leaked = data
        .as_object()
        .is_some_and(|fields| fields.values().any(|v| !v.is_null()));
    assert!(!leaked, "{what}: data came back with the error: {body}");
    body
}

/// Runs `query` and asserts it succeeded; returns `data`.
pub async fn expect_data(
    client: &ChorusClient,
    query: &str,
    variables: serde_json::Value,
    what: &str,
) -> serde_json::Value {
    let body = client
        .raw(query, variables)
        .await
        .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
    assert!(
        body.get("errors").is_none_or(|e| e.is_null()),
        "{what}: unexpected errors: {body}"
    );
    body["data"].clone()
}

mod api;
mod cases;
pub mod docs;
pub mod nats;
pub mod scim;
pub mod statements;
mod teams_api;
mod world;
pub mod ws;
pub use api::{organization_policy, ugc_review, ContentApi, PolicyPayload, PostDetail, PostStatus};
pub use cases::{case_docs, CaseActor, CaseWorld};
pub use teams_api::{
    role_input, ChannelPayload, PersonPayload, ReportingLinePayload, RolePayload, TeamDetail,
    TeamPayload, TeamsApi,
};
pub use world::{ContentActor, ContentWorld};
