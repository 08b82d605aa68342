//! The teams slice of the GraphQL schema: organizations, teams, people, role
//! assignments, reporting lines, channels, coverage and time travel.

use async_graphql::connection::Connection;
use async_graphql::{
    ComplexObject, Context, Enum, InputObject, Interface, Object, SimpleObject, ID,
};
use chorus_teams_domain as domain;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::read::{self, *};
use crate::access::{loader, require_admin};
use crate::commands;
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::{
    connection, decode_any_id, decode_id, encode_id, execute, idempotency, page, require_reader,
    runtime, seal, LogPositionScalar,
};
use chorus_api::{outcome_uuid, page_complexity};
use chorus_api::{replayed, Caller};

// ---------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ty { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize)]
        pub enum $name { $($variant),* }
        impl From<$name> for $domain {
            fn from(value: $name) -> Self { match value { $($name::$variant => <$domain>::$variant),* } }
        }
        impl From<$domain> for $name {
            fn from(value: $domain) -> Self { match value { $(<$domain>::$variant => $name::$variant),* } }
        }
        impl $name {
            /// Parses the stored (SCREAMING_SNAKE_CASE) form.
            fn from_stored(value: &str) -> ApiResult<Self> {
                value.parse::<$domain>().map(Self::from).map_err(|e| ApiError::internal(&e))
            }
        }
    };
}

mirror_enum!(
    /// How a person is attached to the organization.
    Affiliation => domain::Affiliation { Internal, Agency, Consultant, Freelancer }
);
mirror_enum!(
    /// A function a social media team needs represented.
    RoleFunction => domain::RoleFunction { SeniorManagement, SocialMedia, Marketing, PublicRelations, CustomerService, Sales, Creative, Technology, Production, Analytics, HumanResources, Legal }
);
mirror_enum!(
    /// A responsibility within a function.
    Responsibility => domain::Responsibility { Strategist, SocialMediaManager, ContentDeveloper, InfluencerRelations, ProductMarketing, MetricsAnalyst, LegalUgcCounsel, LegalPrivacySecurityCounsel }
);
mirror_enum!(
    /// A social network an organization account lives on.
    SocialNetwork => domain::SocialNetwork { X, Facebook, Instagram, Linkedin, Tiktok, Youtube, Threads, Bluesky, Mastodon, Pinterest, Reddit, Other }
);
mirror_enum!(
    /// Where a role applies.
    ScopeKind => domain::ScopeKind { Organization, Team, Channel }
);

/// Whether a person is still with the organization.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PersonStatus {
    Active,
    Offboarded,
}

// ---------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    Organization(Organization),
    Team(Team),
    Person(Person),
    RoleAssignment(RoleAssignment),
    Channel(Channel),
}

/// An organization (tenant): everything else belongs to exactly one.
pub struct Organization(pub OrganizationRow);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
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

/// A team: a division, a department or a virtual team.
pub struct Team(pub TeamRow);

#[Object]
impl Team {
    async fn id(&self) -> ID {
        encode_id("Team", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// The division this team belongs to, if any.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        match self.0.parent_id {
            Some(id) => team_by_id(ctx, id).await.gql(),
            None => Ok(None),
        }
    }
    /// Active sub-teams.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Team>> {
        async {
            let page = page(ctx, first, after)?;
            let rows = loader(ctx)?
                .load_one(ChildrenOf(self.0.id, page))
                .await?
                .unwrap_or_default();
            Ok(connection(rows, page, |r| r.id, Team))
        }
        .await
        .gql()
    }
    /// People holding at least one role in this team's scope now, with those roles.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, TeamMember>> {
        async {
            let page = page(ctx, first, after)?;
            let ids = loader(ctx)?
                .load_one(MembersOf(self.0.id, page))
                .await?
                .unwrap_or_default();
            let team_id = self.0.id;
            Ok(connection(
                ids,
                page,
                |id| *id,
                |person_id| TeamMember { team_id, person_id },
            ))
        }
        .await
        .gql()
    }
    /// The team's social accounts.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn channels(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] include_retired: bool,
    ) -> async_graphql::Result<Connection<String, Channel>> {
        async {
            let page = page(ctx, first, after)?;
            let rows = loader(ctx)?
                .load_one(ChannelsOf(self.0.id, include_retired, page))
                .await?
                .unwrap_or_default();
            Ok(connection(rows, page, |r| r.id, Channel))
        }
        .await
        .gql()
    }
    /// Recommended functions nobody holds now in this team, its sub-teams or their channels.
    #[graphql(complexity = 25)]
    async fn coverage(&self, ctx: &Context<'_>) -> async_graphql::Result<Coverage> {
        coverage_of(ctx, self.0.organization_id, Some(self.0.id))
            .await
            .gql()
    }
}

