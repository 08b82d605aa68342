use chorus_teams_domain::values::{Responsibility, RoleFunction};
use chrono::{DateTime, Utc};
use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use cqrs_es::Aggregate;
use uuid::Uuid;

use super::*;
use crate::lexicon::LexiconMatch;
use crate::policy::{
    ApprovalPolicy, ApprovalPolicyEvent, Delegation, PolicyDefinition, PolicySnapshot, PolicyStep,
    StepConditions,
};
use crate::test_support::{
    assert_events_round_trip, at, definition, held, legal_step, manager_rule, manager_step,
    on_channels, org_scope, replayed, rule, snapshot, step, step_name, ORG,
};
use crate::values::{
    CampaignName, Comment, ContentFlag, FlagSource, HeldRole, MediaUrl, NetworkPostId, PostFlag,
    PostStatus, PostText, PublishedUrl, ReviewOutcome,
};

type PostTest = TestFramework<Post>;

const POST: Uuid = Uuid::from_u128(0x90);
const AUTHOR: Uuid = Uuid::from_u128(0xa1);
const SIGNER_1: Uuid = Uuid::from_u128(0x51);
const SIGNER_2: Uuid = Uuid::from_u128(0x52);
const SIGNER_3: Uuid = Uuid::from_u128(0x53);
const LAWYER: Uuid = Uuid::from_u128(0x1a);
const CHANNEL_A: Uuid = Uuid::from_u128(0xca);
const CHANNEL_B: Uuid = Uuid::from_u128(0xcb);
const POLICY: Uuid = Uuid::from_u128(0xb0);
const POLICY_2: Uuid = Uuid::from_u128(0xb1);
const REVIEW: Uuid = Uuid::from_u128(0xe0);
const REVIEW_2: Uuid = Uuid::from_u128(0xe1);
const TEXT: &str = "Spring is here";
const MEDIA: &str = "https://cdn.example.com/spring.png";
const NETWORK_ID: &str = "1789";
const URL: &str = "https://x.com/acme/status/1789";

/// Publication time used by scheduled posts: one hour after drafting.
fn schedule() -> DateTime<Utc> {
    at(60)
}

// ---- roles ----

fn author_roles() -> Vec<HeldRole> {
    vec![held(
        0x100,
        RoleFunction::SocialMedia,
        Some(Responsibility::ContentDeveloper),
    )]
}

/// Social-media-manager role of signer `n`.
fn manager(n: u128) -> HeldRole {
    held(
        0x200 + n,
        RoleFunction::SocialMedia,
        Some(Responsibility::SocialMediaManager),
    )
}

fn counsel() -> HeldRole {
    held(
        0x300,
        RoleFunction::Legal,
        Some(Responsibility::LegalUgcCounsel),
    )
}

fn sales() -> HeldRole {
    held(0x400, RoleFunction::Sales, None)
}

// ---- policies ----

/// v1 of the standard policy: one manager always; legal counsel on pricing
/// or claims; managers hold delegated authority.
fn standard_definition() -> PolicyDefinition {
    definition(
        vec![manager_step(), legal_step()],
        Some(Delegation {
            holders: vec![manager_rule()],
        }),
    )
}

fn standard() -> PolicySnapshot {
    snapshot(POLICY, 1, standard_definition())
}

/// Two of the managers must sign.
fn two_managers() -> PolicySnapshot {
    one_step(
        POLICY,
        4,
        step(
            "managers",
            StepConditions::default(),
            vec![manager_rule()],
            2,
        ),
    )
}

/// A policy whose only step applies to nothing this post has.
fn crisis_only() -> PolicySnapshot {
    one_step(
        POLICY_2,
        2,
        step(
            "pr",
            StepConditions {
                flags_any: vec![ContentFlag::CrisisRelated],
                ..StepConditions::default()
            },
            vec![rule(RoleFunction::PublicRelations, None)],
            1,
        ),
    )
}

/// Version `version` of policy `policy_id`, with `step` its only step and no delegation.
fn one_step(policy_id: Uuid, version: u64, step: PolicyStep) -> PolicySnapshot {
    snapshot(policy_id, version, definition(vec![step], None))
}

fn applied(policies: &[PolicySnapshot]) -> Vec<AppliedPolicy> {
    policies
        .iter()
        .map(|policy| AppliedPolicy {
            policy_id: policy.policy_id,
            version: policy.version,
        })
        .collect()
}

// ---- values ----

fn text(raw: &str) -> PostText {
    PostText::try_from(raw).expect("valid text")
}

fn media() -> Vec<MediaUrl> {
    vec![MediaUrl::try_from(MEDIA).expect("valid url")]
}

fn comment(raw: &str) -> Comment {
    Comment::try_from(raw).expect("valid comment")
}

fn author_flag(flag: ContentFlag) -> PostFlag {
    PostFlag {
        flag,
        source: FlagSource::Author,
    }
}

/// The flag a [`lexicon_match`] of `term` raises.
fn lexicon_flag(flag: ContentFlag, term: &str) -> PostFlag {
    PostFlag {
        flag,
        source: FlagSource::Lexicon {
            lexicon_version: 4,
            term: term.to_string(),
        },
    }
}

fn lexicon_match(flag: ContentFlag, term: &str) -> LexiconMatch {
    LexiconMatch {
        flag,
        term: term.to_string(),
        lexicon_version: 4,
    }
}

// ---- events ----

fn drafted_with(flags: Vec<PostFlag>, scheduled_at: Option<DateTime<Utc>>) -> PostEvent {
    drafted_by(author_roles(), vec![CHANNEL_A], flags, scheduled_at)
}

/// The routine post, written by an author holding `author_roles` for `channel_ids`.
fn drafted_by(
    author_roles: Vec<HeldRole>,
    channel_ids: Vec<Uuid>,
    flags: Vec<PostFlag>,
    scheduled_at: Option<DateTime<Utc>>,
) -> PostEvent {
    PostEvent::PostDrafted {
        post_id: POST,
        organization_id: ORG,
        author_id: AUTHOR,
        author_roles,
        channel_ids,
        text: TEXT.to_string(),
        media: vec![MEDIA.to_string()],
        campaign: Some("Spring".to_string()),
        scheduled_at,
        flags,
        at: at(0),
    }
}

/// A routine post: no flags, no schedule.
fn drafted() -> PostEvent {
    drafted_with(vec![], None)
}

/// A post mentioning pricing, so the legal step applies.
fn drafted_pricing() -> PostEvent {
    drafted_with(vec![author_flag(ContentFlag::MentionsPricing)], None)
}

fn submitted(policies: Vec<PolicySnapshot>) -> PostEvent {
    PostEvent::PostSubmitted {
        policies,
        by: AUTHOR,
        at: at(1),
    }
}

fn signature(
    step: &str,
    policy: &PolicySnapshot,
    signer_id: Uuid,
    role: HeldRole,
    minute: i64,
) -> Signature {
    Signature {
        step: step.to_string(),
        policy_id: policy.policy_id,
        policy_version: policy.version,
        signer_id,
        assignment_id: role.assignment_id,
        function: role.function,
        responsibility: role.responsibility,
        at: at(minute),
        comment: None,
    }
}

