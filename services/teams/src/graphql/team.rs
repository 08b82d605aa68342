//! `Team` and `TeamMember`.

use chorus_api::plain::Plain;

use super::*;

/// A team: a division, a department or a virtual team.
pub struct Team(pub TeamRow);

#[Object]
impl Team {
    pub async fn id(&self) -> ID {
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
        batched(ctx, first, after, Team, |page| ChildrenOf(self.0.id, page))
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
    ) -> async_graphql::Result<Connection<String, Plain<TeamMember>>> {
        let team_id = self.0.id;
        // Members the roster holds are answered as plain values when the selection allows
        // (`plain.rs`): the hot read's objects without a future per field.
        let member = |(person_id, roster)| {
            Plain(TeamMember {
                team_id,
                person_id,
                roster,
            })
        };
        paged(ctx, first, after, member, |_, page| async move {
            // The roster serves the page with everything the members show; only a member
            // whose kept roles leave a gap right now (future-dated changes) sends the
            // page back to the temporal tables.
            let loader = loader(ctx)?;
            if let Some(Some(members)) = loader.load_one(RosterOf(team_id, page)).await? {
                return Ok(members
                    .into_iter()
                    .map(|m| (m.person.id, Some(Box::new(m))))
                    .collect());
            }
            let ids = loader.load_one(MembersOf(team_id, page)).await?;
            Ok(ids
                .unwrap_or_default()
                .into_iter()
                .map(|id| (id, None))
                .collect())
        })
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
        let key = |page| ChannelsOf(self.0.id, include_retired, page);
        batched(ctx, first, after, Channel, key).await.gql()
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
    pub(crate) team_id: Uuid,
    pub(crate) person_id: Uuid,
    /// The member as the roster holds them (person, roles, manager), when the page came
    /// from it; otherwise each field loads on its own.
    pub(crate) roster: Option<Box<RosterMember>>,
}

#[Object]
impl TeamMember {
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        if let Some(roster) = &self.roster {
            return Ok(Some(Person(roster.person.clone())));
        }
        person_by_id(ctx, self.person_id).await.gql()
    }
    /// The member's active roles in this team (a handful at most).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleAssignment>> {
        if let Some(roster) = &self.roster {
            return Ok(roster.roles.iter().cloned().map(RoleAssignment).collect());
        }
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
        if let Some(roster) = &self.roster {
            return Ok(roster.manager.clone().map(Person));
        }
        manager_of(ctx, self.person_id).await.gql()
    }
}