/// A member of a team: a person and the roles they hold in the team's scope.
pub struct TeamMember {
    team_id: Uuid,
    person_id: Uuid,
}

#[Object]
impl TeamMember {
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_by_id(ctx, self.person_id).await.gql()
    }
    /// The member's active roles in this team (a handful at most).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleAssignment>> {
        async {
            let key = TeamRolesOf {
                team: self.team_id,
                person: self.person_id,
            };
            Ok(loader(ctx)?
                .load_one(key)
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(RoleAssignment)
                .collect())
        }
        .await
        .gql()
    }
    /// Whom the member reports to now.
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        manager_of(ctx, self.person_id).await.gql()
    }
}

/// A person of the organization: employee or external (agency, consultant, freelancer).
pub struct Person(pub PersonRow);

#[Object]
impl Person {
    async fn id(&self) -> ID {
        encode_id("Person", self.0.id)
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn affiliation(&self) -> async_graphql::Result<Affiliation> {
        Affiliation::from_stored(&self.0.affiliation).gql()
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
        async {
            let page = page(ctx, first, after)?;
            let ids = loader(ctx)?
                .load_one(ReportsOf(self.0.id, page))
                .await?
                .unwrap_or_default();
            let people = loader(ctx)?
                .load_many(ids.iter().map(|id| PersonById(*id)))
                .await?;
            let rows: Vec<PersonRow> = ids
                .iter()
                .filter_map(|id| people.get(&PersonById(*id)).cloned())
                .collect();
            Ok(connection(rows, page, |r| r.id, Person))
        }
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
        async {
            let page = page(ctx, first, after)?;
            let rows = loader(ctx)?
                .load_one(RolesOf(self.0.id, include_inactive, page))
                .await?
                .unwrap_or_default();
            Ok(connection(rows, page, |r| r.id, RoleAssignment))
        }
        .await
        .gql()
    }
}

/// A role held by a person within a scope over a period: valid from `validFrom` until
/// `validTo` (open while it is null).
pub struct RoleAssignment(pub RoleRow);

#[Object]
impl RoleAssignment {
    async fn id(&self) -> ID {
        encode_id("RoleAssignment", self.0.id)
    }
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person_by_id(ctx, self.0.person_id).await.gql()
    }
    async fn function(&self) -> async_graphql::Result<RoleFunction> {
        RoleFunction::from_stored(&self.0.function).gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        self.0
            .responsibility
            .as_deref()
            .map(Responsibility::from_stored)
            .transpose()
            .gql()
    }
    async fn scope(&self) -> async_graphql::Result<RoleScope> {
        Ok(RoleScope {
            kind: ScopeKind::from_stored(&self.0.scope_kind).gql()?,
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
        match self.0.granted_by {
            Some(id) => person_by_id(ctx, id).await.gql(),
            None => Ok(None),
        }
    }
    async fn revoked_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        match self.0.revoked_by {
            Some(id) => person_by_id(ctx, id).await.gql(),
            None => Ok(None),
        }
    }
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
}

/// Where a role applies: the whole organization, one team or one channel.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RoleScope {
    kind: ScopeKind,
    #[graphql(skip)]
    scope_id: Uuid,
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

/// A social account of the organization, owned by a team.
pub struct Channel(pub ChannelRow);

#[Object]
impl Channel {
    async fn id(&self) -> ID {
        encode_id("Channel", self.0.id)
    }
    async fn network(&self) -> async_graphql::Result<SocialNetwork> {
        SocialNetwork::from_stored(&self.0.network).gql()
    }
    async fn handle(&self) -> &str {
        &self.0.handle
    }
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        team_by_id(ctx, self.0.team_id).await.gql()
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
}

/// Which recommended functions are represented, and which have nobody.
#[derive(SimpleObject)]
pub struct Coverage {
    /// Functions at least one person holds.
    covered: Vec<RoleFunction>,
    /// Recommended functions nobody holds.
    missing: Vec<RoleFunction>,
}

/// Who is calling.
pub struct Viewer {
    principal: chorus_api::Principal,
}

#[Object]
impl Viewer {
    /// The person behind the token (null for service accounts).
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        match self.principal.person_id() {
            Some(id) => person_by_id(ctx, id).await.gql(),
            None => Ok(None),
        }
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

/// A team's structure at a past instant.
pub struct TeamStructureSnapshot {
    team: TeamRow,
    at: DateTime<Utc>,
}

/// A member as of a past instant, with the roles and manager they had then.
#[derive(SimpleObject)]
pub struct MemberSnapshot {
    person: Person,
    roles: Vec<RoleAssignment>,
    manager: Option<Person>,
}

#[Object]
impl TeamStructureSnapshot {
    /// The team as it is now (names are not versioned; membership, roles, reporting
    /// lines, channels and sub-teams below are as of `at`).
    async fn team(&self) -> Team {
        Team(self.team.clone())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.at
    }
    /// Whether the team existed at that instant (created by then, not yet archived).
    async fn existed(&self) -> bool {
        self.team.created_at <= self.at
            && self
                .team
                .archived_at
                .is_none_or(|archived| archived > self.at)
    }
    /// The team's channels at that instant.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn channels(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Channel>> {
        async {
            let page = page(ctx, first, after)?;
            let rows = channels_at(
                &runtime(ctx)?.db,
                self.team.organization_id,
                self.team.id,
                self.at,
                page,
            )
            .await?;
            Ok(connection(rows, page, |r| r.id, Channel))
        }
        .await
        .gql()
    }
    /// The team's sub-teams at that instant.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Team>> {
        async {
            let page = page(ctx, first, after)?;
            let rows = children_at(
                &runtime(ctx)?.db,
                self.team.organization_id,
                self.team.id,
                self.at,
                page,
            )
            .await?;
            Ok(connection(rows, page, |r| r.id, Team))
        }
        .await
        .gql()
    }
    /// Members at that instant, each with the roles and reporting line in force then.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, MemberSnapshot>> {
        async {
            let page = page(ctx, first, after)?;
            let db = &runtime(ctx)?.db;
            let org = self.team.organization_id;
            let mut ids: Vec<Uuid> = members_at(db, org, &[self.team.id], self.at, page)
                .await?
                .into_iter()
                .map(|(_, person)| person)
                .collect();
            ids.truncate(usize::try_from(page.limit).unwrap_or_default());
            let (roles, lines) = if ids.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                (
                    team_roles_of(db, org, self.team.id, &ids, self.at).await?,
                    managers_at(db, org, &ids, self.at).await?,
                )
            };
            let mut wanted: Vec<Uuid> = ids.clone();
            wanted.extend(lines.iter().map(|l| l.manager_id));
            let people = loader(ctx)?
                .load_many(wanted.into_iter().map(PersonById))
                .await?;
            let snapshots: Vec<(Uuid, MemberSnapshot)> = ids
                .iter()
                .filter_map(|id| {
                    let person = people.get(&PersonById(*id))?.clone();
                    let manager = lines
                        .iter()
                        .find(|l| l.person_id == *id)
                        .and_then(|l| people.get(&PersonById(l.manager_id)).cloned())
                        .map(Person);
                    let roles = roles
                        .iter()
                        .filter(|r| r.person_id == *id)
                        .cloned()
                        .map(RoleAssignment)
                        .collect();
                    Some((
                        *id,
                        MemberSnapshot {
                            person: Person(person),
                            roles,
                            manager,
                        },
                    ))
                })
                .collect();
            Ok(connection(snapshots, page, |(id, _)| *id, |(_, s)| s))
        }
        .await
        .gql()
    }
}