fn signed(signature: Signature) -> PostEvent {
    PostEvent::PostSigned {
        step: signature.step,
        policy_id: signature.policy_id,
        policy_version: signature.policy_version,
        signer_id: signature.signer_id,
        assignment_id: signature.assignment_id,
        function: signature.function,
        responsibility: signature.responsibility,
        comment: signature.comment,
        at: signature.at,
    }
}

/// Manager signer 1 signed the standard policy's manager step at minute 2.
/// Counsel's rejection of the legal step of [`standard`] at minute 3, in the role of
/// `responsibility`.
fn rejected_by_counsel(responsibility: Option<Responsibility>, comment: &str) -> PostEvent {
    PostEvent::PostRejected {
        step: "legal".to_string(),
        policy_id: POLICY,
        policy_version: 1,
        signer_id: LAWYER,
        assignment_id: counsel().assignment_id,
        function: RoleFunction::Legal,
        responsibility,
        comment: comment.to_string(),
        at: at(3),
    }
}

fn manager_signature() -> Signature {
    signature("manager", &standard(), SIGNER_1, manager(1), 2)
}

fn approved(policies: &[PolicySnapshot], minute: i64) -> PostEvent {
    PostEvent::PostApproved {
        policies: applied(policies),
        at: at(minute),
    }
}

fn published(delegated_authority: Option<DelegatedAuthority>, minute: i64) -> PostEvent {
    PostEvent::PostPublished {
        publisher_id: SIGNER_1,
        network_post_id: NETWORK_ID.to_string(),
        url: URL.to_string(),
        delegated_authority,
        at: at(minute),
    }
}

fn blocked(review_id: Uuid, minute: i64) -> PostEvent {
    PostEvent::PostLegallyBlocked {
        review_id,
        at: at(minute),
    }
}

/// A post drafted and submitted under `policy`.
fn in_review(policy: PolicySnapshot) -> Vec<PostEvent> {
    vec![drafted(), submitted(vec![policy])]
}

/// In review under [`two_managers`], signed by the first manager at minute 2.
fn first_of_two_managers_signed() -> Vec<PostEvent> {
    with(
        in_review(two_managers()),
        [signed(signature(
            "managers",
            &two_managers(),
            SIGNER_1,
            manager(1),
            2,
        ))],
    )
}

/// A routine post approved by one manager under the standard policy.
fn approved_history() -> Vec<PostEvent> {
    vec![
        drafted(),
        submitted(vec![standard()]),
        signed(manager_signature()),
        approved(&[standard()], 2),
    ]
}

// ---- commands ----

fn draft(
    author_flags: Vec<ContentFlag>,
    lexicon_matches: Vec<LexiconMatch>,
    scheduled_at: Option<DateTime<Utc>>,
) -> PostCommand {
    PostCommand::DraftPost {
        post_id: POST,
        organization_id: ORG,
        author_id: AUTHOR,
        author_roles: author_roles(),
        channel_ids: vec![CHANNEL_A],
        text: text(TEXT),
        media: media(),
        campaign: Some(CampaignName::try_from("Spring").expect("valid campaign")),
        scheduled_at,
        author_flags,
        lexicon_matches,
        now: at(0),
    }
}

fn edit(editor_id: Uuid, minute: i64) -> PostCommand {
    PostCommand::EditPost {
        text: text("Spring is finally here"),
        media: vec![],
        campaign: None,
        scheduled_at: None,
        author_flags: vec![],
        lexicon_matches: vec![],
        editor_id,
        now: at(minute),
    }
}

fn edited(minute: i64) -> PostEvent {
    PostEvent::PostEdited {
        editor_id: AUTHOR,
        text: "Spring is finally here".to_string(),
        media: vec![],
        campaign: None,
        scheduled_at: None,
        flags: vec![],
        at: at(minute),
    }
}

fn submit(policies: Vec<PolicySnapshot>) -> PostCommand {
    PostCommand::SubmitPost {
        policies,
        by: AUTHOR,
        now: at(1),
    }
}

fn approve(signer_id: Uuid, roles: Vec<HeldRole>, minute: i64) -> PostCommand {
    PostCommand::ApprovePost {
        signer_id,
        signer_roles: roles,
        step: None,
        comment: None,
        now: at(minute),
    }
}

fn approve_step(signer_id: Uuid, roles: Vec<HeldRole>, step: &str) -> PostCommand {
    PostCommand::ApprovePost {
        signer_id,
        signer_roles: roles,
        step: Some(step_name(step)),
        comment: None,
        now: at(3),
    }
}

fn reject(signer_id: Uuid, roles: Vec<HeldRole>, why: &str) -> PostCommand {
    PostCommand::RejectPost {
        signer_id,
        signer_roles: roles,
        comment: comment(why),
        now: at(3),
    }
}

fn publish(roles: Vec<HeldRole>, delegation_policies: Vec<PolicySnapshot>) -> PostCommand {
    PostCommand::MarkPublished {
        publisher_id: SIGNER_1,
        publisher_roles: roles,
        network_post_id: NetworkPostId::try_from(NETWORK_ID).expect("valid id"),
        url: PublishedUrl::try_from(URL).expect("valid url"),
        delegation_policies,
        now: at(10),
    }
}

fn legal_review(review_id: Uuid, outcome: ReviewOutcome, minute: i64) -> PostCommand {
    PostCommand::ApplyLegalReview {
        review_id,
        outcome,
        now: at(minute),
    }
}

// ---- helpers ----

fn state(events: Vec<PostEvent>) -> Post {
    replayed(events)
}

/// The framework with `events` already recorded.
fn given(events: Vec<PostEvent>) -> AggregateTestExecutor<Post> {
    PostTest::with(()).given(events)
}

fn run(history: Vec<PostEvent>, command: PostCommand) -> Result<Vec<PostEvent>, PostError> {
    given(history).when(command).inspect_result()
}

fn invalid_field(given: Vec<PostEvent>, command: PostCommand) -> &'static str {
    match run(given, command) {
        Err(PostError::Invalid(error)) => error.field,
        other => panic!("expected a value error, got {other:?}"),
    }
}

fn with(mut events: Vec<PostEvent>, more: impl IntoIterator<Item = PostEvent>) -> Vec<PostEvent> {
    events.extend(more);
    events
}

// ---- DraftPost ----

#[test]
fn draft_post() {
    given(vec![])
        .when(draft(vec![], vec![], None))
        .then_expect_events(vec![drafted()]);
}

#[test]
fn draft_merges_author_and_lexicon_flags_author_first() {
    given(vec![])
        .when(draft(
            vec![
                ContentFlag::RegulatedClaim,
                ContentFlag::MentionsPricing,
                ContentFlag::RegulatedClaim,
            ],
            vec![
                lexicon_match(ContentFlag::MentionsPricing, "free"),
                lexicon_match(ContentFlag::CrisisRelated, "recall"),
                lexicon_match(ContentFlag::CrisisRelated, "outage"),
            ],
            None,
        ))
        .then_expect_events(vec![drafted_with(
            vec![
                author_flag(ContentFlag::RegulatedClaim),
                author_flag(ContentFlag::MentionsPricing),
                lexicon_flag(ContentFlag::CrisisRelated, "recall"),
            ],
            None,
        )]);
}

