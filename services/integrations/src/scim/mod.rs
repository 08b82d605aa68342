//! The SCIM 2.0 door (RFC 7643 / 7644) at `/scim/v2`, as Okta and Microsoft Entra ID
//! call it: `Users` are the organization's people, `Groups` the groups an admin mapped
//! to role grants (`configureScimGroup`), and the discovery resources
//! (`ServiceProviderConfig`, `ResourceTypes`, `Schemas`).
//!
//! Every request carries a bearer token of a service account with `scim:provision`, is
//! confined to the token's organization (another organization's id is 404) and writes
//! only through the use cases, on channel `scim`. Bodies are `application/scim+json`
//! (plain JSON is accepted too); errors are SCIM errors ([`error`]). Resources carry a
//! weak version (`meta.version`, the `ETag` header), a digest of the resource as served;
//! a write with `If-Match` naming another version is refused with 412.

mod discovery;
pub mod error;
pub mod filter;
mod groups;
pub mod patch;
pub mod user;
mod users;

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use chorus_api::{ApiResult, Caller, Principal, Runtime};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use error::{ScimError, ScimResult};

pub const SCIM_JSON: &str = "application/scim+json";
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// The scope a SCIM client's token needs.
pub const SCOPE: &str = "scim:provision";
/// The most resources one list answers (`count` above it is lowered to it).
pub const MAX_COUNT: i64 = 100;

/// Verifies a request's bearer token (the server's authenticator: signature, expiry,
/// registration of service tokens).
pub type Authenticate =
    Arc<dyn Fn(Option<String>) -> BoxFuture<'static, ApiResult<Principal>> + Send + Sync>;

/// What the SCIM handlers run against.
#[derive(Clone)]
pub struct ScimDoor {
    pub runtime: Arc<Runtime>,
    pub authenticate: Authenticate,
}

/// Mounts `/scim/v2` on the server's app.
pub fn routes(cfg: &mut web::ServiceConfig, door: ScimDoor) {
    cfg.service(
        web::scope("/scim/v2")
            .app_data(web::Data::new(door))
            .route("/Users", web::get().to(users::list))
            .route("/Users", web::post().to(users::create))
            .route("/Users/{id}", web::get().to(users::get))
            .route("/Users/{id}", web::put().to(users::replace))
            .route("/Users/{id}", web::patch().to(users::patch))
            .route("/Users/{id}", web::delete().to(users::delete))
            .route("/Groups", web::get().to(groups::list))
            .route("/Groups", web::post().to(groups::create))
            .route("/Groups/{id}", web::get().to(groups::get))
            .route("/Groups/{id}", web::put().to(groups::replace))
            .route("/Groups/{id}", web::patch().to(groups::patch))
            .route("/Groups/{id}", web::delete().to(groups::delete))
            .route(
                "/ServiceProviderConfig",
                web::get().to(discovery::service_provider_config),
            )
            .route("/ResourceTypes", web::get().to(discovery::resource_types))
            .route(
                "/ResourceTypes/{name}",
                web::get().to(discovery::resource_type),
            )
            .route("/Schemas", web::get().to(discovery::schemas))
            .route("/Schemas/{id}", web::get().to(discovery::schema))
            .default_service(web::to(|| async {
                ScimError::not_found("resource").response()
            })),
    );
}

/// The caller of a SCIM request: a service account of the token's organization with
/// [`SCOPE`] (401 without a valid token, 403 without the scope).
pub(crate) async fn principal(door: &ScimDoor, request: &HttpRequest) -> ScimResult<Principal> {
    let token = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|v| v.trim().to_owned());
    let principal = (door.authenticate)(token).await?;
    if principal.person_id().is_some() || !principal.has_scope(SCOPE) {
        return Err(ScimError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            None,
            "SCIM provisioning needs a service-account token with the scim:provision scope",
        ));
    }
    Ok(principal)
}

/// The use cases' caller for `principal`.
pub(crate) fn caller<'a>(door: &'a ScimDoor, principal: &'a Principal) -> Caller<'a> {
    Caller {
        runtime: &door.runtime,
        principal,
        channel: chorus_teams::api::SCIM_CHANNEL,
    }
}

