//! `Person`, `RoleAssignment` and `RoleScope`.

use super::*;

/// A person of the organization: employee or external (agency, consultant, freelancer).
pub struct Person(pub PersonRow);

#[Object]
impl Person {
    pub async fn id(&self) -> ID {
        encode_id("Person", self.0.id)
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn affiliation(&self) -> async_graphql::Result<Affiliation> {
        Affiliation::from_stored("people", "affiliation", &self.0.affiliation).gql()
    }
    /// The id of this person in an HR system.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    async fn status(&self) -> PersonStatus {
        if self.0.offboarded_at.is_some() {
            PersonStatus::Offboarded
        } else {
            PersonStatus::Active
        }
    }
    async fn offboarded_at(&self) -> Option<DateTime<Utc>> {
        self.0.offboarded_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Whom this person reports to now.
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        manager_of(ctx, self.0.id).await.gql()
    }
    /// People who report directly to this person now.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Person>> {
        paged(ctx, first, after, Person, |_, page| async move {
            let loader = loader(ctx)?;
            let ids = loader
                .load_one(ReportsOf(self.0.id, page))
                .await?
                .unwrap_or_default();
            let people = loader
                .load_many(ids.iter().map(|id| PersonById(*id)))
                .await?;
            Ok(ids
                .iter()
                .filter_map(|id| people.get(&PersonById(*id)).cloned())
                .collect())
        })
        .await
        .gql()
    }
    /// The person's role assignments: active now, or every one ever made.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> async_graphql::Result<Connection<String, RoleAssignment>> {
        let key = |page| RolesOf(self.0.id, include_inactive, page);
        batched(ctx, first, after, RoleAssignment, key).await.gql()
    }
}

/// A role held by a person within a scope over a period: valid from `validFrom` until
/// `validTo` (open while it is null).
pub struct RoleAssignment(pub RoleRow);

#[Object]
impl RoleAssignment {
    pub async fn id(&self) -> ID {
        encode_id("RoleAssignment", self.0.id)
    }
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_by_id(ctx, self.0.person_id).await.gql()
    }
    async fn function(&self) -> async_graphql::Result<RoleFunction> {
        RoleFunction::from_stored("role_assignments", "function", &self.0.function).gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        let stored = self.0.responsibility.as_deref();
        decode_stored_opt::<domain::Responsibility>("role_assignments", "responsibility", stored)
            .map(|r| r.map(Responsibility::from))
            .gql()
    }
    async fn scope(&self) -> async_graphql::Result<RoleScope> {
        Ok(RoleScope {
            kind: ScopeKind::from_stored("role_assignments", "scope_kind", &self.0.scope_kind)
                .gql()?,
            scope_id: self.0.scope_id,
        })
    }
    async fn valid_from(&self) -> DateTime<Utc> {
        self.0.valid_from
    }
    async fn valid_to(&self) -> Option<DateTime<Utc>> {
        self.0.valid_to
    }
    /// Whether the role is held right now.
    async fn active(&self) -> bool {
        self.0.active_at(chorus_kernel::now())
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Who granted the role (a person, or a service account's id when not a person).
    async fn granted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_if_any(ctx, self.0.granted_by).await.gql()
    }
    async fn revoked_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_if_any(ctx, self.0.revoked_by).await.gql()
    }
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
}

/// Where a role applies: the whole organization, one team or one channel.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RoleScope {
    pub(crate) kind: ScopeKind,
    #[graphql(skip)]
    pub(crate) scope_id: Uuid,
}

#[ComplexObject]
impl RoleScope {
    /// The team, when the scope is a team.
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        if self.kind != ScopeKind::Team {
            return Ok(None);
        }
        team_by_id(ctx, self.scope_id).await.gql()
    }
    /// The channel, when the scope is a channel.
    async fn channel(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Channel>> {
        if self.kind != ScopeKind::Channel {
            return Ok(None);
        }
        channel_by_id(ctx, self.scope_id).await.gql()
    }
}