#[test]
fn draft_with_schedule() {
    given(vec![])
        .when(draft(vec![], vec![], Some(schedule())))
        .then_expect_events(vec![drafted_with(vec![], Some(schedule()))]);
}

#[test]
fn draft_schedule_must_be_in_the_future() {
    for scheduled_at in [at(0), at(-5)] {
        given(vec![])
            .when(draft(vec![], vec![], Some(scheduled_at)))
            .then_expect_error(PostError::ScheduleInPast);
    }
}

#[test]
fn draft_twice_is_refused() {
    given(vec![drafted()])
        .when(draft(vec![], vec![], None))
        .then_expect_error(PostError::AlreadyExists);
}

#[test]
fn draft_channel_rules() {
    let with_channels = |channels: Vec<Uuid>| {
        let mut command = draft(vec![], vec![], None);
        if let PostCommand::DraftPost { channel_ids, .. } = &mut command {
            *channel_ids = channels;
        }
        command
    };
    assert_eq!(invalid_field(vec![], with_channels(vec![])), "channelIds");
    assert_eq!(
        invalid_field(vec![], with_channels(vec![CHANNEL_A, CHANNEL_B, CHANNEL_A])),
        "channelIds"
    );
    let eleven: Vec<Uuid> = (0..11).map(|i| Uuid::from_u128(0xc00 + i)).collect();
    assert_eq!(invalid_field(vec![], with_channels(eleven)), "channelIds");
    let ten: Vec<Uuid> = (0..10).map(|i| Uuid::from_u128(0xc00 + i)).collect();
    assert!(run(vec![], with_channels(ten)).is_ok());
}

#[test]
fn draft_media_is_limited_to_ten() {
    let with_media = |count: usize| {
        let mut command = draft(vec![], vec![], None);
        if let PostCommand::DraftPost { media, .. } = &mut command {
            *media = vec![MediaUrl::try_from(MEDIA).expect("valid"); count];
        }
        command
    };
    assert!(run(vec![], with_media(10)).is_ok());
    let error = run(vec![], with_media(11)).expect_err("too many media");
    assert_eq!(error.code(), "BAD_USER_INPUT");
    assert_eq!(invalid_field(vec![], with_media(11)), "mediaUrls");
}

// ---- EditPost ----

#[test]
fn edit_draft() {
    given(vec![drafted()])
        .when(edit(AUTHOR, 1))
        .then_expect_events(vec![edited(1)]);
}

#[test]
fn only_the_author_edits() {
    given(vec![drafted()])
        .when(edit(SIGNER_1, 1))
        .then_expect_error(PostError::NotAuthor);
}

#[test]
fn edit_recomputes_flags() {
    given(vec![drafted_pricing()])
        .when(PostCommand::EditPost {
            text: text("Big recall"),
            media: vec![],
            campaign: None,
            scheduled_at: Some(schedule()),
            author_flags: vec![],
            lexicon_matches: vec![lexicon_match(ContentFlag::CrisisRelated, "recall")],
            editor_id: AUTHOR,
            now: at(1),
        })
        .then_expect_events(vec![PostEvent::PostEdited {
            editor_id: AUTHOR,
            text: "Big recall".to_string(),
            media: vec![],
            campaign: None,
            scheduled_at: Some(schedule()),
            flags: vec![lexicon_flag(ContentFlag::CrisisRelated, "recall")],
            at: at(1),
        }]);
}

#[test]
fn edit_in_review_without_signatures_returns_to_draft() {
    let history = in_review(two_managers());
    let events = run(history.clone(), edit(AUTHOR, 2)).expect("edit is allowed");
    assert_eq!(events, vec![edited(2)]);
    let post = state(with(history, events));
    assert_eq!(post.status(), Some(PostStatus::Draft));
    assert!(post.policies().is_empty(), "must be resubmitted");
}

#[test]
fn edit_in_review_voids_collected_signatures() {
    let first = signature("managers", &two_managers(), SIGNER_1, manager(1), 2);
    given(vec![
        drafted(),
        submitted(vec![two_managers()]),
        signed(first.clone()),
    ])
    .when(edit(AUTHOR, 3))
    .then_expect_events(vec![
        PostEvent::ApprovalsVoided {
            voided: vec![first],
            reason: VoidReason::Edited,
            at: at(3),
        },
        edited(3),
    ]);
}

#[test]
fn edit_after_approval_voids_it() {
    let events = run(approved_history(), edit(AUTHOR, 5)).expect("edit is allowed");
    assert_eq!(
        events,
        vec![
            PostEvent::ApprovalsVoided {
                voided: vec![manager_signature()],
                reason: VoidReason::Edited,
                at: at(5),
            },
            edited(5),
        ]
    );
    let post = state(with(approved_history(), events));
    assert_eq!(post.status(), Some(PostStatus::Draft));
    assert!(post.signatures().is_empty());
    assert!(post.approved_under().is_empty());
    // The edited post cannot be published on the old approval.
    let post_events = with(
        approved_history(),
        run(approved_history(), edit(AUTHOR, 5)).expect("edit"),
    );
    given(with(
        post_events,
        [PostEvent::PostEdited {
            editor_id: AUTHOR,
            text: "Now 50% off".to_string(),
            media: vec![],
            campaign: None,
            scheduled_at: None,
            flags: vec![author_flag(ContentFlag::MentionsPricing)],
            at: at(6),
        }],
    ))
    .when(publish(vec![manager(1)], vec![standard()]))
    .then_expect_error(PostError::NotApproved);
}

#[test]
fn edit_of_auto_approved_post_voids_the_approval() {
    given(vec![
        drafted(),
        submitted(vec![crisis_only()]),
        approved(&[crisis_only()], 1),
    ])
    .when(edit(AUTHOR, 4))
    .then_expect_events(vec![
        PostEvent::ApprovalsVoided {
            voided: vec![],
            reason: VoidReason::Edited,
            at: at(4),
        },
        edited(4),
    ]);
}

#[test]
fn edit_after_publication_is_refused() {
    given(with(approved_history(), [published(None, 10)]))
        .when(edit(AUTHOR, 11))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Published,
        });
}

// ---- SubmitPost ----

#[test]
fn submit_with_pending_steps_goes_to_review() {
    let events = run(vec![drafted()], submit(vec![standard()])).expect("submit");
    assert_eq!(events, vec![submitted(vec![standard()])]);
    let post = state(with(vec![drafted()], events));
    assert_eq!(post.status(), Some(PostStatus::InReview));
    assert_eq!(post.policies(), [standard()]);
}

#[test]
fn submit_with_no_applicable_step_is_approved_at_once() {
    given(vec![drafted()])
        .when(submit(vec![crisis_only()]))
        .then_expect_events(vec![
            submitted(vec![crisis_only()]),
            approved(&[crisis_only()], 1),
        ]);
}