// ---------------------------------------------------------------------------------------
// Shared lookups
// ---------------------------------------------------------------------------------------

async fn person_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

async fn team_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Team>> {
    Ok(loader(ctx)?.load_one(TeamById(id)).await?.map(Team))
}

async fn channel_by_id(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Channel>> {
    Ok(loader(ctx)?.load_one(ChannelById(id)).await?.map(Channel))
}

async fn manager_of(ctx: &Context<'_>, person: Uuid) -> ApiResult<Option<Person>> {
    match loader(ctx)?.load_one(ManagerOf(person)).await? {
        Some(manager) => person_by_id(ctx, manager).await,
        None => Ok(None),
    }
}

async fn coverage_of(ctx: &Context<'_>, org: Uuid, team: Option<Uuid>) -> ApiResult<Coverage> {
    let held = covered_functions(&runtime(ctx)?.db, org, team, chorus_kernel::now()).await?;
    let (covered, missing): (Vec<domain::RoleFunction>, Vec<domain::RoleFunction>) =
        domain::RECOMMENDED_FUNCTIONS
            .iter()
            .copied()
            .partition(|f| held.iter().any(|h| h == f.as_str()));
    Ok(Coverage {
        covered: covered.into_iter().map(RoleFunction::from).collect(),
        missing: missing.into_iter().map(RoleFunction::from).collect(),
    })
}

/// A loader without the request's cache, confined to the caller's organization.
fn fresh_loader(ctx: &Context<'_>) -> ApiResult<TeamsLoader> {
    Ok(TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: chorus_api::principal(ctx)?.organization_id,
    })
}

