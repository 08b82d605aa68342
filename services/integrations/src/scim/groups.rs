//! `/scim/v2/Groups`: the groups an admin mapped to role grants (`configureScimGroup`).
//! The identity provider finds one by `displayName`, creates (links) it, renames it,
//! changes its members (each change a role assignment or revocation) and deletes it.
//! A group no admin configured cannot be created: nothing says which role it grants.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chorus_api::Caller;
use serde_json::{json, Value};
use uuid::Uuid;

use super::error::{ScimError, ScimResult};
use super::user::{text, value};
use super::users::respond;
use super::{
    base_url, body_json, caller, check_if_match, filter, get_ci, meta, patch, principal, query_of,
    query_param, resource, resource_id, Paging, ScimDoor, GROUP_SCHEMA,
};
use crate::commands;
use crate::domain::values::{GroupExternalId, GroupName};
use crate::read::{self, GroupFilter, GroupRow};

const FILTERABLE: &[&str] = &["displayName", "externalId"];

/// The group's members now, as `(person, assignment)`.
async fn members_of(caller: Caller<'_>, group: &GroupRow) -> ScimResult<Vec<(Uuid, Uuid)>> {
    let role = group.role()?;
    Ok(chorus_teams::api::role_members(
        &caller.runtime.db,
        caller.organization_id(),
        role.function,
        role.responsibility,
        role.scope,
    )
    .await?)
}

fn render(group: &GroupRow, members: &[(Uuid, Uuid)], base: &str) -> Value {
    let mut people: Vec<Uuid> = members.iter().map(|(person, _)| *person).collect();
    people.dedup();
    let members: Vec<Value> = people
        .iter()
        .map(|person| {
            json!({
                "value": person.to_string(),
                "$ref": format!("{base}/Users/{person}"),
                "type": "User",
            })
        })
        .collect();
    let mut doc = json!({
        "schemas": [GROUP_SCHEMA],
        "id": group.id.to_string(),
        "displayName": group.display_name,
        "members": members,
    });
    if let Some(external_id) = &group.external_id {
        doc["externalId"] = json!(external_id);
    }
    meta(
        &mut doc,
        "Group",
        &format!("{base}/Groups/{}", group.id),
        group.created_at,
    );
    doc
}

/// The group `id` of the caller's organization, or 404.
async fn find(caller: Caller<'_>, id: &str) -> ScimResult<GroupRow> {
    read::group(
        &caller.runtime.db,
        caller.organization_id(),
        resource_id(id, "group")?,
    )
    .await?
    .ok_or_else(|| ScimError::not_found("group"))
}

/// The member ids a group document lists.
fn member_ids(doc: &Value) -> ScimResult<Vec<Uuid>> {
    let Some(members) = get_ci(doc, "members") else {
        return Ok(Vec::new());
    };
    let members = match members {
        Value::Null => return Ok(Vec::new()),
        Value::Array(members) => members,
        _ => return Err(ScimError::invalid_value("members must be a list")),
    };
    members
        .iter()
        .map(|member| {
            get_ci(member, "value")
                .and_then(Value::as_str)
                .and_then(|id| Uuid::parse_str(id.trim()).ok())
                .ok_or_else(|| ScimError::invalid_value("members: each value must be a user id"))
        })
        .collect()
}

pub(super) async fn list(door: web::Data<ScimDoor>, request: HttpRequest) -> HttpResponse {
    respond(
        async {
            let principal = principal(&door, &request).await?;
            let caller = caller(&door, &principal);
            let query = query_of(&request);
            let filter = filter::parse(query_param(&query, "filter"), FILTERABLE)?;
            let paging = Paging::of(&query)?;
            if filter.contradictory {
                return Ok(super::json_response(&paging.list(0, Vec::new())));
            }
            let wanted = GroupFilter {
                display_name: filter.value("displayName"),
                external_id: filter.value("externalId"),
            };
            let without_members = query_param(&query, "excludedAttributes").is_some_and(|list| {
                list.split(',')
                    .any(|a| a.trim().eq_ignore_ascii_case("members"))
            });
            let db = &caller.runtime.db;
            let (total, groups) = read::groups_page(
                db,
                caller.organization_id(),
                &wanted,
                paging.offset(),
                paging.count,
            )
            .await?;
            let base = base_url(&request);
            let mut resources = Vec::with_capacity(groups.len());
            for group in &groups {
                let mut doc = render(group, &members_of(caller, group).await?, &base);
                if without_members {
                    if let Some(object) = doc.as_object_mut() {
                        object.remove("members");
                    }
                }
                resources.push(doc);
            }
            Ok(super::json_response(&paging.list(total, resources)))
        }
        .await,
    )
}

