//! The teams records a global id can name, for the schema's `node(id)` (the `Node`
//! interface itself is composed in the server, over every context's records).

use super::*;

/// A teams record found by its global id.
pub enum TeamsNode {
    Organization(Organization),
    Team(Team),
    Person(Person),
    RoleAssignment(RoleAssignment),
    Channel(Channel),
}

/// The teams record of kind `kind` with id `uuid` in the caller's organization; `None`
/// for another kind, another organization's record or none.
pub async fn find_node(ctx: &Context<'_>, kind: &str, uuid: Uuid) -> ApiResult<Option<TeamsNode>> {
    let principal = require_reader(ctx)?;
    Ok(match kind {
        "Organization" if uuid == principal.organization_id => {
            read::organization(&runtime(ctx)?.db, uuid)
                .await?
                .map(|o| TeamsNode::Organization(Organization(o)))
        }
        "Team" => team_by_id(ctx, uuid).await?.map(TeamsNode::Team),
        "Person" => person_by_id(ctx, uuid).await?.map(TeamsNode::Person),
        "Channel" => channel_by_id(ctx, uuid).await?.map(TeamsNode::Channel),
        "RoleAssignment" => role_by_id(ctx, uuid).await?.map(TeamsNode::RoleAssignment),
        _ => None,
    })
}
