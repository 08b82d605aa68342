//! The `Node` interface over teams records, and how `node(id)` finds one.

use super::*;

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

pub(crate) async fn node_by_id(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<Node>> {
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