#[test]
fn submit_without_policies_is_approved_at_once() {
    given(vec![drafted()])
        .when(submit(vec![]))
        .then_expect_events(vec![submitted(vec![]), approved(&[], 1)]);
}

#[test]
fn auto_approved_scheduled_post_is_scheduled() {
    let history = vec![drafted_with(vec![], Some(schedule()))];
    let events = run(history.clone(), submit(vec![crisis_only()])).expect("submit");
    assert_eq!(
        events,
        vec![
            submitted(vec![crisis_only()]),
            approved(&[crisis_only()], 1)
        ]
    );
    assert_eq!(
        state(with(history, events)).status(),
        Some(PostStatus::Scheduled)
    );
}

#[test]
fn only_the_author_submits() {
    given(vec![drafted()])
        .when(PostCommand::SubmitPost {
            policies: vec![standard()],
            by: SIGNER_1,
            now: at(1),
        })
        .then_expect_error(PostError::NotAuthor);
}

#[test]
fn submit_twice_is_refused() {
    given(in_review(standard()))
        .when(submit(vec![standard()]))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::InReview,
        });
}

#[test]
fn submit_missing_post_is_not_found() {
    given(vec![])
        .when(submit(vec![standard()]))
        .then_expect_error(PostError::NotFound);
}

#[test]
fn submit_refuses_repeated_policies() {
    assert_eq!(
        invalid_field(vec![drafted()], submit(vec![standard(), standard()])),
        "policies"
    );
}

#[test]
fn submit_after_the_scheduled_time_is_refused() {
    given(vec![drafted_with(vec![], Some(at(1)))])
        .when(submit(vec![standard()]))
        .then_expect_error(PostError::ScheduleInPast);
}

#[test]
fn resubmission_after_rejection_starts_a_new_round() {
    let first = signature("managers", &two_managers(), SIGNER_1, manager(1), 2);
    given(vec![
        drafted(),
        submitted(vec![two_managers()]),
        signed(first.clone()),
        PostEvent::PostRejected {
            step: "managers".to_string(),
            policy_id: POLICY,
            policy_version: 4,
            signer_id: SIGNER_2,
            assignment_id: manager(2).assignment_id,
            function: RoleFunction::SocialMedia,
            responsibility: Some(Responsibility::SocialMediaManager),
            comment: "Tone".to_string(),
            at: at(3),
        },
    ])
    .when(PostCommand::SubmitPost {
        policies: vec![two_managers()],
        by: AUTHOR,
        now: at(4),
    })
    .then_expect_events(vec![
        PostEvent::ApprovalsVoided {
            voided: vec![first],
            reason: VoidReason::Resubmitted,
            at: at(4),
        },
        PostEvent::PostSubmitted {
            policies: vec![two_managers()],
            by: AUTHOR,
            at: at(4),
        },
    ]);
}

// ---- step conditions ----

#[test]
fn flagged_post_needs_the_legal_step_too() {
    let history = vec![drafted_pricing(), submitted(vec![standard()])];
    // The manager's signature alone does not approve it.
    given(history.clone())
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![signed(manager_signature())]);
    // Counsel completes it.
    given(with(history, [signed(manager_signature())]))
        .when(approve(LAWYER, vec![counsel()], 3))
        .then_expect_events(vec![
            signed(signature("legal", &standard(), LAWYER, counsel(), 3)),
            approved(&[standard()], 3),
        ]);
}

#[test]
fn unflagged_post_skips_the_legal_step() {
    given(in_review(standard()))
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![
            signed(manager_signature()),
            approved(&[standard()], 2),
        ]);
}

#[test]
fn lexicon_flags_trigger_steps_like_author_flags() {
    let lexicon_flagged = drafted_with(
        vec![lexicon_flag(ContentFlag::RegulatedClaim, "cures")],
        None,
    );
    let post = state(vec![lexicon_flagged, submitted(vec![standard()])]);
    let steps: Vec<String> = post
        .review_status()
        .iter()
        .map(|status| status.step.name.to_string())
        .collect();
    assert_eq!(steps, vec!["manager", "legal"]);
}

#[test]
fn channel_condition_selects_steps() {
    let channel_policy = one_step(
        POLICY,
        1,
        step(
            "channel b owner",
            on_channels(vec![CHANNEL_B]),
            vec![manager_rule()],
            1,
        ),
    );
    // The post targets channel A only: nothing applies.
    given(vec![drafted()])
        .when(submit(vec![channel_policy.clone()]))
        .then_expect_events(vec![
            submitted(vec![channel_policy.clone()]),
            approved(std::slice::from_ref(&channel_policy), 1),
        ]);
    // Targeting channel B as well makes the step apply.
    let on_b = drafted_by(author_roles(), vec![CHANNEL_A, CHANNEL_B], vec![], None);
    given(vec![on_b])
        .when(submit(vec![channel_policy.clone()]))
        .then_expect_events(vec![submitted(vec![channel_policy])]);
}

#[test]
fn author_function_condition_uses_roles_recorded_at_draft() {
    let sales_posts = one_step(
        POLICY,
        1,
        step(
            "marketing check",
            StepConditions {
                author_functions: vec![RoleFunction::Sales],
                ..StepConditions::default()
            },
            vec![rule(RoleFunction::Marketing, None)],
            1,
        ),
    );
    // A social-media author: the step does not apply.
    given(vec![drafted()])
        .when(submit(vec![sales_posts.clone()]))
        .then_expect_events(vec![
            submitted(vec![sales_posts.clone()]),
            approved(std::slice::from_ref(&sales_posts), 1),
        ]);
    // A sales author: it does, and only marketing may sign it.
    let by_sales = drafted_by(vec![sales()], vec![CHANNEL_A], vec![], None);
    given(vec![by_sales, submitted(vec![sales_posts])])
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_error(PostError::NotEntitled {
            step: "marketing check".to_string(),
        });
}

// ---- ApprovePost ----

#[test]
fn any_one_signature_approves_with_comment() {
    given(in_review(standard()))
        .when(PostCommand::ApprovePost {
            signer_id: SIGNER_2,
            signer_roles: vec![sales(), manager(2)],
            step: None,
            comment: Some(comment(" Looks good ")),
            now: at(2),
        })
        .then_expect_events(vec![
            signed(Signature {
                comment: Some("Looks good".to_string()),
                ..signature("manager", &standard(), SIGNER_2, manager(2), 2)
            }),
            approved(&[standard()], 2),
        ]);
}

#[test]
fn n_of_step_needs_n_different_signers() {
    let first = signature("managers", &two_managers(), SIGNER_1, manager(1), 2);
    let history = in_review(two_managers());
    given(history.clone())
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![signed(first.clone())]);
    let history = with(history, [signed(first)]);
    assert_eq!(state(history.clone()).status(), Some(PostStatus::InReview));
    given(history)
        .when(approve(SIGNER_2, vec![manager(2)], 3))
        .then_expect_events(vec![
            signed(signature(
                "managers",
                &two_managers(),
                SIGNER_2,
                manager(2),
                3,
            )),
            approved(&[two_managers()], 3),
        ]);
}

