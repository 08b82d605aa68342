//! `Organization`: the tenant.

use super::*;

/// An organization (tenant): everything else belongs to exactly one.
pub struct Organization(pub OrganizationRow);

#[Object]
impl Organization {
    pub async fn id(&self) -> ID {
        encode_id("Organization", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The person who created the organization; an admin from the start.
    async fn founding_admin(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_by_id(ctx, self.0.founding_admin_id).await.gql()
    }
    /// Functions nobody holds anywhere in the organization right now.
    #[graphql(complexity = 25)]
    async fn coverage(&self, ctx: &Context<'_>) -> async_graphql::Result<Coverage> {
        coverage_of(ctx, self.0.id, None).await.gql()
    }
}
