//! `/scim/v2/Users`: list (filtered, paged), create, read, replace, patch and delete
//! (which offboards: Chorus keeps the person and their history; a deleted user reads as
//! `active: false`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chorus_teams::api::{people_directory, DirectoryFilter};

use super::error::ScimResult;
use super::{
    base_url, body_json, caller, check_if_match, filter, patch, principal, query_of, resource,
    resource_id, user, Paging, ScimDoor, ENTERPRISE_USER,
};
use crate::commands;
use crate::read;

/// The attributes a user filter may name.
const FILTERABLE: &[&str] = &["userName", "externalId", "displayName"];

pub(super) fn respond(result: ScimResult<HttpResponse>) -> HttpResponse {
    result.unwrap_or_else(|error| error.response())
}

pub(super) async fn list(door: web::Data<ScimDoor>, request: HttpRequest) -> HttpResponse {
    respond(list_users(&door, &request).await)
}

async fn list_users(door: &ScimDoor, request: &HttpRequest) -> ScimResult<HttpResponse> {
    let principal = principal(door, request).await?;
    let caller = caller(door, &principal);
    let query = query_of(request);
    let filter = filter::parse(super::query_param(&query, "filter"), FILTERABLE)?;
    let paging = Paging::of(&query)?;
    if filter.contradictory {
        return Ok(super::json_response(&paging.list(0, Vec::new())));
    }
    let directory = DirectoryFilter {
        email: filter.value("userName"),
        external_id: filter.value("externalId"),
        display_name: filter.value("displayName"),
    };
    let db = &caller.runtime.db;
    let org = caller.organization_id();
    let (total, people) =
        people_directory(db, org, &directory, paging.offset(), paging.count).await?;
    let base = base_url(request);
    let users = read::users_of(db, org, people).await?;
    let resources = users.iter().map(|u| user::render(u, &base)).collect();
    Ok(super::json_response(&paging.list(total, resources)))
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
            let draft = user::parse(&body_json(&body)?)?;
            let id = commands::provision_user(caller, draft).await?;
            let created = read::user(caller, id).await?;
            Ok(resource(
                StatusCode::CREATED,
                &user::render(&created, &base_url(&request)),
            ))
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
            let found = read::user(caller, resource_id(&id, "user")?).await?;
            Ok(resource(
                StatusCode::OK,
                &user::render(&found, &base_url(&request)),
            ))
        }
        .await,
    )
}

/// How a write changes the current user's document.
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
    let id = resource_id(id, "user")?;
    let base = base_url(request);
    let now = read::user(caller, id).await?;
    let mut doc = user::render(&now, &base);
    check_if_match(request, &doc)?;
    let draft = match change {
        Change::Replace(body) => user::parse(&body_json(body)?)?,
        Change::Patch(body) => {
            patch::apply(&mut doc, &body_json(body)?, &[ENTERPRISE_USER])?;
            user::parse(&doc)?
        }
    };
    commands::update_user(caller, &now, draft).await?;
    let updated = read::user(caller, id).await?;
    Ok(resource(StatusCode::OK, &user::render(&updated, &base)))
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
            let now = read::user(caller, resource_id(&id, "user")?).await?;
            check_if_match(&request, &user::render(&now, &base_url(&request)))?;
            if now.person.offboarded_at.is_none() {
                commands::offboard_user(caller, now.person.id).await?;
            }
            Ok(HttpResponse::NoContent().finish())
        }
        .await,
    )
}