#[test]
fn one_signature_per_signer_per_step() {
    given(first_of_two_managers_signed())
        .when(approve(SIGNER_1, vec![manager(1)], 3))
        .then_expect_error(PostError::AlreadySigned {
            step: "managers".to_string(),
        });
}

#[test]
fn one_signature_per_signer_even_with_another_role() {
    // A second assignment does not make the same person a second signer.
    given(first_of_two_managers_signed())
        .when(approve(SIGNER_1, vec![manager(9)], 3))
        .then_expect_error(PostError::AlreadySigned {
            step: "managers".to_string(),
        });
}

#[test]
fn four_eyes_the_author_cannot_approve() {
    given(in_review(standard()))
        .when(approve(AUTHOR, vec![manager(1)], 2))
        .then_expect_error(PostError::FourEyes);
}

#[test]
fn signer_without_an_entitled_role_is_refused() {
    given(in_review(standard()))
        .when(approve(SIGNER_3, vec![sales()], 2))
        .then_expect_error(PostError::NotEntitled {
            step: "manager".to_string(),
        });
}

#[test]
fn responsibility_named_by_the_rule_is_required() {
    let strategist = held(
        0x250,
        RoleFunction::SocialMedia,
        Some(Responsibility::Strategist),
    );
    given(in_review(standard()))
        .when(approve(SIGNER_3, vec![strategist], 2))
        .then_expect_error(PostError::NotEntitled {
            step: "manager".to_string(),
        });
}

#[test]
fn named_step_the_signer_is_not_entitled_to() {
    given(vec![drafted_pricing(), submitted(vec![standard()])])
        .when(approve_step(SIGNER_1, vec![manager(1)], "legal"))
        .then_expect_error(PostError::NotEntitled {
            step: "legal".to_string(),
        });
}

#[test]
fn named_step_that_is_complete() {
    let dual = held(0x260, RoleFunction::Legal, None);
    given(vec![
        drafted_pricing(),
        submitted(vec![standard()]),
        signed(manager_signature()),
    ])
    .when(approve_step(SIGNER_2, vec![manager(2), dual], "manager"))
    .then_expect_error(PostError::StepComplete {
        step: "manager".to_string(),
    });
}

#[test]
fn unnamed_approval_with_only_complete_steps_is_step_complete() {
    given(vec![
        drafted_pricing(),
        submitted(vec![standard()]),
        signed(manager_signature()),
    ])
    .when(approve(SIGNER_2, vec![manager(2)], 3))
    .then_expect_error(PostError::StepComplete {
        step: "manager".to_string(),
    });
}

#[test]
fn named_step_that_does_not_apply_is_unknown() {
    given(in_review(standard()))
        .when(approve_step(LAWYER, vec![counsel()], "legal"))
        .then_expect_error(PostError::UnknownStep {
            step: "legal".to_string(),
        });
}

#[test]
fn named_step_is_signed() {
    let dual = held(0x260, RoleFunction::Legal, None);
    given(vec![drafted_pricing(), submitted(vec![standard()])])
        .when(approve_step(SIGNER_2, vec![manager(2), dual], "legal"))
        .then_expect_events(vec![signed(signature(
            "legal",
            &standard(),
            SIGNER_2,
            dual,
            3,
        ))]);
}

#[test]
fn unnamed_approval_picks_the_first_step_the_signer_may_sign() {
    // Counsel is not entitled to the manager step, so signs legal.
    given(vec![drafted_pricing(), submitted(vec![standard()])])
        .when(approve(LAWYER, vec![counsel()], 2))
        .then_expect_events(vec![signed(signature(
            "legal",
            &standard(),
            LAWYER,
            counsel(),
            2,
        ))]);
}

#[test]
fn steps_of_every_submitted_policy_must_complete() {
    let team_policy = one_step(POLICY_2, 3, manager_step());
    let policies = vec![standard(), team_policy.clone()];
    let history = vec![drafted(), submitted(policies.clone())];
    given(history.clone())
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![signed(manager_signature())]);
    // The same person may sign the other policy's step of the same name.
    given(with(history, [signed(manager_signature())]))
        .when(approve(SIGNER_1, vec![manager(1)], 3))
        .then_expect_events(vec![
            signed(signature("manager", &team_policy, SIGNER_1, manager(1), 3)),
            approved(&policies, 3),
        ]);
}

#[test]
fn approval_outside_review_is_refused() {
    given(vec![drafted()])
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Draft,
        });
    given(approved_history())
        .when(approve(SIGNER_2, vec![manager(2)], 3))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Approved,
        });
}

#[test]
fn approval_at_or_after_the_scheduled_time_is_refused() {
    let history = vec![
        drafted_with(vec![], Some(schedule())),
        submitted(vec![standard()]),
    ];
    for minute in [60, 61] {
        given(history.clone())
            .when(approve(SIGNER_1, vec![manager(1)], minute))
            .then_expect_error(PostError::ApprovalAfterSchedule);
    }
    // Just before, it is approved and, having a time, scheduled.
    let events = run(history.clone(), approve(SIGNER_1, vec![manager(1)], 59)).expect("approve");
    assert_eq!(
        events,
        vec![
            signed(signature("manager", &standard(), SIGNER_1, manager(1), 59)),
            approved(&[standard()], 59),
        ]
    );
    assert_eq!(
        state(with(history, events)).status(),
        Some(PostStatus::Scheduled)
    );
}

#[test]
fn approvals_record_the_policy_version_recorded_at_submission() {
    // The policy is defined (v1: one manager) and then revised (v2: two).
    let mut policy = ApprovalPolicy::default();
    policy.apply(ApprovalPolicyEvent::PolicyDefined {
        policy_id: POLICY,
        organization_id: ORG,
        scope: org_scope(),
        version: 1,
        definition: standard_definition(),
        by: SIGNER_3,
    });
    let v1 = policy.snapshot().expect("defined");
    policy.apply(ApprovalPolicyEvent::PolicyRevised {
        version: 2,
        definition: definition(
            vec![step(
                "manager",
                StepConditions::default(),
                vec![manager_rule()],
                2,
            )],
            None,
        ),
        by: SIGNER_3,
    });
    let v2 = policy.snapshot().expect("revised");
    assert_eq!((v1.version, v2.version), (1, 2));

    // Submitted under v1 before the revision: v1's rule (one signature)
    // decides, and the approval records version 1.
    given(vec![drafted(), submitted(vec![v1.clone()])])
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![
            signed(signature("manager", &v1, SIGNER_1, manager(1), 2)),
            PostEvent::PostApproved {
                policies: vec![AppliedPolicy {
                    policy_id: POLICY,
                    version: 1,
                }],
                at: at(2),
            },
        ]);
    // Submitted under v2: one signature is not enough, and it records v2.
    given(vec![drafted(), submitted(vec![v2.clone()])])
        .when(approve(SIGNER_1, vec![manager(1)], 2))
        .then_expect_events(vec![signed(signature(
            "manager",
            &v2,
            SIGNER_1,
            manager(1),
            2,
        ))]);
}

