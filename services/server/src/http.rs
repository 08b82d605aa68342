//! The HTTP surface: GraphQL over HTTP (POST and GET), subscriptions over
//! graphql-transport-ws, GraphiQL in development, and health endpoints.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{ServerHandle, Service};
use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, ErrorExtensions};
use async_graphql_actix_web::GraphQLSubscription;
use tracing::Instrument;
use uuid::Uuid;

use crate::auth::Principal;
use crate::config::Config;
use crate::error::ApiError;
use crate::execute::{execute, respond};
use crate::graphql::{request_data, Schemas};
use crate::health;
use crate::state::{AppState, StartError};

/// Header a client sends with a log position (from a mutation payload) to read its own
/// write on any replica: the request waits until the read models include it.
pub const CONSISTENT_WITH: &str = "chorus-consistent-with";

/// A server started by [`start`]; stop it with [`RunningServer::stop`].
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    handle: ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the server stops by itself (SIGTERM / Ctrl-C), then shuts down.
    pub async fn wait(self) -> std::io::Result<()> {
        let result = self.server.await.map_err(std::io::Error::other)?;
        self.state.shutdown().await;
        result
    }

    /// Stops accepting connections, lets in-flight requests finish, then shuts down.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.server.await;
        self.state.shutdown().await;
    }
}

/// Opens the store, starts the background tasks and serves on `config.listen`
/// (`127.0.0.1:0` picks a free port). `handle_signals` lets SIGTERM/SIGINT stop it.
pub async fn start(config: Config, handle_signals: bool) -> Result<RunningServer, StartError> {
    start_with(config, handle_signals, crate::state::upcasters()).await
}

/// [`start`] with other upcasters than this build's (tests).
pub async fn start_with(
    config: Config,
    handle_signals: bool,
    upcasters: chorus_kernel::Upcasters,
) -> Result<RunningServer, StartError> {
    let listener = TcpListener::bind(&config.listen).map_err(|source| StartError::Listen {
        address: config.listen.clone(),
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        address: config.listen.clone(),
        source,
    })?;
    let state = AppState::open_with(config, upcasters).await?;
    state.start_background().await?;
    let production = state.config.environment == crate::config::Environment::Production;
    let schema = Schemas::new(state.clone(), &state.config.limits, production);
    let app_state = state.clone();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(schema.clone()))
            .app_data(web::Data::new(app_state.clone()))
            .app_data(web::PayloadConfig::new(1 << 20))
            .wrap(crate::web::security_headers())
            .wrap_fn(|request, service| {
                let span = tracing::info_span!(
                    "http",
                    method = %request.method(),
                    path = %request.path(),
                    request_id = %Uuid::now_v7(),
                );
                service.call(request).instrument(span)
            })
            .route("/graphql", web::post().to(graphql_post))
            .route("/graphql", web::get().to(graphql_get))
            .route("/graphql/ws", web::get().to(graphql_ws))
            .route("/export/compliance", web::get().to(export_compliance))
            .route("/healthz", web::get().to(health::healthz))
            .route("/readyz", web::get().to(health::readyz))
            .route("/metrics", web::get().to(health::metrics))
            .configure(|cfg| {
                chorus_integrations::scim::routes(cfg, crate::auth::scim_door(&app_state))
            })
    })
    .workers(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .min(4),
    )
    .shutdown_timeout(10)
    .listen(listener)
    .map_err(|source| StartError::Listen {
        address: addr.to_string(),
        source,
    })?;
    if !handle_signals {
        server = server.disable_signals();
    }
    let server = server.run();
    let handle = server.handle();
    let server = tokio::spawn(server);
    tracing::info!(%addr, "Chorus is listening");
    Ok(RunningServer {
        addr,
        state,
        handle,
        server,
    })
}

fn error_response(status: actix_web::http::StatusCode, error: &ApiError) -> HttpResponse {
    let error = error.extend();
    let body = serde_json::json!({
        "errors": [{ "message": error.message, "extensions": error.extensions }]
    });
    let mut response = HttpResponse::build(status);
    if status == actix_web::http::StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    response.json(body)
}

