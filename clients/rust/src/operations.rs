//! One typed operation per operation of the documents in `clients/rust/graphql/`,
//! generated from `schema/schema.graphql` by `graphql_client`.
//!
//! A document holds one entity family (teams, people and roles, posts, …): its
//! operations and the fragments they share, so each entity's selection is written once
//! (`PostFields`, `RoleFields`, …). The derive picks the operation named like the
//! struct; the client sends only that operation and the fragments it uses
//! ([`crate::request_body`]).
//!
//! Each operation is a unit struct implementing [`graphql_client::GraphQLQuery`] plus a
//! module of the same name in snake case holding its `Variables`, `ResponseData` and
//! the input, enum and selection types it uses (for example [`create_team::Variables`]
//! and [`create_team::CreateTeamInput`]). A selection that is only a fragment spread
//! is that fragment's struct (`create_team::TeamFields`); a fragment spread beside
//! other fields is a flattened field named after it (`team.team_fields.name`).

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
    Viewer => "graphql/organization.graphql";
    /// `organization`: the caller's organization, founding admin and coverage.
    Organization => "graphql/organization.graphql";
    /// `team(id)`: a team with parent, children, members, channels and coverage.
    Team => "graphql/team.graphql";
    /// `person(id)`: a person with manager, reports and roles.
    Person => "graphql/person.graphql";
    /// `channel(id)`: a social account.
    Channel => "graphql/channel.graphql";
    /// `teams`: teams, filtered and paginated.
    Teams => "graphql/team.graphql";
    /// `people`: people, filtered and paginated.
    People => "graphql/person.graphql";
    /// `channels`: channels, filtered and paginated.
    Channels => "graphql/channel.graphql";
    /// `coverage(teamId)`: covered and missing functions.
    Coverage => "graphql/organization.graphql";
    /// `roleHolders`: who held a function in a team at an instant.
    RoleHolders => "graphql/person.graphql";
    /// `teamStructureAsOf`: a team's members, roles and managers at an instant.
    TeamStructureAsOf => "graphql/team.graphql";
    /// `node(id)`: any object by global id.
    Node => "graphql/node.graphql";
    /// `nodes(ids)`: objects by global id.
    Nodes => "graphql/node.graphql";
    /// `serviceTokens`: the organization's service-account tokens (admins only),
    /// paginated, revoked ones when asked for.
    ServiceTokens => "graphql/service_token.graphql";
    /// `scimGroups`: the SCIM groups admins mapped to role grants (admins only).
    ScimGroups => "graphql/scim_group.graphql";
    /// `post(id)`: a post with flags, channels, legal block, publication, sign-offs,
    /// open steps and timeline.
    Post => "graphql/post.graphql";
    /// `approvalPolicy(id)`: an approval policy at its current (or last) version.
    ApprovalPolicy => "graphql/approval_policy.graphql";
    /// `approvalPolicies`: approval policies in force now, paginated.
    ApprovalPolicies => "graphql/approval_policy.graphql";
    /// `lexicon`: the organization's flagging lexicon.
    Lexicon => "graphql/lexicon.graphql";
    /// `legalReview(id)`: a legal review and the post it is about.
    LegalReview => "graphql/legal_review.graphql";
    /// `approvalInbox`: posts waiting for a signature the caller may give now.
    ApprovalInbox => "graphql/post.graphql";
    /// `contentCalendar(from, to)`: posts by scheduled time, one entry per channel.
    ContentCalendar => "graphql/post.graphql";
    /// `approvals`: the auditor's approval history, filtered and paginated.
    Approvals => "graphql/post.graphql";
    /// `legalReviews`: the legal-review history, filtered and paginated.
    LegalReviews => "graphql/legal_review.graphql";
    /// `delegatedPublications`: posts published under delegated authority.
    DelegatedPublications => "graphql/post.graphql";
    /// `complianceViolations`: published posts breaking a compliance rule (always empty).
    ComplianceViolations => "graphql/post.graphql";
    /// `postAsOf(id, at)`: a post's status, text and standing sign-offs at an instant.
    PostAsOf => "graphql/post.graphql";
    /// `policyAsOf(scope, at)`: the policy versions of a scope in force at an instant.
    PolicyAsOf => "graphql/approval_policy.graphql";

    /// `caseQueue`: open cases of a queue by next SLA deadline, filtered and paginated.
    CaseQueue => "graphql/case.graphql";
    /// `case(id)`: a case with its timeline and replies.
    Case => "graphql/case.graphql";
    /// `replyApprovalInbox`: replies awaiting the viewer's approval, oldest first.
    ReplyApprovalInbox => "graphql/case.graphql";
    /// `contact(id)`: a contact with handles and cases.
    Contact => "graphql/case.graphql";
    /// `caseAsOf(id, at)`: a case as it stood at an instant.
    CaseAsOf => "graphql/case.graphql";
    /// `slaReport`: met and breached SLA targets per team or person.
    SlaReport => "graphql/case.graphql";
    /// `routingRules`: the organization's routing rules in force.
    RoutingRules => "graphql/case_config.graphql";
    /// `slaPolicies`: the organization's SLA policies, paginated.
    SlaPolicies => "graphql/case_config.graphql";
    /// `slaPolicy(id)`: one SLA policy.
    SlaPolicy => "graphql/case_config.graphql";
    /// `businessCalendars`: the organization's calendars, paginated.
    BusinessCalendars => "graphql/case_config.graphql";
    /// `caseQueueSettings(teamId)`: how a team's queue hands its cases out.
    CaseQueueSettings => "graphql/case_config.graphql";
    // ---- mutations ----
    /// `renameOrganization`.
    RenameOrganization => "graphql/organization.graphql";
    /// `createTeam`.
    CreateTeam => "graphql/team.graphql";
    /// `renameTeam`.
    RenameTeam => "graphql/team.graphql";
    /// `archiveTeam`.
    ArchiveTeam => "graphql/team.graphql";
    /// `addPerson`.
    AddPerson => "graphql/person.graphql";
    /// `updatePerson`.
    UpdatePerson => "graphql/person.graphql";
    /// `offboardPerson`.
    OffboardPerson => "graphql/person.graphql";
    /// `assignRole`.
    AssignRole => "graphql/person.graphql";
    /// `revokeRole`.
    RevokeRole => "graphql/person.graphql";
    /// `setReportingLine`.
    SetReportingLine => "graphql/person.graphql";
    /// `clearReportingLine`.
    ClearReportingLine => "graphql/person.graphql";
    /// `registerChannel`.
    RegisterChannel => "graphql/channel.graphql";
    /// `retireChannel`.
    RetireChannel => "graphql/channel.graphql";
    /// `revokeServiceToken`.
    RevokeServiceToken => "graphql/service_token.graphql";
    /// `defineApprovalPolicy`.
    DefineApprovalPolicy => "graphql/approval_policy.graphql";
    /// `reviseApprovalPolicy`.
    ReviseApprovalPolicy => "graphql/approval_policy.graphql";
    /// `retireApprovalPolicy`.
    RetireApprovalPolicy => "graphql/approval_policy.graphql";
    /// `addLexiconTerm`.
    AddLexiconTerm => "graphql/lexicon.graphql";
    /// `removeLexiconTerm`.
    RemoveLexiconTerm => "graphql/lexicon.graphql";
    /// `draftPost`.
    DraftPost => "graphql/post.graphql";
    /// `editPost`.
    EditPost => "graphql/post.graphql";
    /// `submitPost`.
    SubmitPost => "graphql/post.graphql";
    /// `withdrawPost`.
    WithdrawPost => "graphql/post.graphql";
    /// `approvePost`.
    ApprovePost => "graphql/post.graphql";
    /// `rejectPost`.
    RejectPost => "graphql/post.graphql";
    /// `schedulePost`.
    SchedulePost => "graphql/post.graphql";
    /// `markPublished`.
    MarkPublished => "graphql/post.graphql";
    /// `retractPost`.
    RetractPost => "graphql/post.graphql";
    /// `logLegalReview`.
    LogLegalReview => "graphql/legal_review.graphql";
    /// `receiveChannelMessage`.
    ReceiveChannelMessage => "graphql/case.graphql";
    /// `receiveExternalCase`.
    ReceiveExternalCase => "graphql/case.graphql";
    /// `openCase`.
    OpenCase => "graphql/case.graphql";
    /// `recordContactMessage`.
    RecordContactMessage => "graphql/case.graphql";
    /// `updateContact`.
    UpdateContact => "graphql/case.graphql";
    /// `assignCase`.
    AssignCase => "graphql/case.graphql";
    /// `unassignCase`.
    UnassignCase => "graphql/case.graphql";
    /// `transferCase`.
    TransferCase => "graphql/case.graphql";
    /// `waitOnContact`.
    WaitOnContact => "graphql/case.graphql";
    /// `escalateCase`.
    EscalateCase => "graphql/case.graphql";
    /// `resolveCase`.
    ResolveCase => "graphql/case.graphql";
    /// `mergeCase`.
    MergeCase => "graphql/case.graphql";
    /// `replyToCase`.
    ReplyToCase => "graphql/case.graphql";
    /// `approveCaseReply`.
    ApproveCaseReply => "graphql/case.graphql";
    /// `rejectCaseReply`.
    RejectCaseReply => "graphql/case.graphql";
    /// `withdrawCaseReply`.
    WithdrawCaseReply => "graphql/case.graphql";
    /// `recordOutboundMessage`.
    RecordOutboundMessage => "graphql/case.graphql";
    /// `setRoutingRules`.
    SetRoutingRules => "graphql/case_config.graphql";
    /// `defineSlaPolicy`.
    DefineSlaPolicy => "graphql/case_config.graphql";
    /// `reviseSlaPolicy`.
    ReviseSlaPolicy => "graphql/case_config.graphql";
    /// `retireSlaPolicy`.
    RetireSlaPolicy => "graphql/case_config.graphql";
    /// `defineBusinessCalendar`.
    DefineBusinessCalendar => "graphql/case_config.graphql";
    /// `reviseBusinessCalendar`.
    ReviseBusinessCalendar => "graphql/case_config.graphql";
    /// `retireBusinessCalendar`.
    RetireBusinessCalendar => "graphql/case_config.graphql";
    /// `configureCaseQueue`.
    ConfigureCaseQueue => "graphql/case_config.graphql";
    /// `configureScimGroup`: maps an identity provider's SCIM group to a role grant.
    ConfigureScimGroup => "graphql/scim_group.graphql";

    // ---- subscriptions ----
    /// `events` (subscription, over graphql-transport-ws at `/graphql/ws`): use
    /// `request_body::<Events>` for the `subscribe` payload and decode each `next`
    /// message's `payload.data` as [`events::ResponseData`].
    Events => "graphql/events.graphql";
    /// `postUpdates(postIds)` (subscription): every event of the given posts (all
    /// posts when `post_ids` is `None`); decode each `next` payload as
    /// [`post_updates::ResponseData`].
    PostUpdates => "graphql/events.graphql";
    /// `approvalInboxUpdates` (subscription): a signal to refetch `approvalInbox`;
    /// decode each `next` payload as [`approval_inbox_updates::ResponseData`].
    ApprovalInboxUpdates => "graphql/events.graphql";
    /// `caseUpdates` (subscription): every event of the given cases.
    CaseUpdates => "graphql/events.graphql";
    /// `caseQueueUpdates` (subscription): a team's case queue changed.
    CaseQueueUpdates => "graphql/events.graphql";
}