// ---- RejectPost ----

#[test]
fn reject_post() {
    let history = vec![drafted_pricing(), submitted(vec![standard()])];
    let events = run(
        history.clone(),
        reject(LAWYER, vec![counsel()], "Claim needs a source"),
    )
    .expect("reject");
    assert_eq!(
        events,
        vec![rejected_by_counsel(
            Some(Responsibility::LegalUgcCounsel),
            "Claim needs a source"
        )]
    );
    let post = state(with(history, events));
    assert_eq!(post.status(), Some(PostStatus::Rejected));
    // A rejected post can be edited (or resubmitted) but not approved.
    given(with(
        vec![drafted_pricing(), submitted(vec![standard()])],
        run(
            vec![drafted_pricing(), submitted(vec![standard()])],
            reject(LAWYER, vec![counsel()], "No"),
        )
        .expect("reject"),
    ))
    .when(approve(SIGNER_1, vec![manager(1)], 4))
    .then_expect_error(PostError::InvalidStatus {
        status: PostStatus::Rejected,
    });
}

#[test]
fn reject_needs_an_entitled_role_for_a_pending_step() {
    // The manager step is complete; the manager cannot reject on it.
    given(vec![
        drafted_pricing(),
        submitted(vec![standard()]),
        signed(manager_signature()),
    ])
    .when(reject(SIGNER_2, vec![manager(2)], "Meh"))
    .then_expect_error(PostError::NotEntitled {
        step: "legal".to_string(),
    });
}

#[test]
fn reject_requires_a_comment() {
    assert_eq!(
        invalid_field(
            in_review(standard()),
            reject(SIGNER_1, vec![manager(1)], "  ")
        ),
        "comment"
    );
}

#[test]
fn author_cannot_reject() {
    given(in_review(standard()))
        .when(reject(AUTHOR, vec![manager(1)], "Changed my mind"))
        .then_expect_error(PostError::FourEyes);
}

#[test]
fn reject_outside_review_is_refused() {
    given(vec![drafted()])
        .when(reject(SIGNER_1, vec![manager(1)], "No"))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Draft,
        });
}

// ---- WithdrawPost ----

#[test]
fn withdraw_voids_signatures_and_returns_to_draft() {
    let first = signature("managers", &two_managers(), SIGNER_1, manager(1), 2);
    let history = vec![
        drafted(),
        submitted(vec![two_managers()]),
        signed(first.clone()),
    ];
    let events = run(
        history.clone(),
        PostCommand::WithdrawPost {
            by: AUTHOR,
            now: at(3),
        },
    )
    .expect("withdraw");
    assert_eq!(
        events,
        vec![
            PostEvent::ApprovalsVoided {
                voided: vec![first],
                reason: VoidReason::Withdrawn,
                at: at(3),
            },
            PostEvent::PostWithdrawn {
                by: AUTHOR,
                at: at(3),
            },
        ]
    );
    let post = state(with(history, events));
    assert_eq!(post.status(), Some(PostStatus::Draft));
    assert!(post.signatures().is_empty());
    assert!(post.policies().is_empty());
}

#[test]
fn withdraw_without_signatures() {
    given(in_review(standard()))
        .when(PostCommand::WithdrawPost {
            by: AUTHOR,
            now: at(3),
        })
        .then_expect_events(vec![PostEvent::PostWithdrawn {
            by: AUTHOR,
            at: at(3),
        }]);
}

#[test]
fn withdraw_rules() {
    given(in_review(standard()))
        .when(PostCommand::WithdrawPost {
            by: SIGNER_1,
            now: at(3),
        })
        .then_expect_error(PostError::NotAuthor);
    given(vec![drafted()])
        .when(PostCommand::WithdrawPost {
            by: AUTHOR,
            now: at(3),
        })
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Draft,
        });
}

// ---- SchedulePost ----

#[test]
fn scheduling_an_approved_post_makes_it_scheduled() {
    let command = PostCommand::SchedulePost {
        scheduled_at: schedule(),
        by: AUTHOR,
        now: at(5),
    };
    let events = run(approved_history(), command).expect("schedule");
    assert_eq!(
        events,
        vec![PostEvent::PostScheduled {
            scheduled_at: schedule(),
            by: AUTHOR,
            at: at(5),
        }]
    );
    let post = state(with(approved_history(), events));
    assert_eq!(post.status(), Some(PostStatus::Scheduled));
    assert_eq!(post.scheduled_at(), Some(schedule()));
}

#[test]
fn scheduling_a_draft_keeps_it_a_draft() {
    let history = vec![drafted()];
    let events = run(
        history.clone(),
        PostCommand::SchedulePost {
            scheduled_at: schedule(),
            by: AUTHOR,
            now: at(5),
        },
    )
    .expect("schedule");
    assert_eq!(
        state(with(history, events)).status(),
        Some(PostStatus::Draft)
    );
}

#[test]
fn schedule_rules() {
    given(vec![drafted()])
        .when(PostCommand::SchedulePost {
            scheduled_at: at(5),
            by: AUTHOR,
            now: at(5),
        })
        .then_expect_error(PostError::ScheduleInPast);
    given(vec![drafted()])
        .when(PostCommand::SchedulePost {
            scheduled_at: schedule(),
            by: SIGNER_1,
            now: at(5),
        })
        .then_expect_error(PostError::NotAuthor);
    given(with(approved_history(), [published(None, 10)]))
        .when(PostCommand::SchedulePost {
            scheduled_at: schedule(),
            by: AUTHOR,
            now: at(11),
        })
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Published,
        });
}

// ---- MarkPublished ----

#[test]
fn publish_approved_post() {
    let events = run(approved_history(), publish(vec![], vec![])).expect("publish");
    assert_eq!(events, vec![published(None, 10)]);
    let post = state(with(approved_history(), events));
    assert_eq!(post.status(), Some(PostStatus::Published));
    let publication = post.publication().expect("published");
    assert_eq!(publication.network_post_id, NETWORK_ID);
    assert_eq!(publication.url, URL);
    assert_eq!(publication.delegated_authority, None);
}

#[test]
fn publish_scheduled_post() {
    given(vec![
        drafted_with(vec![], Some(schedule())),
        submitted(vec![standard()]),
        signed(manager_signature()),
        approved(&[standard()], 2),
    ])
    .when(publish(vec![], vec![]))
    .then_expect_events(vec![published(None, 10)]);
}

fn delegated(policy: &PolicySnapshot) -> DelegatedAuthority {
    DelegatedAuthority {
        policy_id: policy.policy_id,
        policy_version: policy.version,
        assignment_id: manager(1).assignment_id,
        function: RoleFunction::SocialMedia,
        responsibility: Some(Responsibility::SocialMediaManager),
    }
}

