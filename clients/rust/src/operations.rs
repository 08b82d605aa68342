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
    /// `serviceTokens`: the organization's service-account tokens (admins only),
    /// paginated, revoked ones when asked for.
    ServiceTokens => "graphql/service_tokens.graphql";
    /// `post(id)`: a post with flags, channels, legal block, publication, sign-offs,
    /// open steps and timeline.
    Post => "graphql/post.graphql";
    /// `approvalPolicy(id)`: an approval policy at its current (or last) version.
    ApprovalPolicy => "graphql/approval_policy.graphql";
    /// `approvalPolicies`: approval policies in force now, paginated.
    ApprovalPolicies => "graphql/approval_policies.graphql";
    /// `lexicon`: the organization's flagging lexicon.
    Lexicon => "graphql/lexicon.graphql";
    /// `legalReview(id)`: a legal review and the post it is about.
    LegalReview => "graphql/legal_review.graphql";
    /// `approvalInbox`: posts waiting for a signature the caller may give now.
    ApprovalInbox => "graphql/approval_inbox.graphql";
    /// `contentCalendar(from, to)`: posts by scheduled time, one entry per channel.
    ContentCalendar => "graphql/content_calendar.graphql";
    /// `approvals`: the auditor's approval history, filtered and paginated.
    Approvals => "graphql/approvals.graphql";
    /// `legalReviews`: the legal-review history, filtered and paginated.
    LegalReviews => "graphql/legal_reviews.graphql";
    /// `delegatedPublications`: posts published under delegated authority.
    DelegatedPublications => "graphql/delegated_publications.graphql";
    /// `complianceViolations`: published posts breaking a compliance rule (always empty).
    ComplianceViolations => "graphql/compliance_violations.graphql";
    /// `postAsOf(id, at)`: a post's status, text and standing sign-offs at an instant.
    PostAsOf => "graphql/post_as_of.graphql";
    /// `policyAsOf(scope, at)`: the policy versions of a scope in force at an instant.
    PolicyAsOf => "graphql/policy_as_of.graphql";

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
    /// `revokeServiceToken`.
    RevokeServiceToken => "graphql/revoke_service_token.graphql";
    /// `defineApprovalPolicy`.
    DefineApprovalPolicy => "graphql/define_approval_policy.graphql";
    /// `reviseApprovalPolicy`.
    ReviseApprovalPolicy => "graphql/revise_approval_policy.graphql";
    /// `retireApprovalPolicy`.
    RetireApprovalPolicy => "graphql/retire_approval_policy.graphql";
    /// `addLexiconTerm`.
    AddLexiconTerm => "graphql/add_lexicon_term.graphql";
    /// `removeLexiconTerm`.
    RemoveLexiconTerm => "graphql/remove_lexicon_term.graphql";
    /// `draftPost`.
    DraftPost => "graphql/draft_post.graphql";
    /// `editPost`.
    EditPost => "graphql/edit_post.graphql";
    /// `submitPost`.
    SubmitPost => "graphql/submit_post.graphql";
    /// `withdrawPost`.
    WithdrawPost => "graphql/withdraw_post.graphql";
    /// `approvePost`.
    ApprovePost => "graphql/approve_post.graphql";
    /// `rejectPost`.
    RejectPost => "graphql/reject_post.graphql";
    /// `schedulePost`.
    SchedulePost => "graphql/schedule_post.graphql";
    /// `markPublished`.
    MarkPublished => "graphql/mark_published.graphql";
    /// `retractPost`.
    RetractPost => "graphql/retract_post.graphql";
    /// `logLegalReview`.
    LogLegalReview => "graphql/log_legal_review.graphql";

    // ---- subscriptions ----
    /// `events` (subscription, over graphql-transport-ws at `/graphql/ws`): use
    /// `Events::build_query` for the `subscribe` payload and decode each `next`
    /// message's `payload.data` as [`events::ResponseData`].
    Events => "graphql/events.graphql";
    /// `postUpdates(postIds)` (subscription): every event of the given posts (all
    /// posts when `post_ids` is `None`); decode each `next` payload as
    /// [`post_updates::ResponseData`].
    PostUpdates => "graphql/post_updates.graphql";
    /// `approvalInboxUpdates` (subscription): a signal to refetch `approvalInbox`;
    /// decode each `next` payload as [`approval_inbox_updates::ResponseData`].
    ApprovalInboxUpdates => "graphql/approval_inbox_updates.graphql";
}
