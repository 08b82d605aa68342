//! Service-account tokens: registered when issued (`chorus token --organization`),
//! listed and revoked one by one by the organization's admins (GraphQL) or an operator
//! (`chorus tokens`). A token signed with the local key is accepted only while its
//! registration stands ([`registered`]).

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chorus_kernel::{fetch_all, on_read, Db};
use chorus_teams_domain as domain;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::graphql::Person;
use super::read::{Page, PersonById};
use crate::access::{loader, require_admin};
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{
    connection, decode_id, encode_id, execute, idempotency, page, page_complexity, replayed,
    runtime, seal, LogPositionScalar,
};

/// A registered token, as the read model holds it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ServiceTokenRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub service_account_id: Uuid,
    pub scopes: String,
    pub description: Option<String>,
    pub issued_by: Option<Uuid>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

const SELECT: &str =
    "SELECT id, organization_id, service_account_id, scopes, description, issued_by, \
     issued_at, expires_at, revoked_at, revoked_by, revoke_reason FROM service_tokens";

/// Whether the token `token_id` of `service_account_id` in `organization_id` is
/// registered and not revoked.
pub async fn registered(
    db: &Db,
    organization_id: Uuid,
    service_account_id: Uuid,
    token_id: Uuid,
) -> ApiResult<bool> {
    let row: Option<(Option<DateTime<Utc>>,)> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT revoked_at FROM service_tokens WHERE id = $1 AND organization_id = $2 \
             AND service_account_id = $3",
        )
        .bind(token_id)
        .bind(organization_id)
        .bind(service_account_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(matches!(row, Some((None,))))
}

/// One token of `organization_id`.
pub async fn token(db: &Db, organization_id: Uuid, id: Uuid) -> ApiResult<Option<ServiceTokenRow>> {
    let sql = format!("{SELECT} WHERE organization_id = $1 AND id = $2");
    Ok(on_read!(db, pool => {
        sqlx::query_as::<_, ServiceTokenRow>(&sql)
            .bind(organization_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
    }))
}

/// A page of `organization_id`'s tokens, by id.
pub async fn tokens_page(
    db: &Db,
    organization_id: Uuid,
    include_revoked: bool,
    page: Page,
) -> ApiResult<Vec<ServiceTokenRow>> {
    Ok(fetch_all!(db, ServiceTokenRow, |qb| {
        qb.push(SELECT);
        qb.push(" WHERE organization_id = ")
            .push_bind(organization_id);
        if !include_revoked {
            qb.push(" AND revoked_at IS NULL");
        }
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}

/// A bearer token of one of the organization's service accounts (never the token itself:
/// it is shown once, when issued).
pub struct ServiceToken(ServiceTokenRow);

#[Object]
impl ServiceToken {
    async fn id(&self) -> ID {
        encode_id("ServiceToken", self.0.id)
    }
    /// The service account the token speaks for (the `sub` of the token).
    async fn service_account_id(&self) -> ID {
        encode_id("ServiceAccount", self.0.service_account_id)
    }
    /// What the token may do: `teams:read`, `teams:write`, `content:publish`,
    /// `compliance:export`.
    async fn scopes(&self) -> Vec<String> {
        self.0
            .scopes
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }
    /// What the token is for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The person who issued it (null when an operator did, from the command line).
    async fn issued_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.issued_by).await.gql()
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// Whether the token is accepted now: not revoked and not expired.
    async fn active(&self) -> bool {
        self.0.revoked_at.is_none() && self.0.expires_at > chorus_kernel::now()
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// The person who revoked it (null when an operator did).
    async fn revoked_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.revoked_by).await.gql()
    }
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
}

async fn person(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Person>> {
    match id {
        Some(id) => Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person)),
        None => Ok(None),
    }
}

#[derive(Default)]
pub struct ServiceTokensQuery;

#[Object]
impl ServiceTokensQuery {
    /// The organization's service-account tokens (admins only), oldest first; revoked
    /// ones only when asked for.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn service_tokens(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] include_revoked: bool,
    ) -> async_graphql::Result<Connection<String, ServiceToken>> {
        async {
            let principal = require_admin(ctx).await?;
            let page = page(ctx, first, after)?;
            let rows = tokens_page(
                &runtime(ctx)?.db,
                principal.organization_id,
                include_revoked,
                page,
            )
            .await?;
            Ok(connection(rows, page, |r| r.id, ServiceToken))
        }
        .await
        .gql()
    }
}

/// Input of `revokeServiceToken`.
#[derive(InputObject, Serialize)]
pub struct RevokeServiceTokenInput {
    token_id: ID,
    /// Why, for the record.
    reason: Option<String>,
    idempotency_key: Option<String>,
}

/// Result of `revokeServiceToken`.
#[derive(SimpleObject)]
pub struct ServiceTokenPayload {
    /// The token, now revoked.
    service_token: Option<ServiceToken>,
    /// Position of the revocation in the log.
    position: LogPositionScalar,
    /// True when the idempotency key matched an earlier request and nothing new was written.
    replayed: bool,
}

#[derive(Default)]
pub struct ServiceTokensMutation;

#[Object]
impl ServiceTokensMutation {
    /// Revokes one service-account token (admins only): every request with it is refused
    /// from the moment this answers, and its open subscriptions end.
    async fn revoke_service_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeServiceTokenInput,
    ) -> async_graphql::Result<ServiceTokenPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "revokeServiceToken",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let token_id = decode_id("ServiceToken", "tokenId", &input.token_id)?;
            let outcome = match replayed(ctx, &key).await? {
                Some(outcome) => outcome,
                None => {
                    let db = &runtime(ctx)?.db;
                    if token(db, principal.organization_id, token_id)
                        .await?
                        .is_none()
                    {
                        return Err(ApiError::NotFound("service token"));
                    }
                    let reason = input
                        .reason
                        .as_deref()
                        .map(domain::Reason::try_from)
                        .transpose()?;
                    execute::<domain::ServiceToken>(
                        ctx,
                        token_id,
                        domain::ServiceTokenCommand::RevokeServiceToken {
                            reason,
                            revoked_by: principal.person_id(),
                            now: chorus_kernel::now(),
                        },
                        key,
                    )
                    .await?
                }
            };
            let row = token(&runtime(ctx)?.db, principal.organization_id, token_id).await?;
            Ok(ServiceTokenPayload {
                service_token: row.map(ServiceToken),
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }
}
