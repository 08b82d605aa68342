//! A small typed client for the Chorus GraphQL API.
//!
//! Operations are generated at compile time from `schema/schema.graphql` and the
//! documents in `clients/rust/graphql/` (one per entity family), so a query that no longer
//! matches the schema fails to build.
//!
//! ```no_run
//! use chorus_client::{create_team, ChorusClient, CreateTeam};
//!
//! # async fn demo() -> Result<(), chorus_client::ClientError> {
//! let client = ChorusClient::new("http://127.0.0.1:8080", Some("<token>".into()));
//! let created = client
//!     .run::<CreateTeam>(create_team::Variables {
//!         input: create_team::CreateTeamInput {
//!             name: "Social".into(),
//!             parent_id: None,
//!             idempotency_key: Some("create-social-1".into()),
//!         },
//!     })
//!     .await?;
//! // Read your own write from any replica:
//! let client = client.consistent_with(created.create_team.position);
//! # let _ = client;
//! # Ok(()) }
//! ```
//!
//! Errors keep the server's stable `extensions.code` (and `extensions.field` for bad
//! input): see [`ClientError::code`] and [`GraphqlError`].

mod document;
mod operations;

#[cfg(test)]
mod schema_coverage;

pub use graphql_client::GraphQLQuery;
pub use operations::*;

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The header that makes a request wait until the read models include a log position.
pub const CONSISTENT_WITH_HEADER: &str = "Chorus-Consistent-With";

/// Rust types for the schema's custom scalars.
pub mod scalars {
    /// `DateTime`: an RFC 3339 instant.
    pub type DateTime = chrono::DateTime<chrono::Utc>;
    /// `LogPosition`: a place in the global event log, as a decimal string.
    pub type LogPosition = String;
    /// `NaiveDate`: a calendar date (`2026-12-25`).
    pub type NaiveDate = chrono::NaiveDate;
    /// `JSON`: any JSON value.
    pub type JSON = serde_json::Value;
}

