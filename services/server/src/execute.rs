//! One GraphQL request over HTTP, once its caller is authenticated: the
//! `Chorus-Consistent-With` wait, the kept answer if there is one
//! ([`chorus_api::responses`]), execution on the schema that fits the request, and a code
//! on every error.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::{BatchRequest, BatchResponse, ServerError};
use chorus_api::responses;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::graphql::budget::RequestBudget;
use crate::graphql::{request_data, Schemas};
use crate::http::{http_status, CONSISTENT_WITH};
use crate::state::AppState;

/// Honors `Chorus-Consistent-With`: waits until the read models include the position
/// sealed in the token (a token of the caller's organization, [`crate::positions`]).
async fn await_consistency(
    state: &AppState,
    request: &HttpRequest,
    organization_id: Uuid,
) -> Result<(), ApiError> {
    let Some(value) = request.headers().get(CONSISTENT_WITH) else {
        return Ok(());
    };
    let invalid = || {
        ApiError::bad_input(
            CONSISTENT_WITH,
            "must be a position returned to your organization by this API",
        )
    };
    let position = value
        .to_str()
        .ok()
        .and_then(|token| state.positions.open(organization_id, token))
        .ok_or_else(invalid)?;
    match state.reader.position_of(position).await? {
        Some(position) => state.wait_for(position).await,
        None => Err(invalid()),
    }
}

/// What a GraphQL request is answered with: an executed response, or the serialized
/// answer kept for the same request ([`chorus_api::responses`]).
pub(crate) enum Answer {
    Executed(BatchResponse),
    Serialized(Vec<u8>),
}

pub(crate) async fn execute(
    state: &Arc<AppState>,
    schemas: &Schemas,
    http: &HttpRequest,
    principal: Principal,
    batch: BatchRequest,
) -> Result<Answer, (actix_web::http::StatusCode, ApiError)> {
    use actix_web::http::StatusCode;
    if let BatchRequest::Batch(requests) = &batch {
        let max = state.config.limits.max_batch;
        if requests.len() > max {
            return Err((
                StatusCode::BAD_REQUEST,
                ApiError::bad_input("batch", format!("at most {max} operations per request")),
            ));
        }
    }
    await_consistency(state, http, principal.organization_id)
        .await
        .map_err(|e| (http_status(&e), e))?;
    // Each operation of a batch gets its own loader (its own cache); they share the
    // request's budget.
    let limits = &state.config.limits;
    let budget = RequestBudget::new(limits.max_complexity, limits.max_aliases);
    let with_data = |mut request: async_graphql::Request| {
        request_data(state, principal.clone(), &mut request.data);
        request.data(budget.clone())
    };
    let mut response = match batch {
        BatchRequest::Single(mut request) => {
            let key = responses::ResponseKey::of(&principal, &request);
            if let Some(key) = &key {
                if let Some(kept) = responses::lookup(&state.runtime, &principal, key).await {
                    return Ok(Answer::Serialized(kept.body.clone()));
                }
            }
            if let Err(error) =
                crate::graphql::budget::charge_single(&mut request, limits.max_aliases)
            {
                let response = async_graphql::Response::from_errors(vec![error]);
                return Ok(answered(BatchResponse::Single(response)));
            }
            let operation = request.operation_name.clone();
            let candidate = request.parsed_query().is_ok_and(|document| {
                responses::is_candidate(&schemas.keep_roots, document, operation.as_deref())
            });
            match key.filter(|_| candidate) {
                Some(key) => {
                    return Ok(execute_keeping(state, schemas, key, with_data(request)).await)
                }
                None => BatchResponse::Single(schemas.lean.execute(with_data(request)).await),
            }
        }
        BatchRequest::Batch(requests) => {
            let batch = BatchRequest::Batch(requests.into_iter().map(with_data).collect());
            schemas.budgeted.execute_batch(batch).await
        }
    };
    ensure_codes(&mut response);
    Ok(Answer::Executed(response))
}

fn answered(mut response: BatchResponse) -> Answer {
    ensure_codes(&mut response);
    Answer::Executed(response)
}

/// Executes a request whose answer may be kept, watching what it resolves, and keeps the
/// answer when everything it resolved allows it.
async fn execute_keeping(
    state: &AppState,
    schemas: &Schemas,
    key: responses::ResponseKey,
    request: async_graphql::Request,
) -> Answer {
    let ticket = responses::begin(&state.runtime, &key).await;
    let keeping = Arc::new(responses::Keeping::default());
    let response = schemas.keeping.execute(request.data(keeping.clone())).await;
    if !response.errors.is_empty() {
        return answered(BatchResponse::Single(response));
    }
    match serde_json::to_vec(&response) {
        Ok(body) => {
            responses::finish(ticket, key, &keeping, &body);
            Answer::Serialized(body)
        }
        Err(_) => answered(BatchResponse::Single(response)),
    }
}

/// Every error leaves with a code: async-graphql's own (parse, validation, limits) get
/// one here; resolver errors already carry theirs.
fn ensure_codes(response: &mut BatchResponse) {
    let responses: Vec<&mut async_graphql::Response> = match response {
        BatchResponse::Single(r) => vec![r],
        BatchResponse::Batch(rs) => rs.iter_mut().collect(),
    };
    for response in responses {
        for error in &mut response.errors {
            add_code(error);
        }
    }
}

fn add_code(error: &mut ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if !has_code {
        // async-graphql reports an argument it could not coerce (e.g. a malformed
        // DateTime) from inside the field, with a path: that is the client's input.
        let code = if error.message.starts_with("Failed to parse") {
            "BAD_USER_INPUT"
        } else if error.path.is_empty() {
            "GRAPHQL_VALIDATION_FAILED"
        } else {
            "INTERNAL"
        };
        if code == "INTERNAL" {
            tracing::error!(message = %error.message, "resolver error without a code");
            error.message = "internal error".into();
        }
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

pub(crate) fn respond(answer: Answer) -> HttpResponse {
    let mut http = HttpResponse::Ok();
    http.insert_header((header::CACHE_CONTROL, "no-store"));
    let body = match answer {
        Answer::Serialized(body) => Ok(body),
        Answer::Executed(response) => serde_json::to_vec(&response),
    };
    match body {
        Ok(body) => http.content_type("application/json").body(body),
        Err(error) => {
            tracing::error!(%error, "response serialization failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
