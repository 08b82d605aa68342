//! Raw GraphQL documents for requests the typed client cannot express (bad input,
//! minimal selections).

pub const RENAME_ORGANIZATION: &str =
    "mutation($input: RenameOrganizationInput!) { renameOrganization(input: $input) { organization { id name } position replayed } }";
pub const CREATE_TEAM: &str =
    "mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id name parent { id } } position replayed } }";
pub const RENAME_TEAM: &str =
    "mutation($input: RenameTeamInput!) { renameTeam(input: $input) { team { id name } position replayed } }";
pub const ARCHIVE_TEAM: &str =
    "mutation($input: ArchiveTeamInput!) { archiveTeam(input: $input) { team { id archived } position replayed } }";
pub const ADD_PERSON: &str =
    "mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id email } position replayed } }";
pub const UPDATE_PERSON: &str =
    "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id displayName email } position replayed } }";
pub const OFFBOARD_PERSON: &str =
    "mutation($input: OffboardPersonInput!) { offboardPerson(input: $input) { person { id status } position replayed } }";
pub const ASSIGN_ROLE: &str =
    "mutation($input: AssignRoleInput!) { assignRole(input: $input) { roleAssignment { id function active } position replayed } }";
pub const REVOKE_ROLE: &str =
    "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id active } position replayed } }";
pub const SET_REPORTING_LINE: &str =
    "mutation($input: SetReportingLineInput!) { setReportingLine(input: $input) { person { id manager { id } } position replayed } }";
pub const CLEAR_REPORTING_LINE: &str =
    "mutation($input: ClearReportingLineInput!) { clearReportingLine(input: $input) { person { id manager { id } } position replayed } }";
pub const REGISTER_CHANNEL: &str =
    "mutation($input: RegisterChannelInput!) { registerChannel(input: $input) { channel { id handle } position replayed } }";
pub const RETIRE_CHANNEL: &str =
    "mutation($input: RetireChannelInput!) { retireChannel(input: $input) { channel { id retired } position replayed } }";

// ---- content ------------------------------------------------------------------
pub const POST_FIELDS: &str = "id status text campaign scheduledAt legallyBlocked approvedAt \
    flags { flag source term lexiconVersion } channels { id } author { id } \
    approvals(includeVoided: true) { approverId step policyVersion function voided } \
    openSteps { step signatures requiredSignatures } \
    publication { networkPostId url delegatedAuthority { policyId policyVersion function } }";
pub const DEFINE_APPROVAL_POLICY: &str =
    "mutation($input: DefineApprovalPolicyInput!) { defineApprovalPolicy(input: $input) { policy { id version retired scope { kind id } steps { name requiredSignatures } delegation { holders { function } } } position replayed } }";
pub const REVISE_APPROVAL_POLICY: &str =
    "mutation($input: ReviseApprovalPolicyInput!) { reviseApprovalPolicy(input: $input) { policy { id version retired } position replayed } }";
pub const RETIRE_APPROVAL_POLICY: &str =
    "mutation($input: RetireApprovalPolicyInput!) { retireApprovalPolicy(input: $input) { policy { id version retired } position replayed } }";
pub const ADD_LEXICON_TERM: &str =
    "mutation($input: LexiconTermInput!) { addLexiconTerm(input: $input) { lexicon { version terms { flag term } } position replayed } }";
pub const REMOVE_LEXICON_TERM: &str =
    "mutation($input: LexiconTermInput!) { removeLexiconTerm(input: $input) { lexicon { version terms { flag term } } position replayed } }";
pub const DRAFT_POST: &str =
    "mutation($input: DraftPostInput!) { draftPost(input: $input) { post { id status flags { flag source term } } position replayed } }";
pub const EDIT_POST: &str =
    "mutation($input: EditPostInput!) { editPost(input: $input) { post { id status text flags { flag source term } } position replayed } }";
pub const SUBMIT_POST: &str =
    "mutation($input: PostActionInput!) { submitPost(input: $input) { post { id status openSteps { step } } position replayed } }";
pub const WITHDRAW_POST: &str =
    "mutation($input: PostActionInput!) { withdrawPost(input: $input) { post { id status } position replayed } }";
pub const APPROVE_POST: &str =
    "mutation($input: ApprovePostInput!) { approvePost(input: $input) { post { id status } position replayed } }";
pub const REJECT_POST: &str =
    "mutation($input: RejectPostInput!) { rejectPost(input: $input) { post { id status } position replayed } }";
pub const SCHEDULE_POST: &str =
    "mutation($input: SchedulePostInput!) { schedulePost(input: $input) { post { id status scheduledAt } position replayed } }";
pub const MARK_PUBLISHED: &str =
    "mutation($input: MarkPublishedInput!) { markPublished(input: $input) { post { id status publication { url delegatedAuthority { policyVersion function } } } position replayed } }";
pub const RETRACT_POST: &str =
    "mutation($input: RetractPostInput!) { retractPost(input: $input) { post { id status retraction { reason } } position replayed } }";
pub const LOG_LEGAL_REVIEW: &str =
    "mutation($input: LogLegalReviewInput!) { logLegalReview(input: $input) { legalReview { id outcome kind subjectKind } post { id legallyBlocked } position replayed } }";
pub const APPROVAL_INBOX: &str = "{ approvalInbox { edges { node { id } } } }";