/// `…/scim/v2` as the client reached it, for `meta.location` and `$ref`.
pub(crate) fn base_url(request: &HttpRequest) -> String {
    let info = request.connection_info();
    format!("{}://{}/scim/v2", info.scheme(), info.host())
}

/// The value of `name` in `doc`'s object, matched ignoring case (SCIM attribute names
/// are case-insensitive).
pub fn get_ci<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    let object = doc.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// Adds `meta` to a resource, with its weak version: a digest of the resource without
/// `meta`, so it changes exactly when what a client can read of it changes.
pub(crate) fn meta(doc: &mut Value, resource_type: &str, location: &str, created: DateTime<Utc>) {
    let version = version_of(doc);
    doc["meta"] = json!({
        "resourceType": resource_type,
        "created": created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "location": location,
        "version": version,
    });
}

fn version_of(doc: &Value) -> String {
    let digest = Sha256::digest(doc.to_string().as_bytes());
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// The version a served resource carries.
pub(crate) fn version(doc: &Value) -> String {
    doc["meta"]["version"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Refuses a write whose `If-Match` names none of the current version (`*` matches any).
pub(crate) fn check_if_match(request: &HttpRequest, current: &Value) -> ScimResult<()> {
    let Some(header) = request.headers().get("if-match") else {
        return Ok(());
    };
    let header = header.to_str().unwrap_or_default();
    let current = version(current);
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    if header
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(&current))
    {
        Ok(())
    } else {
        Err(ScimError::precondition_failed())
    }
}

/// A resource as the answer, with its `ETag`.
pub(crate) fn resource(status: actix_web::http::StatusCode, doc: &Value) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    let version = version(doc);
    if !version.is_empty() {
        response.insert_header(("ETag", version));
    }
    if status == actix_web::http::StatusCode::CREATED {
        if let Some(location) = doc["meta"]["location"].as_str() {
            response.insert_header(("Location", location.to_owned()));
        }
    }
    response.content_type(SCIM_JSON).body(doc.to_string())
}

/// A JSON answer without a version (lists, discovery).
pub(crate) fn json_response(doc: &Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(SCIM_JSON)
        .body(doc.to_string())
}

/// A request body as JSON (`application/scim+json` or `application/json`).
pub(crate) fn body_json(body: &web::Bytes) -> ScimResult<Value> {
    serde_json::from_slice(body)
        .map_err(|_| ScimError::invalid_syntax("the body is not valid JSON"))
}

/// `startIndex` (1-based) and `count` of a list request, as an offset and a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub start_index: i64,
    pub count: i64,
}

impl Paging {
    pub(crate) fn of(query: &std::collections::HashMap<String, String>) -> ScimResult<Self> {
        let number = |name: &str, default: i64| -> ScimResult<i64> {
            match query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                None => Ok(default),
                Some((_, raw)) => raw
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer"))),
            }
        };
        Ok(Self {
            start_index: number("startIndex", 1)?.max(1),
            count: number("count", MAX_COUNT)?.clamp(0, MAX_COUNT),
        })
    }

    pub(crate) fn offset(&self) -> i64 {
        self.start_index - 1
    }

    /// The `ListResponse` of one page.
    pub(crate) fn list(&self, total: i64, resources: Vec<Value>) -> Value {
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": self.start_index,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        })
    }
}

/// A query parameter, its name matched ignoring case.
pub(crate) fn query_param<'a>(
    query: &'a std::collections::HashMap<String, String>,
    name: &str,
) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The query string of `request`, decoded.
pub(crate) fn query_of(request: &HttpRequest) -> std::collections::HashMap<String, String> {
    web::Query::<std::collections::HashMap<String, String>>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// A resource id from the path: not a uuid is not found.
pub(crate) fn resource_id(raw: &str, what: &str) -> ScimResult<uuid::Uuid> {
    uuid::Uuid::parse_str(raw).map_err(|_| ScimError::not_found(what))
}
