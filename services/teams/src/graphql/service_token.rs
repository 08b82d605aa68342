//! `ServiceToken`, the `serviceTokens` query and the `revokeServiceToken` mutation.

use super::*;
use crate::read::{tokens_page, ServiceTokenRow};

/// A bearer token of one of the organization's service accounts (never the token itself:
/// it is shown once, when issued).
pub struct ServiceToken(pub ServiceTokenRow);

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
        person_if_any(ctx, self.0.issued_by).await.gql()
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
        person_if_any(ctx, self.0.revoked_by).await.gql()
    }
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
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
            let org = require_admin(ctx).await?.organization_id;
            let tokens = |db, page| tokens_page(db, org, include_revoked, page);
            paged(ctx, first, after, ServiceToken, tokens).await
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
            let (caller, key) = Caller::for_mutation(
                ctx,
                "revokeServiceToken",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let token_id = decode_id("ServiceToken", "tokenId", &input.token_id)?;
            let reason = parse_opt("reason", &input.reason)?;
            let revoke = commands::RevokeServiceToken { token_id, reason };
            let outcome = commands::run(caller, revoke, key).await?;
            let row = read::token(&caller.runtime.db, caller.organization_id(), token_id).await?;
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