/// Verifies the bearer token and, for people, that they are still in the organization.
async fn authenticate(state: &AppState, token: Option<&str>) -> Result<Principal, ApiError> {
    let token = token.ok_or(ApiError::Unauthenticated("missing bearer token"))?;
    let principal = state.auth.verify(token)?;
    crate::auth::ensure_still_valid(&state.runtime, &principal).await?;
    Ok(principal)
}

fn bearer(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

/// The HTTP status of an error raised before GraphQL execution: 401 only for a refused
/// token (a failure of ours while checking it is a 500, so clients keep a good token).
pub(crate) fn http_status(error: &ApiError) -> actix_web::http::StatusCode {
    use actix_web::http::StatusCode;
    match error {
        ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        ApiError::BadInput { .. } => StatusCode::BAD_REQUEST,
        ApiError::ConsistencyTimeout => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Largest request body accepted (a GraphQL document with variables, never files).
const MAX_BODY_BYTES: usize = 1 << 20;

/// POST: the token is checked before the body is read, the body is read up to
/// [`MAX_BODY_BYTES`], and only JSON is accepted (no multipart uploads).
async fn graphql_post(
    state: web::Data<Arc<AppState>>,
    schema: web::Data<Schemas>,
    http: HttpRequest,
    mut payload: web::Payload,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    use futures::StreamExt;
    let principal = match authenticate(&state, bearer(&http)).await {
        Ok(principal) => principal,
        Err(error) => return error_response(http_status(&error), &error),
    };
    let content_type = http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json")
        && !content_type.starts_with("application/graphql-response+json")
    {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &ApiError::bad_input("Content-Type", "must be application/json"),
        );
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return error_response(
                StatusCode::BAD_REQUEST,
                &ApiError::bad_input("body", "could not be read"),
            );
        };
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &ApiError::bad_input("body", format!("must be at most {MAX_BODY_BYTES} bytes")),
            );
        }
        body.extend_from_slice(&chunk);
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &ApiError::bad_input(
                    "body",
                    "must be a GraphQL request (or a list of them) in JSON",
                ),
            )
        }
    };
    match execute(&state, &schema, &http, principal, batch).await {
        Ok(response) => respond(response),
        Err((status, error)) => error_response(status, &error),
    }
}

/// GET: a query in the URL (GraphQL over HTTP), or GraphiQL for a browser when enabled.
/// Mutations are refused over GET (405), as the GraphQL-over-HTTP spec requires.
async fn graphql_get(
    state: web::Data<Arc<AppState>>,
    schema: web::Data<Schemas>,
    http: HttpRequest,
) -> HttpResponse {
    let has_query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(http.query_string())
            .map(|q| q.contains_key("query"))
            .unwrap_or(false);
    if !has_query {
        if state.config.graphiql_enabled() {
            let html = GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .title("Chorus GraphiQL")
                .finish();
            return HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header(crate::web::graphiql_csp())
                .body(html);
        }
        return error_response(
            actix_web::http::StatusCode::BAD_REQUEST,
            &ApiError::bad_input("query", "is required"),
        );
    }
    let request = match async_graphql::http::parse_query_string(http.query_string()) {
        Ok(request) => request,
        Err(_) => {
            return error_response(
                actix_web::http::StatusCode::BAD_REQUEST,
                &ApiError::bad_input(
                    "query",
                    "the URL parameters are not a valid GraphQL request",
                ),
            )
        }
    };
    if is_mutation(&request) {
        return error_response(
            actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
            &ApiError::Forbidden("mutations must be sent with POST"),
        );
    }
    let principal = match authenticate(&state, bearer(&http)).await {
        Ok(principal) => principal,
        Err(error) => return error_response(http_status(&error), &error),
    };
    match execute(
        &state,
        &schema,
        &http,
        principal,
        BatchRequest::Single(request),
    )
    .await
    {
        Ok(response) => respond(response),
        Err((status, error)) => error_response(status, &error),
    }
}

fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    document.operations.iter().any(|(name, operation)| {
        let selected = match (&request.operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            _ => true,
        };
        selected && operation.node.ty != OperationType::Query
    })
}

/// Subscriptions over graphql-transport-ws. The bearer token comes in the
/// `connection_init` payload (`{"Authorization": "Bearer …"}`) or the upgrade request.
async fn graphql_ws(
    state: web::Data<Arc<AppState>>,
    schema: web::Data<Schemas>,
    http: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    if !crate::web::origin_allowed(&http, &state.config.cors) {
        return Ok(error_response(
            actix_web::http::StatusCode::FORBIDDEN,
            &ApiError::Forbidden(
                "pages of this origin may not open the socket (see cors.allowed_origins)",
            ),
        ));
    }
    let state = state.get_ref().clone();
    let header_token = bearer(&http).map(str::to_owned);
    GraphQLSubscription::new(schema.budgeted.clone())
        .keepalive_timeout(Duration::from_secs(60))
        .on_connection_init(move |init: serde_json::Value| async move {
            let from_payload = ["Authorization", "authorization"]
                .iter()
                .find_map(|k| init.get(*k).and_then(|v| v.as_str()))
                .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned())
                .or_else(|| {
                    init.get("token")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                });
            let token = from_payload.or(header_token);
            let principal = authenticate(&state, token.as_deref())
                .await
                .map_err(|e| e.extend())?;
            let mut data = async_graphql::Data::default();
            request_data(&state, principal, &mut data);
            // The socket carries subscriptions only: queries and mutations go over HTTP,
            // where every request is authenticated afresh.
            data.insert(crate::graphql::OverWebSocket);
            Ok(data)
        })
        .start(&http, payload)
}

/// GET /export/compliance?from=…&to=…&format=csv|jsonl: the compliance history of the
/// caller's organization, streamed. Admins, legal-function holders and service accounts
/// with `compliance:export` may export.
async fn export_compliance(state: web::Data<Arc<AppState>>, http: HttpRequest) -> HttpResponse {
    use crate::content::export::{self, ExportFormat, ExportRange};
    use actix_web::http::StatusCode;
    let principal = match authenticate(&state, bearer(&http)).await {
        Ok(principal) => principal,
        Err(error) => return error_response(http_status(&error), &error),
    };
    match export::may_export(&state.db, &principal).await {
        Ok(true) => {}
        Ok(false) => {
            return error_response(
                StatusCode::FORBIDDEN,
                &ApiError::Forbidden("exporting the compliance history needs an admin, a legal-function holder or the compliance:export scope"),
            )
        }
        Err(error) => return error_response(http_status(&error), &error),
    }
    let params =
        web::Query::<std::collections::HashMap<String, String>>::from_query(http.query_string())
            .map(|q| q.into_inner())
            .unwrap_or_default();
    let format = match params
        .get("format")
        .map(String::as_str)
        .unwrap_or("csv")
        .parse::<ExportFormat>()
    {
        Ok(format) => format,
        Err(error) => return error_response(StatusCode::BAD_REQUEST, &error),
    };
    let range = match ExportRange::parse(
        params.get("from").map(String::as_str),
        params.get("to").map(String::as_str),
    ) {
        Ok(range) => range,
        Err(error) => return error_response(StatusCode::BAD_REQUEST, &error),
    };
    let receiver = export::stream_history(
        state.db.clone(),
        principal.organization_id,
        range,
        format,
        state.compliance_history(),
    );
    let body = futures::stream::unfold(receiver, |mut receiver| async move {
        let item = receiver.recv().await?;
        Some((
            item.map(web::Bytes::from)
                .map_err(|e| std::io::Error::other(e.to_string())),
            receiver,
        ))
    });
    let filename = format!(
        "compliance-{}-{}.{}",
        range.from.format("%Y%m%dT%H%M%SZ"),
        range.to.format("%Y%m%dT%H%M%SZ"),
        format.extension()
    );
    HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}

/// Builds the app state without serving (CLI commands), with background tasks stopped.
pub async fn open_state(config: Config) -> Result<Arc<AppState>, StartError> {
    AppState::open(config).await
}
