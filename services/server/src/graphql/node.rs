//! The `Node` interface over every context's records, and `node(id)` / `nodes(ids)`:
//! the kind in a global id picks the context that looks the record up, always in the
//! caller's organization. A new context adds its records here.

use async_graphql::{Context, Interface, Object, ID};
use chorus_api::{
    decode_any_id, principal, refuse_over_websocket, require_reader, runtime, ApiError, ApiResult,
    Gql,
};
use chorus_cases::graphql::{self as cases, CasesNode};
use chorus_content::graphql::{self as content, ContentNode};
use chorus_teams::graphql::{self as teams, TeamsNode};

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    Organization(teams::Organization),
    Team(teams::Team),
    Person(teams::Person),
    RoleAssignment(teams::RoleAssignment),
    Channel(teams::Channel),
    Post(content::Post),
    ApprovalPolicy(content::ApprovalPolicy),
    LegalReview(content::LegalReview),
    Case(cases::Case),
    Contact(cases::Contact),
    SlaPolicy(cases::SlaPolicy),
    BusinessCalendar(cases::BusinessCalendar),
}

impl From<TeamsNode> for Node {
    fn from(node: TeamsNode) -> Self {
        match node {
            TeamsNode::Organization(o) => Node::Organization(o),
            TeamsNode::Team(t) => Node::Team(t),
            TeamsNode::Person(p) => Node::Person(p),
            TeamsNode::RoleAssignment(r) => Node::RoleAssignment(r),
            TeamsNode::Channel(c) => Node::Channel(c),
        }
    }
}

impl From<ContentNode> for Node {
    fn from(node: ContentNode) -> Self {
        match node {
            ContentNode::Post(p) => Node::Post(p),
            ContentNode::ApprovalPolicy(p) => Node::ApprovalPolicy(p),
            ContentNode::LegalReview(r) => Node::LegalReview(r),
        }
    }
}

impl From<CasesNode> for Node {
    fn from(node: CasesNode) -> Self {
        match node {
            CasesNode::Case(c) => Node::Case(*c),
            CasesNode::Contact(c) => Node::Contact(c),
            CasesNode::SlaPolicy(p) => Node::SlaPolicy(p),
            CasesNode::BusinessCalendar(c) => Node::BusinessCalendar(c),
        }
    }
}

async fn node_by_id(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<Node>> {
    let (kind, uuid) = decode_any_id("id", id)?;
    let org = principal(ctx)?.organization_id;
    // Each context checks who may read its records: a case needs a case reader (a
    // `cases:read` token may hold no teams scope), the rest a reader of the organization.
    if let Some(node) = cases::find_node(ctx, org, &kind, uuid).await? {
        return Ok(Some(node.into()));
    }
    if cases::NODE_KINDS.contains(&kind.as_str()) {
        return Ok(None);
    }
    require_reader(ctx)?;
    if let Some(node) = teams::find_node(ctx, &kind, uuid).await? {
        return Ok(Some(node.into()));
    }
    Ok(content::find_node(ctx, org, &kind, uuid)
        .await?
        .map(Node::from))
}

/// The root fields that find any record by its global id.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id (null when it does not exist in your organization).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        async {
            refuse_over_websocket(ctx)?;
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
            refuse_over_websocket(ctx)?;
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
