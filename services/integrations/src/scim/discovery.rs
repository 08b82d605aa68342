//! The SCIM discovery resources (RFC 7644 §4): what this door supports, its resource
//! types and the schemas of their attributes (only the attributes Chorus keeps).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::error::ScimError;
use super::users::respond;
use super::{
    base_url, json_response, principal, ScimDoor, ENTERPRISE_USER, GROUP_SCHEMA, LIST_SCHEMA,
    MAX_COUNT, USER_SCHEMA,
};

const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

pub(super) async fn service_provider_config(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
) -> HttpResponse {
    respond(
        async {
            principal(&door, &request).await?;
            Ok(json_response(&json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "patch": { "supported": true },
                "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
                "filter": { "supported": true, "maxResults": MAX_COUNT },
                "changePassword": { "supported": false },
                "sort": { "supported": false },
                "etag": { "supported": true },
                "authenticationSchemes": [{
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A Chorus service-account token with the scim:provision scope",
                    "primary": true,
                }],
                "meta": {
                    "resourceType": "ServiceProviderConfig",
                    "location": format!("{}/ServiceProviderConfig", base_url(&request)),
                },
            })))
        }
        .await,
    )
}

fn resource_types_of(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person of the organization",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{ "schema": ENTERPRISE_USER, "required": false }],
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
        }),
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A group an admin mapped to a role grant",
            "schema": GROUP_SCHEMA,
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group") },
        }),
    ]
}

pub(super) async fn resource_types(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
) -> HttpResponse {
    respond(
        async {
            principal(&door, &request).await?;
            Ok(json_response(&list(resource_types_of(&base_url(&request)))))
        }
        .await,
    )
}

pub(super) async fn resource_type(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    name: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            principal(&door, &request).await?;
            resource_types_of(&base_url(&request))
                .into_iter()
                .find(|t| t["id"].as_str() == Some(name.as_str()))
                .map(|t| json_response(&t))
                .ok_or_else(|| ScimError::not_found("resource type"))
        }
        .await,
    )
}

/// One attribute of a schema: `(name, type, multi-valued, required, sub-attributes)`.
fn attribute(name: &str, kind: &str, multi: bool, required: bool, subs: Vec<Value>) -> Value {
    let mut attribute = json!({
        "name": name,
        "type": kind,
        "multiValued": multi,
        "required": required,
        "caseExact": false,
        "mutability": if name == "id" { "readOnly" } else { "readWrite" },
        "returned": "default",
        "uniqueness": if name == "userName" { "server" } else { "none" },
    });
    if !subs.is_empty() {
        attribute["subAttributes"] = json!(subs);
    }
    attribute
}

fn string(name: &str) -> Value {
    attribute(name, "string", false, false, Vec::new())
}

fn schemas_of(base: &str) -> Vec<Value> {
    let schema = |id: &str, name: &str, attributes: Vec<Value>| {
        json!({
            "schemas": [SCHEMA_SCHEMA],
            "id": id,
            "name": name,
            "attributes": attributes,
            "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{id}") },
        })
    };
    vec![
        schema(
            USER_SCHEMA,
            "User",
            vec![
                attribute("userName", "string", false, true, Vec::new()),
                string("externalId"),
                string("displayName"),
                attribute(
                    "name",
                    "complex",
                    false,
                    false,
                    vec![
                        string("givenName"),
                        string("familyName"),
                        string("formatted"),
                    ],
                ),
                attribute(
                    "emails",
                    "complex",
                    true,
                    false,
                    vec![
                        string("value"),
                        string("type"),
                        attribute("primary", "boolean", false, false, Vec::new()),
                    ],
                ),
                attribute("active", "boolean", false, false, Vec::new()),
            ],
        ),
        schema(
            ENTERPRISE_USER,
            "EnterpriseUser",
            vec![
                string("employeeNumber"),
                string("department"),
                attribute(
                    "manager",
                    "complex",
                    false,
                    false,
                    vec![string("value"), string("$ref")],
                ),
            ],
        ),
        schema(
            GROUP_SCHEMA,
            "Group",
            vec![
                attribute("displayName", "string", false, true, Vec::new()),
                string("externalId"),
                attribute(
                    "members",
                    "complex",
                    true,
                    false,
                    vec![string("value"), string("$ref"), string("type")],
                ),
            ],
        ),
    ]
}

pub(super) async fn schemas(door: web::Data<ScimDoor>, request: HttpRequest) -> HttpResponse {
    respond(
        async {
            principal(&door, &request).await?;
            Ok(json_response(&list(schemas_of(&base_url(&request)))))
        }
        .await,
    )
}

pub(super) async fn schema(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            principal(&door, &request).await?;
            schemas_of(&base_url(&request))
                .into_iter()
                .find(|s| s["id"].as_str() == Some(id.as_str()))
                .map(|s| json_response(&s))
                .ok_or_else(|| ScimError::not_found("schema"))
        }
        .await,
    )
}