/// Loads a team of the caller's organization or fails with NOT_FOUND naming `field`.
async fn existing_team(ctx: &Context<'_>, field: &'static str, id: &ID) -> ApiResult<TeamRow> {
    let id = decode_id("Team", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[TeamById(id)])
        .await?
        .remove(&TeamById(id))
        .ok_or(ApiError::NotFound("team"))
}

async fn existing_person(ctx: &Context<'_>, field: &'static str, id: &ID) -> ApiResult<PersonRow> {
    let id = decode_id("Person", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[PersonById(id)])
        .await?
        .remove(&PersonById(id))
        .ok_or(ApiError::NotFound("person"))
}

async fn existing_channel(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<ChannelRow> {
    let id = decode_id("Channel", field, id)?;
    // Uncached: in a document with several mutations, an earlier one may have changed it.
    let fresh = fresh_loader(ctx)?;
    async_graphql::dataloader::Loader::load(&fresh, &[ChannelById(id)])
        .await?
        .remove(&ChannelById(id))
        .ok_or(ApiError::NotFound("channel"))
}

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

/// Filters for `teams`.
#[derive(InputObject, Default)]
pub struct TeamFilterInput {
    /// Only sub-teams of this team.
    parent_id: Option<ID>,
    /// Only teams without a parent.
    #[graphql(default = false)]
    top_level_only: bool,
    #[graphql(default = false)]
    include_archived: bool,
    /// Case-insensitive substring of the name.
    name_contains: Option<String>,
}

/// Filters for `people`.
#[derive(InputObject, Default)]
pub struct PersonFilterInput {
    affiliation: Option<Affiliation>,
    #[graphql(default = false)]
    include_offboarded: bool,
    /// Case-insensitive substring of the display name.
    name_contains: Option<String>,
    email: Option<String>,
    external_id: Option<String>,
}

/// Filters for `channels`.
#[derive(InputObject, Default)]
pub struct ChannelFilterInput {
    team_id: Option<ID>,
    network: Option<SocialNetwork>,
    #[graphql(default = false)]
    include_retired: bool,
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
        async {
            require_reader(ctx)?;
            team_by_id(ctx, decode_id("Team", "id", &id)?).await
        }
        .await
        .gql()
    }

    async fn person(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Person>> {
        async {
            require_reader(ctx)?;
            person_by_id(ctx, decode_id("Person", "id", &id)?).await
        }
        .await
        .gql()
    }

    async fn channel(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Channel>> {
        async {
            require_reader(ctx)?;
            channel_by_id(ctx, decode_id("Channel", "id", &id)?).await
        }
        .await
        .gql()
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
        async {
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let filter = filter.unwrap_or_default();
            let filter = TeamFilter {
                parent_id: filter
                    .parent_id
                    .as_ref()
                    .map(|id| decode_id("Team", "filter.parentId", id))
                    .transpose()?,
                top_level_only: filter.top_level_only,
                include_archived: filter.include_archived,
                name_contains: search_filter("filter.nameContains", filter.name_contains, 120)?,
            };
            let rows =
                teams_page(&runtime(ctx)?.db, principal.organization_id, &filter, page).await?;
            Ok(connection(rows, page, |r| r.id, Team))
        }
        .await
        .gql()
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
        async {
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let filter = filter.unwrap_or_default();
            let filter = PersonFilter {
                affiliation: filter
                    .affiliation
                    .map(|a| domain::Affiliation::from(a).as_str().to_owned()),
                include_offboarded: filter.include_offboarded,
                name_contains: search_filter("filter.nameContains", filter.name_contains, 200)?,
                email: search_filter("filter.email", filter.email, 254)?,
                external_id: search_filter("filter.externalId", filter.external_id, 200)?,
            };
            let rows =
                people_page(&runtime(ctx)?.db, principal.organization_id, &filter, page).await?;
            Ok(connection(rows, page, |r| r.id, Person))
        }
        .await
        .gql()
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
        async {
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let filter = filter.unwrap_or_default();
            let filter = ChannelFilter {
                team_id: filter
                    .team_id
                    .as_ref()
                    .map(|id| decode_id("Team", "filter.teamId", id))
                    .transpose()?,
                network: filter
                    .network
                    .map(|n| domain::SocialNetwork::from(n).as_str().to_owned()),
                include_retired: filter.include_retired,
            };
            let rows =
                channels_page(&runtime(ctx)?.db, principal.organization_id, &filter, page).await?;
            Ok(connection(rows, page, |r| r.id, Channel))
        }
        .await
        .gql()
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
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let team = existing_team(ctx, "teamId", &team_id).await?;
            let at = at.unwrap_or_else(chorus_kernel::now);
            let function = domain::RoleFunction::from(function);
            let rows = role_holders(
                &runtime(ctx)?.db,
                principal.organization_id,
                team.id,
                function.as_str(),
                at,
                page,
            )
            .await?;
            Ok(connection(rows, page, |r| r.id, RoleAssignment))
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

    /// Any object by its global id (null when it does not exist in your organization).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        async {
            require_reader(ctx)?;
            node_by_id(ctx, &id).await
        }
        .await
        .gql()
    }

    /// Objects by global id, in the order asked (null where not found).
    #[graphql(complexity = "ids.len().max(1) * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        async {
            require_reader(ctx)?;
            let max = runtime(ctx)?.pages.max_node_ids;
            if ids.len() > max {
                return Err(ApiError::bad_input(
                    "ids",
                    format!("at most {max} ids per call"),
                ));
            }
            // Resolved concurrently so the loader batches them into one query per type.
            futures::future::try_join_all(ids.iter().map(|id| node_by_id(ctx, id))).await
        }
        .await
        .gql()
    }
}

