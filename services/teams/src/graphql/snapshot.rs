//! `TeamStructureSnapshot`: a team's structure at an instant.

use super::*;

/// A team's structure at a past instant.
pub struct TeamStructureSnapshot {
    pub(crate) team: TeamRow,
    pub(crate) at: DateTime<Utc>,
}

/// A member as of a past instant, with the roles and manager they had then.
#[derive(SimpleObject)]
pub struct MemberSnapshot {
    pub(crate) person: Person,
    pub(crate) roles: Vec<RoleAssignment>,
    pub(crate) manager: Option<Person>,
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
        let (org, team, at) = (self.team.organization_id, self.team.id, self.at);
        let channels = |db, page| channels_at(db, org, team, at, page);
        paged(ctx, first, after, Channel, channels).await.gql()
    }
    /// The team's sub-teams at that instant.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Team>> {
        let (org, team, at) = (self.team.organization_id, self.team.id, self.at);
        let children = |db, page| children_at(db, org, team, at, page);
        paged(ctx, first, after, Team, children).await.gql()
    }
    /// Members at that instant, each with the roles and reporting line in force then.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, MemberSnapshot>> {
        let snapshot = |(_, member): (Uuid, MemberSnapshot)| member;
        paged(ctx, first, after, snapshot, |_, page| {
            self.members_page(ctx, page)
        })
        .await
        .gql()
    }
}

impl TeamStructureSnapshot {
    /// A page of the members at `at`, each with their roles and manager then, keyed by
    /// person id.
    async fn members_page(
        &self,
        ctx: &Context<'_>,
        page: Page,
    ) -> ApiResult<Vec<(Uuid, MemberSnapshot)>> {
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
        let snapshots = ids
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
        Ok(snapshots)
    }
}