#[test]
fn delegated_authority_publishes_an_unflagged_draft() {
    let events = run(
        vec![drafted()],
        publish(vec![sales(), manager(1)], vec![standard()]),
    )
    .expect("delegated publication");
    assert_eq!(events, vec![published(Some(delegated(&standard())), 10)]);
    let post = state(with(vec![drafted()], events));
    assert_eq!(
        post.publication().and_then(|p| p.delegated_authority),
        Some(delegated(&standard()))
    );
}

#[test]
fn delegated_authority_uses_the_policy_recorded_at_submission() {
    // The current version (v5, no delegation) does not take the recorded
    // v1's delegation away from a post in review.
    let current = snapshot(POLICY, 5, definition(vec![], None));
    given(vec![drafted(), submitted(vec![two_managers(), standard()])])
        .when(publish(vec![manager(1)], vec![current]))
        .then_expect_events(vec![published(Some(delegated(&standard())), 10)]);
}

#[test]
fn delegated_authority_does_not_cover_flagged_posts() {
    given(vec![drafted_pricing()])
        .when(publish(vec![manager(1)], vec![standard()]))
        .then_expect_error(PostError::NotApproved);
}

#[test]
fn publication_without_approval_or_delegation_is_refused() {
    // Not a holder.
    given(vec![drafted()])
        .when(publish(vec![sales()], vec![standard()]))
        .then_expect_error(PostError::NotApproved);
    // No policy delegates.
    given(vec![drafted()])
        .when(publish(vec![manager(1)], vec![two_managers()]))
        .then_expect_error(PostError::NotApproved);
    // A rejected post is not routine.
    given(vec![
        drafted(),
        submitted(vec![standard()]),
        PostEvent::PostRejected {
            step: "manager".to_string(),
            policy_id: POLICY,
            policy_version: 1,
            signer_id: SIGNER_2,
            assignment_id: manager(2).assignment_id,
            function: RoleFunction::SocialMedia,
            responsibility: Some(Responsibility::SocialMediaManager),
            comment: "No".to_string(),
            at: at(3),
        },
    ])
    .when(publish(vec![manager(1)], vec![standard()]))
    .then_expect_error(PostError::NotApproved);
}

#[test]
fn publish_twice_is_refused() {
    given(with(approved_history(), [published(None, 10)]))
        .when(publish(vec![], vec![]))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Published,
        });
}

#[test]
fn expired_post_cannot_be_published() {
    given(vec![
        drafted_with(vec![], Some(schedule())),
        PostEvent::PostExpired { at: at(61) },
    ])
    .when(publish(vec![manager(1)], vec![standard()]))
    .then_expect_error(PostError::PostExpired);
}

// ---- legal reviews ----

#[test]
fn blocked_review_stops_approval() {
    given(in_review(standard()))
        .when(legal_review(REVIEW, ReviewOutcome::Blocked, 2))
        .then_expect_events(vec![blocked(REVIEW, 2)]);
    given(vec![
        drafted(),
        submitted(vec![standard()]),
        blocked(REVIEW, 2),
    ])
    .when(approve(SIGNER_1, vec![manager(1)], 3))
    .then_expect_error(PostError::LegalBlock { review_id: REVIEW });
}

#[test]
fn blocked_review_stops_delegated_publication() {
    given(vec![drafted(), blocked(REVIEW, 1)])
        .when(publish(vec![manager(1)], vec![standard()]))
        .then_expect_error(PostError::LegalBlock { review_id: REVIEW });
}

#[test]
fn blocking_an_approved_post_voids_its_approval() {
    let events = run(
        approved_history(),
        legal_review(REVIEW, ReviewOutcome::Blocked, 5),
    )
    .expect("block");
    assert_eq!(
        events,
        vec![
            PostEvent::ApprovalsVoided {
                voided: vec![manager_signature()],
                reason: VoidReason::LegallyBlocked,
                at: at(5),
            },
            blocked(REVIEW, 5),
        ]
    );
    let history = with(approved_history(), events);
    let post = state(history.clone());
    assert_eq!(post.status(), Some(PostStatus::InReview));
    assert_eq!(post.legal_block(), Some(REVIEW));
    given(history)
        .when(publish(vec![manager(1)], vec![standard()]))
        .then_expect_error(PostError::LegalBlock { review_id: REVIEW });
}

#[test]
fn clearing_review_re_enables_approval_and_publication() {
    let history = with(
        approved_history(),
        [
            PostEvent::ApprovalsVoided {
                voided: vec![manager_signature()],
                reason: VoidReason::LegallyBlocked,
                at: at(5),
            },
            blocked(REVIEW, 5),
        ],
    );
    // A later review clears it.
    given(history.clone())
        .when(legal_review(
            REVIEW_2,
            ReviewOutcome::ClearedWithConditions,
            6,
        ))
        .then_expect_events(vec![PostEvent::PostLegallyCleared {
            review_id: REVIEW_2,
            at: at(6),
        }]);
    // The manager signs again; the post is approved and can be published.
    let history = with(
        history,
        [PostEvent::PostLegallyCleared {
            review_id: REVIEW_2,
            at: at(6),
        }],
    );
    let events = run(history.clone(), approve(SIGNER_1, vec![manager(1)], 7)).expect("approve");
    assert_eq!(
        events,
        vec![
            signed(signature("manager", &standard(), SIGNER_1, manager(1), 7)),
            approved(&[standard()], 7),
        ]
    );
    given(with(history, events))
        .when(publish(vec![], vec![]))
        .then_expect_events(vec![published(None, 10)]);
}

#[test]
fn clearing_a_post_with_nothing_left_to_sign_approves_it() {
    // Blocked before submission; no step applies, so no auto-approval...
    let history = vec![drafted(), blocked(REVIEW, 1)];
    let events = run(history.clone(), submit(vec![crisis_only()])).expect("submit");
    assert_eq!(events, vec![submitted(vec![crisis_only()])]);
    // ...until the block is cleared.
    given(with(history, events))
        .when(legal_review(REVIEW_2, ReviewOutcome::Cleared, 3))
        .then_expect_events(vec![
            PostEvent::PostLegallyCleared {
                review_id: REVIEW_2,
                at: at(3),
            },
            approved(&[crisis_only()], 3),
        ]);
}

#[test]
fn clearing_an_unblocked_post_is_recorded() {
    given(vec![drafted()])
        .when(legal_review(REVIEW, ReviewOutcome::Cleared, 1))
        .then_expect_events(vec![PostEvent::PostLegallyCleared {
            review_id: REVIEW,
            at: at(1),
        }]);
}

#[test]
fn blocked_review_keeps_partial_signatures_in_review() {
    let first = signature("managers", &two_managers(), SIGNER_1, manager(1), 2);
    given(vec![
        drafted(),
        submitted(vec![two_managers()]),
        signed(first),
    ])
    .when(legal_review(REVIEW, ReviewOutcome::Blocked, 3))
    .then_expect_events(vec![blocked(REVIEW, 3)]);
}

#[test]
fn legal_review_of_missing_post_is_not_found() {
    given(vec![])
        .when(legal_review(REVIEW, ReviewOutcome::Blocked, 1))
        .then_expect_error(PostError::NotFound);
}