async fn node_by_id(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<Node>> {
    let (kind, uuid) = decode_any_id("id", id)?;
    let principal = require_reader(ctx)?;
    let loader = loader(ctx)?;
    Ok(match kind.as_str() {
        "Organization" if uuid == principal.organization_id => {
            read::organization(&runtime(ctx)?.db, uuid)
                .await?
                .map(|o| Node::Organization(Organization(o)))
        }
        "Team" => loader
            .load_one(TeamById(uuid))
            .await?
            .map(|t| Node::Team(Team(t))),
        "Person" => loader
            .load_one(PersonById(uuid))
            .await?
            .map(|p| Node::Person(Person(p))),
        "Channel" => loader
            .load_one(ChannelById(uuid))
            .await?
            .map(|c| Node::Channel(Channel(c))),
        "RoleAssignment" => loader
            .load_one(RoleById(uuid))
            .await?
            .map(|r| Node::RoleAssignment(RoleAssignment(r))),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

/// Fields common to every mutation input.
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $field:ident : $ty:ty }) => {
        $(#[$meta])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// The new state, read back from the read models.
            $field: $ty,
            /// Position of the last event this mutation appended (or, on an idempotent
            /// retry, appended the first time).
            position: LogPositionScalar,
            /// True when the idempotency key matched an earlier request and nothing new was written.
            replayed: bool,
        }
    };
}

payload!(/// Result of `renameOrganization`.
    OrganizationPayload { organization: Option<Organization> });
payload!(/// Result of team mutations.
    TeamPayload { team: Option<Team> });
payload!(/// Result of person mutations.
    PersonPayload { person: Option<Person> });
payload!(/// Result of role mutations.
    RoleAssignmentPayload { role_assignment: Option<RoleAssignment> });
payload!(/// Result of reporting-line mutations; `person` shows the new manager.
    ReportingLinePayload { person: Option<Person> });
payload!(/// Result of channel mutations.
    ChannelPayload { channel: Option<Channel> });

#[derive(InputObject, Serialize)]
pub struct RenameOrganizationInput {
    name: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct CreateTeamInput {
    name: String,
    /// The division this team belongs to.
    parent_id: Option<ID>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RenameTeamInput {
    team_id: ID,
    name: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ArchiveTeamInput {
    team_id: ID,
    reason: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct AddPersonInput {
    display_name: String,
    email: String,
    affiliation: Affiliation,
    /// The person's id in an HR system.
    external_id: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct UpdatePersonInput {
    person_id: ID,
    display_name: Option<String>,
    email: Option<String>,
    affiliation: Option<Affiliation>,
    external_id: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct OffboardPersonInput {
    person_id: ID,
    reason: Option<String>,
    idempotency_key: Option<String>,
}

/// Where a new role applies: the organization itself, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct RoleScopeInput {
    kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    id: Option<ID>,
}

#[derive(InputObject, Serialize)]
pub struct AssignRoleInput {
    person_id: ID,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
    scope: RoleScopeInput,
    /// When the role starts (default now; never backdated by more than five minutes).
    effective_from: Option<DateTime<Utc>>,
    /// Why the role is granted; kept for auditors.
    reason: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RevokeRoleInput {
    role_assignment_id: ID,
    reason: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct SetReportingLineInput {
    person_id: ID,
    manager_id: ID,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ClearReportingLineInput {
    person_id: ID,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RegisterChannelInput {
    team_id: ID,
    network: SocialNetwork,
    handle: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetireChannelInput {
    channel_id: ID,
    reason: Option<String>,
    idempotency_key: Option<String>,
}

fn parse<T: TryFrom<String, Error = domain::ValueError>>(
    field: &'static str,
    value: &str,
) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

fn parse_opt<T: TryFrom<String, Error = domain::ValueError>>(
    field: &'static str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}

/// A search string through the text policy: bounded by the length of the field it
/// searches, no control characters.
fn search_filter(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> ApiResult<Option<String>> {
    value
        .map(|v| domain::text::filter(field, &v, max).map_err(ApiError::from))
        .transpose()
}

/// The acting principal's id as recorded in `granted_by` / `revoked_by` / `by`.
fn actor_id(principal: &chorus_api::Principal) -> Uuid {
    principal.actor.id.unwrap_or_default()
}

#[derive(Default)]
pub struct TeamsMutation;

#[Object]
impl TeamsMutation {
    /// Renames the caller's organization. Admins only.
    async fn rename_organization(
        &self,
        ctx: &Context<'_>,
        input: RenameOrganizationInput,
    ) -> async_graphql::Result<OrganizationPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "renameOrganization",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return org_payload(ctx, &outcome).await;
            }
            let name = parse("name", &input.name)?;
            let org = principal.organization_id;
            let outcome = execute::<domain::Organization>(
                ctx,
                org,
                domain::OrganizationCommand::RenameOrganization { name },
                key,
            )
            .await?;
            org_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Creates a team, optionally inside a division. Admins only.
    async fn create_team(
        &self,
        ctx: &Context<'_>,
        input: CreateTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "createTeam",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::CreateTeam {
                name: parse("name", &input.name)?,
                parent_id: input
                    .parent_id
                    .as_ref()
                    .map(|id| decode_id("Team", "parentId", id))
                    .transpose()?,
            };
            let outcome = commands::create_team(caller, parsed, key).await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Renames a team. Admins only.
    async fn rename_team(
        &self,
        ctx: &Context<'_>,
        input: RenameTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "renameTeam",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return team_payload(ctx, &outcome).await;
            }
            let team = existing_team(ctx, "teamId", &input.team_id).await?;
            let name = parse("name", &input.name)?;
            let outcome = execute::<domain::Team>(
                ctx,
                team.id,
                domain::TeamCommand::RenameTeam { name },
                key,
            )
            .await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Archives a team; its history stays readable. Admins only.
    async fn archive_team(
        &self,
        ctx: &Context<'_>,
        input: ArchiveTeamInput,
    ) -> async_graphql::Result<TeamPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "archiveTeam",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return team_payload(ctx, &outcome).await;
            }
            let team = existing_team(ctx, "teamId", &input.team_id).await?;
            let reason = parse_opt("reason", &input.reason)?;
            let outcome = execute::<domain::Team>(
                ctx,
                team.id,
                domain::TeamCommand::ArchiveTeam { reason },
                key,
            )
            .await?;
            team_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Adds a person (employee or external) to the organization. Admins only.
    async fn add_person(
        &self,
        ctx: &Context<'_>,
        input: AddPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "addPerson",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::AddPerson {
                display_name: parse("displayName", &input.display_name)?,
                email: parse("email", &input.email)?,
                affiliation: input.affiliation.into(),
                external_id: parse_opt("externalId", &input.external_id)?,
            };
            let outcome = commands::add_person(caller, parsed, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Changes a person's details; omitted fields stay as they are. Admins only.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "updatePerson",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return person_payload(ctx, &outcome).await;
            }
            let person = existing_person(ctx, "personId", &input.person_id).await?;
            let command = domain::PersonCommand::UpdatePerson {
                display_name: parse_opt("displayName", &input.display_name)?,
                email: parse_opt("email", &input.email)?,
                affiliation: input.affiliation.map(Into::into),
                external_id: parse_opt("externalId", &input.external_id)?,
            };
            let outcome = execute::<domain::Person>(ctx, person.id, command, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Offboards a person: every role they hold is revoked in the same change. Admins only.
    async fn offboard_person(
        &self,
        ctx: &Context<'_>,
        input: OffboardPersonInput,
    ) -> async_graphql::Result<PersonPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "offboardPerson",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return person_payload(ctx, &outcome).await;
            }
            let person = existing_person(ctx, "personId", &input.person_id).await?;
            let command = domain::PersonCommand::OffboardPerson {
                reason: parse_opt("reason", &input.reason)?,
                at: chorus_kernel::now(),
                by: actor_id(principal),
            };
            let outcome = execute::<domain::Person>(ctx, person.id, command, key).await?;
            person_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Gives a person a function (and optional responsibility) within a scope. Admins only.
    async fn assign_role(
        &self,
        ctx: &Context<'_>,
        input: AssignRoleInput,
    ) -> async_graphql::Result<RoleAssignmentPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "assignRole",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let scope = match (input.scope.kind, &input.scope.id) {
                (ScopeKind::Organization, None) => commands::ScopeRef::Organization,
                (ScopeKind::Organization, Some(_)) => {
                    return Err(ApiError::bad_input(
                        "scope.id",
                        "must be omitted for the organization scope",
                    ))
                }
                (ScopeKind::Team, Some(id)) => {
                    commands::ScopeRef::Team(decode_id("Team", "scope.id", id)?)
                }
                (ScopeKind::Channel, Some(id)) => {
                    commands::ScopeRef::Channel(decode_id("Channel", "scope.id", id)?)
                }
                (_, None) => {
                    return Err(ApiError::bad_input(
                        "scope.id",
                        "is required for team and channel scopes",
                    ))
                }
            };
            let parsed = commands::AssignRole {
                person_id: decode_id("Person", "personId", &input.person_id)?,
                function: input.function.into(),
                responsibility: input.responsibility.map(Into::into),
                scope,
                effective_from: input.effective_from,
                reason: parse("reason", &input.reason)?,
            };
            let assigned = commands::assign_role(caller, parsed, key).await?;
            let outcome = assigned.outcome;
            let role = role_for_outcome(ctx, assigned.assignment_id, &outcome).await?;
            Ok(RoleAssignmentPayload {
                role_assignment: role,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Ends a role assignment now. Admins only.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: RevokeRoleInput,
    ) -> async_graphql::Result<RoleAssignmentPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "revokeRole",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                let id = decode_id(
                    "RoleAssignment",
                    "roleAssignmentId",
                    &input.role_assignment_id,
                )?;
                return Ok(RoleAssignmentPayload {
                    role_assignment: read_role(ctx, id).await?,
                    position: seal(ctx, outcome.position)?,
                    replayed: outcome.replayed,
                });
            }
            let assignment_id = decode_id(
                "RoleAssignment",
                "roleAssignmentId",
                &input.role_assignment_id,
            )?;
            let role = loader(ctx)?
                .load_one(RoleById(assignment_id))
                .await?
                .ok_or(ApiError::NotFound("role assignment"))?;
            let command = domain::PersonCommand::RevokeRole {
                assignment_id,
                reason: parse("reason", &input.reason)?,
                revoked_by: actor_id(principal),
                at: chorus_kernel::now(),
            };
            let outcome = execute::<domain::Person>(ctx, role.person_id, command, key).await?;
            let role = read_role(ctx, assignment_id).await?;
            Ok(RoleAssignmentPayload {
                role_assignment: role,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Makes `personId` report to `managerId`. Cycles are refused. Admins only.
    async fn set_reporting_line(
        &self,
        ctx: &Context<'_>,
        input: SetReportingLineInput,
    ) -> async_graphql::Result<ReportingLinePayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "setReportingLine",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::SetReportingLine {
                person_id: decode_id("Person", "personId", &input.person_id)?,
                manager_id: decode_id("Person", "managerId", &input.manager_id)?,
            };
            let outcome = commands::set_reporting_line(caller, parsed, key).await?;
            Ok(ReportingLinePayload {
                person: person_by_id_fresh(ctx, parsed.person_id).await?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Removes a person's reporting line. Admins only.
    async fn clear_reporting_line(
        &self,
        ctx: &Context<'_>,
        input: ClearReportingLineInput,
    ) -> async_graphql::Result<ReportingLinePayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "clearReportingLine",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                let person = decode_id("Person", "personId", &input.person_id)?;
                return Ok(ReportingLinePayload {
                    person: person_by_id_fresh(ctx, person).await?,
                    position: seal(ctx, outcome.position)?,
                    replayed: outcome.replayed,
                });
            }
            let person = existing_person(ctx, "personId", &input.person_id).await?;
            let command = domain::ReportingLinesCommand::ClearReportingLine {
                person_id: person.id,
            };
            let outcome =
                execute::<domain::ReportingLines>(ctx, principal.organization_id, command, key)
                    .await?;
            Ok(ReportingLinePayload {
                person: person_by_id_fresh(ctx, person.id).await?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }

    /// Registers a social account (network + handle) owned by a team. Admins only.
    async fn register_channel(
        &self,
        ctx: &Context<'_>,
        input: RegisterChannelInput,
    ) -> async_graphql::Result<ChannelPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "registerChannel",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::RegisterChannel {
                team_id: decode_id("Team", "teamId", &input.team_id)?,
                network: input.network.into(),
                handle: parse("handle", &input.handle)?,
            };
            let outcome = commands::register_channel(caller, parsed, key).await?;
            channel_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Retires a social account. Admins only.
    async fn retire_channel(
        &self,
        ctx: &Context<'_>,
        input: RetireChannelInput,
    ) -> async_graphql::Result<ChannelPayload> {
        async {
            let principal = require_admin(ctx).await?;
            let key = idempotency(
                principal,
                "retireChannel",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return channel_payload(ctx, &outcome).await;
            }
            let channel = existing_channel(ctx, "channelId", &input.channel_id).await?;
            let reason = parse_opt("reason", &input.reason)?;
            let outcome = execute::<domain::Channel>(
                ctx,
                channel.id,
                domain::ChannelCommand::RetireChannel { reason },
                key,
            )
            .await?;
            channel_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }
}

/// Reads state written by this request straight from the store, bypassing the request's
/// loader cache (which may hold the state from before the mutation).
async fn person_by_id_fresh(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    Ok(
        async_graphql::dataloader::Loader::load(&fresh, &[PersonById(id)])
            .await?
            .remove(&PersonById(id))
            .map(Person),
    )
}

async fn org_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<OrganizationPayload> {
    let org = outcome_uuid(outcome)?;
    Ok(OrganizationPayload {
        organization: read::organization(&runtime(ctx)?.db, org)
            .await?
            .map(Organization),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn team_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<TeamPayload> {
    let id = outcome_uuid(outcome)?;
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    let team = async_graphql::dataloader::Loader::load(&fresh, &[TeamById(id)])
        .await?
        .remove(&TeamById(id));
    Ok(TeamPayload {
        team: team.map(Team),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn person_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<PersonPayload> {
    Ok(PersonPayload {
        person: person_by_id_fresh(ctx, outcome_uuid(outcome)?).await?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn channel_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<ChannelPayload> {
    let id = outcome_uuid(outcome)?;
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    let channel = async_graphql::dataloader::Loader::load(&fresh, &[ChannelById(id)])
        .await?
        .remove(&ChannelById(id));
    Ok(ChannelPayload {
        channel: channel.map(Channel),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn read_role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    let principal = require_reader(ctx)?;
    let fresh = TeamsLoader {
        db: runtime(ctx)?.db.clone(),
        org: principal.organization_id,
    };
    Ok(
        async_graphql::dataloader::Loader::load(&fresh, &[RoleById(id)])
            .await?
            .remove(&RoleById(id))
            .map(RoleAssignment),
    )
}

/// The assignment a (possibly replayed) assignRole produced: the id this request minted,
/// or for a replay, the assignment recorded by the event at the outcome's position.
async fn role_for_outcome(
    ctx: &Context<'_>,
    minted: Option<Uuid>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<Option<RoleAssignment>> {
    if let Some(minted) = minted.filter(|_| !outcome.replayed) {
        return read_role(ctx, minted).await;
    }
    let state = runtime(ctx)?;
    let events = state
        .reader
        .read_after(
            chorus_kernel::LogPosition {
                transaction_id: outcome.position.transaction_id,
                global_position: outcome.position.global_position - 1,
            },
            1,
        )
        .await?;
    let assignment = events
        .first()
        .filter(|e| e.position == outcome.position)
        .and_then(|e| e.decode::<domain::PersonEvent>().ok())
        .and_then(|e| match e {
            domain::PersonEvent::RoleAssigned { assignment_id, .. } => Some(assignment_id),
            _ => None,
        });
    match assignment {
        Some(id) => read_role(ctx, id).await,
        None => Ok(None),
    }
}
