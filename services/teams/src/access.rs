//! Who may change team structure, and the batch loader every teams resolver reads
//! through (confined to the caller's organization).

use async_graphql::dataloader::DataLoader;
use async_graphql::Context;
use chorus_api::{principal, refuse_over_websocket, runtime, ApiError, ApiResult, Principal};

use crate::read::TeamsLoader;

/// Organization admins (founding admin or senior management at organization scope), or
/// service accounts with `teams:write`.
pub async fn require_admin<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    refuse_over_websocket(ctx)?;
    let principal = principal(ctx)?;
    let allowed = match principal.person_id() {
        Some(person) => {
            crate::read::is_admin(&runtime(ctx)?.db, principal.organization_id, person).await?
        }
        None => principal.has_scope("teams:write"),
    };
    if allowed {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "only organization admins may change team structure",
        ))
    }
}

/// The request's batch loader ([`crate::TeamsModule`] puts it in every request's data).
pub fn loader<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a DataLoader<TeamsLoader>> {
    ctx.data::<DataLoader<TeamsLoader>>()
        .map_err(|_| ApiError::internal(&"loader missing"))
}