// ---- RetractPost ----

#[test]
fn retract_published_post() {
    let history = with(approved_history(), [published(None, 10)]);
    let command = PostCommand::RetractPost {
        reason: comment("Wrong price"),
        by: SIGNER_2,
        now: at(20),
    };
    let events = run(history.clone(), command).expect("retract");
    assert_eq!(
        events,
        vec![PostEvent::PostRetracted {
            reason: "Wrong price".to_string(),
            by: SIGNER_2,
            at: at(20),
        }]
    );
    let post = state(with(history, events));
    assert_eq!(post.status(), Some(PostStatus::Retracted));
    assert_eq!(
        post.retraction().map(|r| r.reason.as_str()),
        Some("Wrong price")
    );
}

#[test]
fn retract_rules() {
    given(approved_history())
        .when(PostCommand::RetractPost {
            reason: comment("Oops"),
            by: SIGNER_2,
            now: at(20),
        })
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Approved,
        });
    assert_eq!(
        invalid_field(
            with(approved_history(), [published(None, 10)]),
            PostCommand::RetractPost {
                reason: comment(""),
                by: SIGNER_2,
                now: at(20),
            }
        ),
        "reason"
    );
}

// ---- ExpirePost ----

#[test]
fn unapproved_post_expires_after_its_time() {
    for history in [
        vec![drafted_with(vec![], Some(schedule()))],
        vec![
            drafted_with(vec![], Some(schedule())),
            submitted(vec![standard()]),
        ],
    ] {
        given(history)
            .when(PostCommand::ExpirePost { now: schedule() })
            .then_expect_events(vec![PostEvent::PostExpired { at: schedule() }]);
    }
}

#[test]
fn expired_post_can_no_longer_be_approved_or_edited() {
    let history = vec![
        drafted_with(vec![], Some(schedule())),
        submitted(vec![standard()]),
        PostEvent::PostExpired { at: at(61) },
    ];
    given(history.clone())
        .when(approve(SIGNER_1, vec![manager(1)], 30))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Expired,
        });
    given(history)
        .when(edit(AUTHOR, 62))
        .then_expect_error(PostError::InvalidStatus {
            status: PostStatus::Expired,
        });
}

#[test]
fn not_expirable_before_time_without_time_or_once_approved() {
    let cases = [
        (vec![drafted_with(vec![], Some(schedule()))], at(59)),
        (vec![drafted()], at(1000)),
        (
            vec![
                drafted_with(vec![], Some(schedule())),
                submitted(vec![standard()]),
                signed(manager_signature()),
                approved(&[standard()], 2),
            ],
            at(61),
        ),
    ];
    for (history, now) in cases {
        given(history)
            .when(PostCommand::ExpirePost { now })
            .then_expect_error(PostError::NotExpirable);
    }
}

// ---- state, errors, events ----

#[test]
fn apply_builds_state() {
    let fresh = Post::default();
    assert!(!fresh.exists());
    assert_eq!(fresh.status(), None);
    let post = state(with(approved_history(), [blocked(REVIEW, 3)]));
    assert_eq!(post.post_id(), Some(POST));
    assert_eq!(post.organization_id(), Some(ORG));
    assert_eq!(post.author_id(), Some(AUTHOR));
    assert_eq!(post.author_roles(), author_roles());
    assert_eq!(post.channel_ids(), [CHANNEL_A]);
    assert_eq!(post.text(), TEXT);
    assert_eq!(post.media(), [MEDIA]);
    assert_eq!(post.campaign(), Some("Spring"));
    assert_eq!(post.scheduled_at(), None);
    assert!(post.flags().is_empty());
    assert_eq!(post.status(), Some(PostStatus::Approved));
    assert_eq!(post.policies(), [standard()]);
    assert_eq!(post.signatures(), [manager_signature()]);
    assert_eq!(post.approved_under(), applied(&[standard()]));
    assert_eq!(post.legal_block(), Some(REVIEW));
    assert_eq!(post.publication(), None);
    assert_eq!(post.retraction(), None);
    let json = serde_json::to_string(&post).expect("serialize");
    let back: Post = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, post);
}

#[test]
fn error_messages_are_client_safe_sentences() {
    assert_eq!(
        PostError::InvalidStatus {
            status: PostStatus::InReview
        }
        .to_string(),
        "This is not allowed while the post is IN_REVIEW."
    );
    assert_eq!(
        PostError::NotEntitled {
            step: "legal".to_string()
        }
        .to_string(),
        "You hold no role entitled to sign the step \"legal\"."
    );
}

#[test]
fn events_round_trip_and_are_named_after_their_variant() {
    let events = vec![
        drafted(),
        drafted_with(
            vec![
                author_flag(ContentFlag::MentionsPricing),
                lexicon_flag(ContentFlag::CrisisRelated, "recall"),
            ],
            Some(schedule()),
        ),
        edited(5),
        PostEvent::ApprovalsVoided {
            voided: vec![manager_signature()],
            reason: VoidReason::Edited,
            at: at(5),
        },
        submitted(vec![standard(), two_managers()]),
        PostEvent::PostWithdrawn {
            by: AUTHOR,
            at: at(3),
        },
        signed(Signature {
            comment: Some("ok".to_string()),
            ..manager_signature()
        }),
        approved(&[standard()], 2),
        rejected_by_counsel(None, "No"),
        PostEvent::PostScheduled {
            scheduled_at: schedule(),
            by: AUTHOR,
            at: at(4),
        },
        published(None, 10),
        published(Some(delegated(&standard())), 10),
        PostEvent::PostRetracted {
            reason: "Wrong".to_string(),
            by: SIGNER_2,
            at: at(20),
        },
        PostEvent::PostExpired { at: at(61) },
        blocked(REVIEW, 3),
        PostEvent::PostLegallyCleared {
            review_id: REVIEW_2,
            at: at(4),
        },
    ];
    assert_events_round_trip(&events);
}

#[test]
fn event_json_shape_is_stable() {
    let json = serde_json::to_value(PostEvent::ApprovalsVoided {
        voided: vec![manager_signature()],
        reason: VoidReason::Edited,
        at: at(5),
    })
    .expect("serialize");
    let body = &json["ApprovalsVoided"];
    assert_eq!(body["reason"], "edited");
    assert_eq!(body["voided"][0]["step"], "manager");
    assert_eq!(body["voided"][0]["policy_version"], 1);
    assert_eq!(body["voided"][0]["function"], "SOCIAL_MEDIA");
    let json = serde_json::to_value(approved(&[standard()], 2)).expect("serialize");
    assert_eq!(
        json["PostApproved"]["policies"],
        serde_json::json!([{ "policy_id": POLICY.to_string(), "version": 1 }])
    );
    let json = serde_json::to_value(drafted_pricing()).expect("serialize");
    assert_eq!(
        json["PostDrafted"]["flags"],
        serde_json::json!([{ "flag": "MENTIONS_PRICING", "source": { "kind": "AUTHOR" } }])
    );
}
