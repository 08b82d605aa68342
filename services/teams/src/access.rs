//! Who may change team structure, and the batch loader every teams resolver reads
//! through (confined to the caller's organization).

use async_graphql::dataloader::DataLoader;
use async_graphql::Context;
use chorus_api::{principal, refuse_over_websocket, ApiError, ApiResult, Caller, Principal};

use crate::read::{admin_now, CallerKey, TeamsLoader, CALLERS};

/// Organization admins (founding admin or senior management at organization scope), or
/// service accounts with `teams:write`.
pub async fn require_admin<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    refuse_over_websocket(ctx)?;
    ensure_admin(Caller::of(ctx)?).await?;
    principal(ctx)
}

/// Refuses a caller who may not change team structure: people who are not organization
/// admins, and service accounts without `teams:write`.
pub async fn ensure_admin(caller: Caller<'_>) -> ApiResult<()> {
    let principal = caller.principal;
    let allowed = match principal.person_id() {
        Some(person) => {
            // Asked by every mutation: cached, dropped when a role of the person changes
            // or they are offboarded (see `read::callers`).
            let org = principal.organization_id;
            let key = CallerKey::Admin(org, person);
            let read = admin_now(&caller.runtime.db, org, person);
            CALLERS.answer(caller.runtime, key, read).await?
        }
        None => principal.has_scope("teams:write"),
    };
    if allowed {
        Ok(())
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
