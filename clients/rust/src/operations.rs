//! One typed operation per document in `clients/rust/graphql/`, generated from
//! `schema/schema.graphql` by `graphql_client`.
//!
//! Each operation is a unit struct implementing [`graphql_client::GraphQLQuery`] plus a
//! module of the same name in snake case holding its `Variables`, `ResponseData` and
//! the input, enum and selection types it uses (for example [`create_team::Variables`]
//! and [`create_team::CreateTeamInput`]).

macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident => $file:tt;)*) => {$(
        $(#[$doc])*
        #[derive(graphql_client::GraphQLQuery)]
        #[graphql(
            schema_path = "../../schema/schema.graphql",
            query_path = $file,
            custom_scalars_module = "crate::scalars",
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}

operations! {
    // ---- queries ----
    /// `viewer`: the caller (person or service account) and their organization.
    Viewer => "graphql/viewer.graphql";
    /// `organization`: the caller's organization, founding admin and coverage.
    Organization => "graphql/organization.graphql";
    /// `team(id)`: a team with parent, children, members, channels and coverage.
    Team => "graphql/team.graphql";
    /// `person(id)`: a person with manager, reports and roles.
    Person => "graphql/person.graphql";
    /// `channel(id)`: a social account.
    Channel => "graphql/channel.graphql";
    /// `teams`: teams, filtered and paginated.
    Teams => "graphql/teams.graphql";
    /// `people`: people, filtered and paginated.
    People => "graphql/people.graphql";
    /// `channels`: channels, filtered and paginated.
    Channels => "graphql/channels.graphql";
    /// `coverage(teamId)`: covered and missing functions.
    Coverage => "graphql/coverage.graphql";
    /// `roleHolders`: who held a function in a team at an instant.
    RoleHolders => "graphql/role_holders.graphql";
    /// `teamStructureAsOf`: a team's members, roles and managers at an instant.
    TeamStructureAsOf => "graphql/team_structure_as_of.graphql";
    /// `node(id)`: any object by global id.
    Node => "graphql/node.graphql";
    /// `nodes(ids)`: objects by global id.
    Nodes => "graphql/nodes.graphql";

    // ---- mutations ----
    /// `renameOrganization`.
    RenameOrganization => "graphql/rename_organization.graphql";
    /// `createTeam`.
    CreateTeam => "graphql/create_team.graphql";
    /// `renameTeam`.
    RenameTeam => "graphql/rename_team.graphql";
    /// `archiveTeam`.
    ArchiveTeam => "graphql/archive_team.graphql";
    /// `addPerson`.
    AddPerson => "graphql/add_person.graphql";
    /// `updatePerson`.
    UpdatePerson => "graphql/update_person.graphql";
    /// `offboardPerson`.
    OffboardPerson => "graphql/offboard_person.graphql";
    /// `assignRole`.
    AssignRole => "graphql/assign_role.graphql";
    /// `revokeRole`.
    RevokeRole => "graphql/revoke_role.graphql";
    /// `setReportingLine`.
    SetReportingLine => "graphql/set_reporting_line.graphql";
    /// `clearReportingLine`.
    ClearReportingLine => "graphql/clear_reporting_line.graphql";
    /// `registerChannel`.
    RegisterChannel => "graphql/register_channel.graphql";
    /// `retireChannel`.
    RetireChannel => "graphql/retire_channel.graphql";

    // ---- subscriptions ----
    /// `events` (subscription, over graphql-transport-ws at `/graphql/ws`): use
    /// `Events::build_query` for the `subscribe` payload and decode each `next`
    /// message's `payload.data` as [`events::ResponseData`].
    Events => "graphql/events.graphql";
}
