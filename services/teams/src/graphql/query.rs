//! `TeamsQuery`: the context's root query fields and their filters.

use async_graphql::OutputType;
use chorus_kernel::Db;

use super::*;

/// Filters for `teams`.
#[derive(InputObject, Default)]
pub struct TeamFilterInput {
    /// Only sub-teams of this team.
    pub(crate) parent_id: Option<ID>,
    /// Only teams without a parent.
    #[graphql(default = false)]
    pub(crate) top_level_only: bool,
    #[graphql(default = false)]
    pub(crate) include_archived: bool,
    /// Case-insensitive substring of the name.
    pub(crate) name_contains: Option<String>,
}

/// Filters for `people`.
#[derive(InputObject, Default)]
pub struct PersonFilterInput {
    pub(crate) affiliation: Option<Affiliation>,
    #[graphql(default = false)]
    pub(crate) include_offboarded: bool,
    /// Case-insensitive substring of the display name.
    pub(crate) name_contains: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) external_id: Option<String>,
}

/// Filters for `channels`.
#[derive(InputObject, Default)]
pub struct ChannelFilterInput {
    pub(crate) team_id: Option<ID>,
    pub(crate) network: Option<SocialNetwork>,
    #[graphql(default = false)]
    pub(crate) include_retired: bool,
}

/// A root list's filter input, and the query that reads a page of the list it filters.
trait RootList: Default {
    type Row: PageKey;
    async fn rows(self, db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<Self::Row>>;
}

/// A page of one of the organization's lists, for a reader.
async fn root_list<F: RootList, N: OutputType>(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: Option<F>,
    node: impl Fn(F::Row) -> N,
) -> ApiResult<Connection<String, N>> {
    let org = require_reader(ctx)?.organization_id;
    let filter = filter.unwrap_or_default();
    paged(ctx, first, after, node, |db, page| {
        filter.rows(db, org, page)
    })
    .await
}

impl RootList for TeamFilterInput {
    type Row = TeamRow;

    async fn rows(self, db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<TeamRow>> {
        teams_page(db, org, &self.parse()?, page).await
    }
}

impl TeamFilterInput {
    fn parse(self) -> ApiResult<TeamFilter> {
        Ok(TeamFilter {
            parent_id: self
                .parent_id
                .as_ref()
                .map(|id| decode_id("Team", "filter.parentId", id))
                .transpose()?,
            top_level_only: self.top_level_only,
            include_archived: self.include_archived,
            name_contains: search_filter("filter.nameContains", self.name_contains, 120)?,
        })
    }
}

impl RootList for PersonFilterInput {
    type Row = PersonRow;

    async fn rows(self, db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<PersonRow>> {
        people_page(db, org, &self.parse()?, page).await
    }
}

impl PersonFilterInput {
    fn parse(self) -> ApiResult<PersonFilter> {
        Ok(PersonFilter {
            affiliation: self
                .affiliation
                .map(|a| domain::Affiliation::from(a).as_str().to_owned()),
            include_offboarded: self.include_offboarded,
            name_contains: search_filter("filter.nameContains", self.name_contains, 200)?,
            email: search_filter("filter.email", self.email, 254)?,
            external_id: search_filter("filter.externalId", self.external_id, 200)?,
        })
    }
}

impl RootList for ChannelFilterInput {
    type Row = ChannelRow;

    async fn rows(self, db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<ChannelRow>> {
        channels_page(db, org, &self.parse()?, page).await
    }
}

impl ChannelFilterInput {
    fn parse(self) -> ApiResult<ChannelFilter> {
        Ok(ChannelFilter {
            team_id: self
                .team_id
                .as_ref()
                .map(|id| decode_id("Team", "filter.teamId", id))
                .transpose()?,
            network: self
                .network
                .map(|n| domain::SocialNetwork::from(n).as_str().to_owned()),
            include_retired: self.include_retired,
        })
    }
}

/// For a reader, the object of kind `kind` that the global `id` names, looked up by
/// `load`.
async fn by_global_id<'a, 'b, T, F>(
    ctx: &'a Context<'b>,
    kind: &str,
    id: &ID,
    load: impl FnOnce(&'a Context<'b>, Uuid) -> F,
) -> ApiResult<Option<T>>
where
    F: std::future::Future<Output = ApiResult<Option<T>>>,
{
    require_reader(ctx)?;
    load(ctx, decode_id(kind, "id", id)?).await
}

#[derive(Default)]
pub struct TeamsQuery;

#[Object]
impl TeamsQuery {
    /// The caller: person or service account, and their organization.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
        let principal = require_reader(ctx).gql()?.clone();
        Ok(Viewer { principal })
    }

    /// The caller's organization.
    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organization>> {
        async {
            let principal = require_reader(ctx)?;
            Ok(
                read::organization(&runtime(ctx)?.db, principal.organization_id)
                    .await?
                    .map(Organization),
            )
        }
        .await
        .gql()
    }

    async fn team(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Team>> {
        by_global_id(ctx, "Team", &id, team_by_id).await.gql()
    }

    async fn person(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Person>> {
        by_global_id(ctx, "Person", &id, person_by_id).await.gql()
    }

    async fn channel(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Channel>> {
        by_global_id(ctx, "Channel", &id, channel_by_id).await.gql()
    }

    /// Teams of the organization, oldest first.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn teams(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<TeamFilterInput>,
    ) -> async_graphql::Result<Connection<String, Team>> {
        root_list(ctx, first, after, filter, Team).await.gql()
    }

    /// People of the organization, oldest first.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<PersonFilterInput>,
    ) -> async_graphql::Result<Connection<String, Person>> {
        root_list(ctx, first, after, filter, Person).await.gql()
    }

    /// Social accounts of the organization, oldest first.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn channels(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ChannelFilterInput>,
    ) -> async_graphql::Result<Connection<String, Channel>> {
        root_list(ctx, first, after, filter, Channel).await.gql()
    }

    /// Recommended functions nobody holds: in one team when `teamId` is given, else in
    /// the whole organization.
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        team_id: Option<ID>,
    ) -> async_graphql::Result<Coverage> {
        async {
            let principal = require_reader(ctx)?;
            let team = match &team_id {
                Some(id) => Some(existing_team(ctx, "teamId", id).await?.id),
                None => None,
            };
            coverage_of(ctx, principal.organization_id, team).await
        }
        .await
        .gql()
    }

    /// Who held `function` in team `teamId` at instant `at` (default: now).
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn role_holders(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
        function: RoleFunction,
        at: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, RoleAssignment>> {
        async {
            let org = require_reader(ctx)?.organization_id;
            let team = existing_team(ctx, "teamId", &team_id).await?.id;
            let at = at.unwrap_or_else(chorus_kernel::now);
            let function = function.into();
            let holders = |db, page| role_holders(db, org, team, function, at, page);
            paged(ctx, first, after, RoleAssignment, holders).await
        }
        .await
        .gql()
    }

    /// A team's members, their roles and reporting lines as they were at instant `at`.
    async fn team_structure_as_of(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<TeamStructureSnapshot> {
        async {
            require_reader(ctx)?;
            let team = existing_team(ctx, "teamId", &team_id).await?;
            Ok(TeamStructureSnapshot { team, at })
        }
        .await
        .gql()
    }
}
