//! SCIM errors (RFC 7644 §3.12): `urn:ietf:params:scim:api:messages:2.0:Error` with the
//! status as a string, a `scimType` where the RFC has one, and a `detail` that never
//! carries internal text (an internal failure is logged and answered "internal error").

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chorus_api::ApiError;
use serde_json::json;

use super::{ERROR_SCHEMA, SCIM_JSON};

/// A refused SCIM request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// 400 `invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), detail)
    }

    /// 400 `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }

    /// 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }

    /// 400 `invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidPath"), detail)
    }

    /// 400 `noTarget`.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("noTarget"), detail)
    }

    /// 404, for a resource of another organization too.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, format!("{what} not found"))
    }

    /// 412: `If-Match` names another version.
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            "the resource changed since the version in If-Match; read it again",
        )
    }

    /// The error's response.
    pub fn response(&self) -> HttpResponse {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = json!(scim_type);
        }
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.content_type(SCIM_JSON).body(body.to_string())
    }
}

impl From<ApiError> for ScimError {
    fn from(error: ApiError) -> Self {
        let detail = error.to_string();
        match &error {
            ApiError::Unauthenticated(_) => Self::new(StatusCode::UNAUTHORIZED, None, detail),
            ApiError::Forbidden(_) => Self::new(StatusCode::FORBIDDEN, None, detail),
            ApiError::NotFound(what) => Self::not_found(what),
            ApiError::BadInput { field, rule } => {
                Self::invalid_value(format!("{}: {rule}", scim_attribute(field)))
            }
            ApiError::Domain { code, .. } => match *code {
                "DUPLICATE_ACTIVE_EMAIL" => Self::new(
                    StatusCode::CONFLICT,
                    Some("uniqueness"),
                    "userName: another active user of the organization has this userName",
                ),
                "SCIM_GROUP_LINKED" => Self::new(
                    StatusCode::CONFLICT,
                    Some("uniqueness"),
                    "displayName: the group was already created",
                ),
                "PERSON_OFFBOARDED" => {
                    Self::new(StatusCode::BAD_REQUEST, Some("mutability"), detail)
                }
                _ => Self::invalid_value(detail),
            },
            ApiError::Conflict => Self::new(StatusCode::CONFLICT, None, detail),
            ApiError::ConsistencyTimeout => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, None, detail)
            }
            ApiError::IdempotencyKeyReused | ApiError::LimitExceeded { .. } => {
                Self::new(StatusCode::BAD_REQUEST, None, detail)
            }
            ApiError::Internal => {
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, "internal error")
            }
        }
    }
}

/// The SCIM attribute a teams field refusal names.
fn scim_attribute(field: &str) -> &str {
    match field {
        "email" => "userName",
        other => other,
    }
}

pub type ScimResult<T> = Result<T, ScimError>;
