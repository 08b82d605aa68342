//! `Viewer`: the caller.

use super::*;

/// Who is calling.
pub struct Viewer {
    pub(crate) principal: chorus_api::Principal,
}

#[Object]
impl Viewer {
    /// The person behind the token (null for service accounts).
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_if_any(ctx, self.principal.person_id()).await.gql()
    }
    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organization>> {
        async {
            Ok(
                read::organization(&runtime(ctx)?.db, self.principal.organization_id)
                    .await?
                    .map(Organization),
            )
        }
        .await
        .gql()
    }
    /// Whether the caller may manage teams, people and roles.
    async fn is_admin(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(require_admin(ctx).await.is_ok())
    }
    /// Scopes of a service-account token.
    async fn scopes(&self) -> Vec<String> {
        let mut scopes: Vec<String> = self.principal.scopes.iter().cloned().collect();
        scopes.sort();
        scopes
    }
}
