//! A SCIM client for the black-box tests: raw HTTP against `/scim/v2`, as an identity
//! provider sends it (bearer token, `application/scim+json`).

use serde_json::Value;
use uuid::Uuid;

use crate::TestApp;

/// One SCIM answer: status, `ETag` and body (`Null` when empty).
#[derive(Debug, Clone)]
pub struct ScimResponse {
    pub status: u16,
    pub etag: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
}

impl ScimResponse {
    /// Asserts the status; returns the body.
    #[track_caller]
    pub fn expect(&self, status: u16, what: &str) -> &Value {
        assert_eq!(self.status, status, "{what}: {}", self.body);
        &self.body
    }

    /// Asserts a SCIM error with `status` and `scim_type` (`None`: no scimType).
    #[track_caller]
    pub fn expect_error(&self, status: u16, scim_type: Option<&str>, what: &str) {
        assert_eq!(self.status, status, "{what}: {}", self.body);
        assert_eq!(
            self.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
            "{what}: {}",
            self.body
        );
        assert_eq!(
            self.body["status"].as_str(),
            Some(status.to_string().as_str()),
            "{what}: status must be a string: {}",
            self.body
        );
        assert_eq!(
            self.body["scimType"].as_str(),
            scim_type,
            "{what}: {}",
            self.body
        );
    }
}

/// A SCIM client of one token.
#[derive(Debug, Clone)]
pub struct ScimClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl ScimClient {
    pub fn new(app: &TestApp, token: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/scim/v2", app.address),
            token: token.to_owned(),
        }
    }

    /// `…/scim/v2`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends `method path` with `body` (and `If-Match` when given).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> ScimResponse {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("accept", "application/scim+json");
        if let Some(body) = body {
            request = request
                .header("content-type", "application/scim+json; charset=utf-8")
                .body(body.to_string());
        }
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let etag = crate::header(&response, "etag");
        let content_type = crate::header(&response, "content-type");
        let text = response.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
        };
        ScimResponse {
            status,
            etag,
            content_type,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> ScimResponse {
        self.send(reqwest::Method::GET, path, None, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> ScimResponse {
        self.send(reqwest::Method::POST, path, Some(body), None)
            .await
    }

    pub async fn put(&self, path: &str, body: &Value) -> ScimResponse {
        self.send(reqwest::Method::PUT, path, Some(body), None)
            .await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> ScimResponse {
        self.send(reqwest::Method::PATCH, path, Some(body), None)
            .await
    }

    pub async fn delete(&self, path: &str) -> ScimResponse {
        self.send(reqwest::Method::DELETE, path, None, None).await
    }

    /// `GET path?filter=…`, the filter URL-encoded.
    pub async fn filter(&self, path: &str, filter: &str, extra: &str) -> ScimResponse {
        let encoded: String = url_encode(filter);
        self.get(&format!("{path}?filter={encoded}{extra}")).await
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The global id of a record (`Person`, `Team`, …) as the GraphQL API names it.
pub fn global_id(kind: &str, id: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The SCIM `id` of a person's global id.
pub fn scim_id(global: &str) -> String {
    crate::uuid_of(global).to_string()
}

/// A SCIM client with a fresh `scim:provision` token of the app's organization.
pub async fn scim_client(app: &TestApp) -> ScimClient {
    ScimClient::new(app, &app.token_for_service(&["scim:provision"]).await)
}

/// Maps the SCIM group `name` to `function` in team `team` (global id) as the admin;
/// returns the group's SCIM id.
pub async fn configure_group(app: &TestApp, name: &str, team: &str, function: &str) -> String {
    let data = crate::expect_data(
        &app.admin(),
        "mutation($input: ConfigureScimGroupInput!) { configureScimGroup(input: $input) { \
         scimGroup { scimId displayName function scopeKind scopeId } } }",
        serde_json::json!({ "input": {
            "displayName": name,
            "scope": { "kind": "TEAM", "id": team },
            "function": function,
        }}),
        "configureScimGroup",
    )
    .await;
    let id = data["configureScimGroup"]["scimGroup"]["scimId"]
        .as_str()
        .unwrap_or_else(|| panic!("configureScimGroup: {data}"))
        .to_owned();
    assert!(Uuid::parse_str(&id).is_ok(), "{id}");
    id
}
