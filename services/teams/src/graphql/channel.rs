//! `Channel` and `Coverage`.

use super::*;

/// A social account of the organization, owned by a team.
pub struct Channel(pub ChannelRow);

#[Object]
impl Channel {
    pub async fn id(&self) -> ID {
        encode_id("Channel", self.0.id)
    }
    async fn network(&self) -> async_graphql::Result<SocialNetwork> {
        SocialNetwork::from_stored("channels", "network", &self.0.network).gql()
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
    pub(crate) covered: Vec<RoleFunction>,
    /// Recommended functions nobody holds.
    pub(crate) missing: Vec<RoleFunction>,
}