pub(super) async fn create(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    respond(
        async {
            let principal = principal(&door, &request).await?;
            let caller = caller(&door, &principal);
            let body = body_json(&body)?;
            let name = text(&body, "displayName")?
                .ok_or_else(|| ScimError::invalid_value("displayName is required"))?;
            let name: GroupName = value("displayName", name)?;
            let external_id = text(&body, "externalId")?
                .map(|id| value::<GroupExternalId>("externalId", id))
                .transpose()?;
            let members = member_ids(&body)?;
            let wanted = GroupFilter {
                display_name: Some(name.as_str().to_owned()),
                external_id: None,
            };
            let (_, found) =
                read::groups_page(&caller.runtime.db, caller.organization_id(), &wanted, 0, 1)
                    .await?;
            let group = found.into_iter().next().ok_or_else(|| {
                ScimError::invalid_value(format!(
                    "displayName: no SCIM group {name} is configured in Chorus; an admin maps it \
                     to a role with configureScimGroup first"
                ))
            })?;
            if group.linked_at.is_some() {
                return Err(ScimError::new(
                    StatusCode::CONFLICT,
                    Some("uniqueness"),
                    "displayName: the group was already created",
                ));
            }
            commands::check_members(caller, &members).await?;
            commands::link_group(caller, &group, external_id).await?;
            commands::add_members(caller, &group, &members).await?;
            let group = find(caller, &group.id.to_string()).await?;
            let doc = render(
                &group,
                &members_of(caller, &group).await?,
                &base_url(&request),
            );
            Ok(resource(StatusCode::CREATED, &doc))
        }
        .await,
    )
}

pub(super) async fn get(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            let principal = principal(&door, &request).await?;
            let caller = caller(&door, &principal);
            let group = find(caller, &id).await?;
            let doc = render(
                &group,
                &members_of(caller, &group).await?,
                &base_url(&request),
            );
            Ok(resource(StatusCode::OK, &doc))
        }
        .await,
    )
}

/// How a write changes the group's document.
enum Change<'a> {
    Replace(&'a web::Bytes),
    Patch(&'a web::Bytes),
}

async fn write(
    door: &ScimDoor,
    request: &HttpRequest,
    id: &str,
    change: Change<'_>,
) -> ScimResult<HttpResponse> {
    let principal = principal(door, request).await?;
    let caller = caller(door, &principal);
    let group = find(caller, id).await?;
    let base = base_url(request);
    let current = members_of(caller, &group).await?;
    let mut doc = render(&group, &current, &base);
    check_if_match(request, &doc)?;
    let wanted = match change {
        Change::Replace(body) => body_json(body)?,
        Change::Patch(body) => {
            patch::apply(&mut doc, &body_json(body)?, &[])?;
            doc
        }
    };
    let name = text(&wanted, "displayName")?
        .map(|name| value::<GroupName>("displayName", name))
        .transpose()?;
    let members = member_ids(&wanted)?;
    let removed: Vec<Uuid> = current
        .iter()
        .map(|(person, _)| *person)
        .filter(|person| !members.contains(person))
        .collect();
    commands::add_members(caller, &group, &members).await?;
    commands::remove_members(caller, &group, &removed).await?;
    if let Some(name) = name {
        commands::rename_group(caller, &group, name).await?;
    }
    let group = find(caller, id).await?;
    let doc = render(&group, &members_of(caller, &group).await?, &base);
    Ok(resource(StatusCode::OK, &doc))
}

pub(super) async fn replace(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    respond(write(&door, &request, &id, Change::Replace(&body)).await)
}

pub(super) async fn patch(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    respond(write(&door, &request, &id, Change::Patch(&body)).await)
}

pub(super) async fn delete(
    door: web::Data<ScimDoor>,
    request: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            let principal = principal(&door, &request).await?;
            let caller = caller(&door, &principal);
            let group = find(caller, &id).await?;
            let doc = render(
                &group,
                &members_of(caller, &group).await?,
                &base_url(&request),
            );
            check_if_match(&request, &doc)?;
            commands::remove_group(caller, &group).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        .await,
    )
}