/// One GraphQL error as the server reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphqlError {
    pub message: String,
    /// `extensions.code`: `BAD_USER_INPUT`, `FORBIDDEN`, `NOT_FOUND`, a domain code, …
    pub code: Option<String>,
    /// `extensions.field`: the input field a `BAD_USER_INPUT` error is about.
    pub field: Option<String>,
    /// Where in the response the error happened (keys and indices).
    pub path: Vec<serde_json::Value>,
    /// Every extension, for codes-specific details (`rule`, …).
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Display for GraphqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.code {
            Some(code) => write!(f, "[{code}] {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Deserialize)]
struct WireError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    path: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

impl From<WireError> for GraphqlError {
    fn from(wire: WireError) -> Self {
        let extensions = wire.extensions.unwrap_or_default();
        let text = |key: &str| {
            extensions
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        GraphqlError {
            message: wire.message,
            code: text("code"),
            field: text("field"),
            path: wire.path.unwrap_or_default(),
            extensions,
        }
    }
}

#[derive(Deserialize)]
struct WireResponse<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Option<Vec<WireError>>,
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered 200 with GraphQL errors.
    #[error("GraphQL error: {}", join(.0))]
    Graphql(Vec<GraphqlError>),
    /// The server answered with a non-success HTTP status (401 unauthenticated, 400
    /// refused request, 405 mutation over GET, …); `errors` holds its GraphQL errors
    /// when the body had any.
    #[error("HTTP {status}: {body}")]
    Http {
        status: u16,
        body: String,
        errors: Vec<GraphqlError>,
    },
    /// The request could not be sent or the response not read.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response was not the JSON this client expected.
    #[error("unexpected response: {0}")]
    Decode(String),
}

fn join(errors: &[GraphqlError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ClientError {
    /// The GraphQL errors carried by this error (empty for transport errors).
    pub fn errors(&self) -> &[GraphqlError] {
        match self {
            ClientError::Graphql(errors) | ClientError::Http { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The first error's `extensions.code`.
    pub fn code(&self) -> Option<&str> {
        self.errors().iter().find_map(|e| e.code.as_deref())
    }

    /// The first error's `extensions.field`.
    pub fn field(&self) -> Option<&str> {
        self.errors().iter().find_map(|e| e.field.as_deref())
    }

    /// The HTTP status of a non-success response.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Http { status, .. } => Some(*status),
            ClientError::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }
}

/// What every post lifecycle mutation (`draftPost` … `retractPost`) answers: they all
/// select `PostPayloadFields`, so one type serves them all through
/// [`ChorusClient::execute_root`].
pub type PostPayload = draft_post::PostPayloadFields;

/// A full GraphQL response: data and errors side by side (partial results).
#[derive(Debug, Clone)]
pub struct GraphqlResponse<T> {
    pub data: Option<T>,
    pub errors: Vec<GraphqlError>,
}

/// An HTTP response as received, for tests of the protocol itself.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl RawResponse {
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A Chorus API client: an endpoint, an optional bearer token and an HTTP client.
#[derive(Debug, Clone)]
pub struct ChorusClient {
    /// Server root, e.g. `http://127.0.0.1:8080` (the client posts to `/graphql`).
    pub base_url: String,
    /// Bearer token (`chorus init` / `chorus token` print one).
    pub token: Option<String>,
    pub http: reqwest::Client,
    /// Sent as `Chorus-Consistent-With` when set.
    pub consistent_with: Option<String>,
}

impl ChorusClient {
    pub fn new(base_url: impl Into<String>, token: Option<String>) -> Self {
        Self::with_http(base_url, token, reqwest::Client::new())
    }

    /// Uses an existing `reqwest::Client` (connection pool, timeouts).
    pub fn with_http(
        base_url: impl Into<String>,
        token: Option<String>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            token,
            http,
            consistent_with: None,
        }
    }

    /// The same client with another token (or none).
    pub fn with_token(&self, token: Option<String>) -> Self {
        Self {
            token,
            ..self.clone()
        }
    }

    /// The same client, sending `Chorus-Consistent-With: position` so reads wait until
    /// the read models include that position (from a mutation payload).
    pub fn consistent_with(&self, position: impl Into<String>) -> Self {
        Self {
            consistent_with: Some(position.into()),
            ..self.clone()
        }
    }

    /// `BASE/graphql`.
    pub fn endpoint(&self) -> String {
        format!("{}/graphql", self.base_url)
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        match &self.consistent_with {
            Some(position) => request.header(CONSISTENT_WITH_HEADER, position),
            None => request,
        }
    }

    /// Runs a typed operation; any GraphQL error becomes [`ClientError::Graphql`].
    pub async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ClientError> {
        let response = self.execute::<Q>(variables).await?;
        if !response.errors.is_empty() {
            return Err(ClientError::Graphql(response.errors));
        }
        response
            .data
            .ok_or_else(|| ClientError::Decode("response has neither data nor errors".into()))
    }

    /// Runs a typed operation and returns data and errors together (partial results).
    pub async fn execute<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<GraphqlResponse<Q::ResponseData>, ClientError> {
        let raw = self.post(&request_body::<Q>(variables)).await?;
        decode(&raw)
    }

    /// Runs a typed operation whose data is one root field and decodes that field as
    /// `T`, data and errors together. Operations that answer the same fragment share
    /// one type this way: every post lifecycle mutation's data is a [`PostPayload`].
    pub async fn execute_root<Q: GraphQLQuery, T: DeserializeOwned>(
        &self,
        variables: Q::Variables,
    ) -> Result<GraphqlResponse<T>, ClientError> {
        let body = request_body::<Q>(variables);
        let raw = self.post(&body).await?;
        let response = decode::<std::collections::BTreeMap<String, T>>(&raw)?;
        let mut roots = response.data.unwrap_or_default().into_values();
        let data = roots.next();
        if roots.next().is_some() {
            return Err(ClientError::Decode(format!(
                "{} selects more than one root field",
                body.operation_name
            )));
        }
        Ok(GraphqlResponse {
            data,
            errors: response.errors,
        })
    }

    /// Posts any query with JSON variables and returns the response body as JSON,
    /// GraphQL errors included; only a non-success HTTP status is an `Err`.
    pub async fn raw(
        &self,
        query: &str,
        variables: serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let raw = self.post(&body).await?;
        if !(200..300).contains(&raw.status) {
            return Err(http_error(raw));
        }
        serde_json::from_str(&raw.body).map_err(|e| ClientError::Decode(e.to_string()))
    }

    /// Posts an arbitrary JSON body (a batch, a malformed request) and returns the
    /// response as it came, whatever its status.
    pub async fn post<B: serde::Serialize + ?Sized>(
        &self,
        body: &B,
    ) -> Result<RawResponse, ClientError> {
        let request = self.authorized(self.http.post(self.endpoint())).json(body);
        read(request.send().await?).await
    }

    /// `GET /graphql?query=…&variables=…` (GraphQL over HTTP), response as it came.
    pub async fn get(
        &self,
        query: &str,
        variables: Option<&serde_json::Value>,
    ) -> Result<RawResponse, ClientError> {
        let mut params = vec![("query", query.to_owned())];
        if let Some(variables) = variables {
            params.push(("variables", variables.to_string()));
        }
        let url = reqwest::Url::parse_with_params(&self.endpoint(), &params)
            .map_err(|e| ClientError::Decode(format!("invalid URL: {e}")))?;
        read(self.authorized(self.http.get(url)).send().await?).await
    }
}

/// The request body of a typed operation: `query` (the operation and the fragments it
/// uses, cut from its document), `operationName` and `variables`. [`ChorusClient`]
/// posts it; over WebSocket it is the `payload` of a `subscribe` message.
pub fn request_body<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> graphql_client::QueryBody<Q::Variables> {
    let body = Q::build_query(variables);
    graphql_client::QueryBody {
        query: document::operation_source(body.query, body.operation_name),
        ..body
    }
}

async fn read(response: reqwest::Response) -> Result<RawResponse, ClientError> {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.text().await?;
    Ok(RawResponse {
        status,
        content_type,
        body,
    })
}

fn http_error(raw: RawResponse) -> ClientError {
    let errors = serde_json::from_str::<WireResponse<serde_json::Value>>(&raw.body)
        .ok()
        .and_then(|r| r.errors)
        .unwrap_or_default()
        .into_iter()
        .map(GraphqlError::from)
        .collect();
    ClientError::Http {
        status: raw.status,
        body: raw.body,
        errors,
    }
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<GraphqlResponse<T>, ClientError> {
    if !(200..300).contains(&raw.status) {
        return Err(http_error(raw.clone()));
    }
    let wire: WireResponse<serde_json::Value> = serde_json::from_str(&raw.body)
        .map_err(|e| ClientError::Decode(format!("{e}: {}", raw.body)))?;
    let errors: Vec<GraphqlError> = wire
        .errors
        .unwrap_or_default()
        .into_iter()
        .map(GraphqlError::from)
        .collect();
    let data = match wire.data {
        None | Some(serde_json::Value::Null) => None,
        Some(data) => match serde_json::from_value::<T>(data) {
            Ok(data) => Some(data),
            // Errors explain missing data better than a decoding failure would.
            Err(_) if !errors.is_empty() => None,
            Err(e) => return Err(ClientError::Decode(format!("{e}: {}", raw.body))),
        },
    };
    Ok(GraphqlResponse { data, errors })
}
