//! The content read models, fed by real commands through the store on every backend:
//! posts, channels, timeline, status history, approvals (and their voiding), open review
//! steps, delegated publication, legal blocks, policy versions, the lexicon, legal
//! reviews; a rebuild reproduces every row (of the content and of the teams read models,
//! with every event type of each domain in the log); the approver index is used on PostgreSQL.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
// Rows are read as tuples of their SQL columns; naming each tuple type helps nobody.
#![allow(clippy::type_complexity)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chorus_content::lexicon::LexiconCommand;
use chorus_content::policy::{ApprovalPolicyCommand, PolicyDefinition, PolicyScope};
use chorus_content::{
    ApprovalPolicy, CampaignName, ContentFlag, Delegation, HeldRole, LegalReview,
    LegalReviewCommand, Lexicon, LexiconTerm, MediaUrl, NetworkPostId, PolicySnapshot, PolicyStep,
    Post, PostCommand, PostText, PublishedUrl, ReviewKind, ReviewOutcome, ReviewSubjectKind,
    SignerRule, StepConditions, StepName,
};
use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_kernel::{on_read, Actor, Backend, CommandContext, LogPosition, Projector};
use chorus_server::state::AppState;
use chorus_server::Config;
use chorus_teams::{
    Channel, ChannelCommand, Handle, Person, PersonCommand, Reason, Responsibility, RoleFunction,
    RoleScope, ScopeKind, SocialNetwork, Team, TeamCommand, TeamName,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An organization with a team, a channel and people holding roles, plus a two-step
/// policy ("managers": 2 senior managers; "legal": 1 legal holder on pricing posts) that
/// delegates routine posts to the team's social media manager.
struct World {
    _db: TestDatabase,
    state: Arc<AppState>,
    org: Uuid,
    author: Uuid,
    author_role: HeldRole,
    team: Uuid,
    channel: Uuid,
    manager1: (Uuid, HeldRole),
    manager2: (Uuid, HeldRole),
    lawyer: (Uuid, HeldRole),
    social: (Uuid, HeldRole),
    policy_id: Uuid,
    policy: PolicySnapshot,
}

fn now() -> DateTime<Utc> {
    chorus_kernel::now()
}

fn rule(function: RoleFunction, responsibility: Option<Responsibility>) -> SignerRule {
    SignerRule {
        function,
        responsibility,
    }
}

fn two_step_definition(managers_required: u8) -> PolicyDefinition {
    PolicyDefinition::new(
        vec![
            PolicyStep {
                name: StepName::try_from("managers").expect("step name"),
                conditions: StepConditions::default(),
                signers: vec![rule(RoleFunction::SeniorManagement, None)],
                required_signatures: managers_required,
            },
            PolicyStep {
                name: StepName::try_from("legal").expect("step name"),
                conditions: StepConditions {
                    flags_any: vec![ContentFlag::MentionsPricing],
                    ..StepConditions::default()
                },
                signers: vec![rule(RoleFunction::Legal, None)],
                required_signatures: 1,
            },
        ],
        Some(Delegation {
            holders: vec![rule(
                RoleFunction::SocialMedia,
                Some(Responsibility::SocialMediaManager),
            )],
        }),
    )
    .expect("valid policy")
}

impl World {
    async fn new(backend: TestBackend) -> World {
        let db = TestDatabase::create(backend).await;
        let state = AppState::open(Config {
            database_url: db.url().to_owned(),
            ..Default::default()
        })
        .await
        .expect("open state");
        let issued = chorus_server::cli::init(&state, "Acme", "ada@acme.example", None)
            .await
            .expect("init");
        let org = issued.organization_id;
        let author = issued.person_id.expect("admin person");
        // Filled in below, once the people exist.
        let nobody = (
            Uuid::nil(),
            held(Uuid::nil(), RoleFunction::Legal, None, org),
        );
        let mut world = World {
            _db: db,
            state,
            org,
            author,
            author_role: held(Uuid::nil(), RoleFunction::Marketing, None, org),
            team: Uuid::now_v7(),
            channel: Uuid::now_v7(),
            manager1: nobody,
            manager2: nobody,
            lawyer: nobody,
            social: nobody,
            policy_id: Uuid::now_v7(),
            policy: PolicySnapshot {
                policy_id: Uuid::nil(),
                version: 0,
                scope: PolicyScope {
                    kind: ScopeKind::Organization,
                    id: org,
                },
                definition: PolicyDefinition::default(),
            },
        };
        let (team, channel) = (world.team, world.channel);
        world.create_team(team, "Social", None).await;
        world
            .register_channel(channel, team, SocialNetwork::X, "acme")
            .await;
        world.author_role = world
            .assign(author, RoleFunction::Marketing, None, RoleScope::team(team))
            .await;
        world.manager1 = world
            .person_with("m1", RoleFunction::SeniorManagement, None)
            .await;
        world.manager2 = world
            .person_with("m2", RoleFunction::SeniorManagement, None)
            .await;
        world.lawyer = world.person_with("lex", RoleFunction::Legal, None).await;
        world.social = world
            .person_with(
                "sam",
                RoleFunction::SocialMedia,
                Some(Responsibility::SocialMediaManager),
            )
            .await;
        let policy_id = world.policy_id;
        let scope = PolicyScope {
            kind: ScopeKind::Organization,
            id: org,
        };
        world
            .run::<ApprovalPolicy>(
                author,
                policy_id,
                ApprovalPolicyCommand::DefinePolicy {
                    policy_id,
                    organization_id: org,
                    scope,
                    definition: two_step_definition(2),
                    by: author,
                },
            )
            .await;
        world.policy = PolicySnapshot {
            policy_id,
            version: 1,
            scope,
            definition: two_step_definition(2),
        };
        world
    }

    /// Runs one command as `actor` and waits for the read models.
    async fn run<A>(&self, actor: Uuid, id: Uuid, command: A::Command) -> LogPosition
    where
        A: cqrs_es::Aggregate<Services = ()>,
        A::Command: Send,
        A::Error: Send,
    {
        let context = CommandContext::new(self.org, Actor::person(actor), "test");
        let outcome = self
            .state
            .store
            .execute::<A>(&context, &id.to_string(), command, &())
            .await
            .expect("command accepted");
        self.state
            .projector
            .catch_up_to(outcome.position, Duration::from_secs(10))
            .await
            .expect("read models caught up");
        outcome.position
    }

    /// The author creates a team of the organization.
    async fn create_team(&self, team: Uuid, name: &str, parent: Option<Uuid>) {
        self.run::<Team>(
            self.author,
            team,
            TeamCommand::CreateTeam {
                team_id: team,
                organization_id: self.org,
                name: TeamName::try_from(name).expect("team name"),
                parent_id: parent,
            },
        )
        .await;
    }

    /// The author registers a channel of `team`.
    async fn register_channel(
        &self,
        channel: Uuid,
        team: Uuid,
        network: SocialNetwork,
        handle: &str,
    ) {
        self.run::<Channel>(
            self.author,
            channel,
            ChannelCommand::RegisterChannel {
                channel_id: channel,
                organization_id: self.org,
                team_id: team,
                network,
                handle: Handle::try_from(handle).expect("handle"),
            },
        )
        .await;
    }

    async fn assign(
        &self,
        person: Uuid,
        function: RoleFunction,
        responsibility: Option<Responsibility>,
        scope: RoleScope,
    ) -> HeldRole {
        let assignment_id = Uuid::now_v7();
        let at = now();
        self.run::<Person>(
            self.author,
            person,
            PersonCommand::AssignRole {
                assignment_id,
                function,
                responsibility,
                scope,
                effective_from: at,
                reason: Reason::try_from("test").expect("reason"),
                granted_by: self.author,
                now: at,
            },
        )
        .await;
        HeldRole {
            assignment_id,
            function,
            responsibility,
            scope,
        }
    }

    async fn person_with(
        &self,
        name: &str,
        function: RoleFunction,
        responsibility: Option<Responsibility>,
    ) -> (Uuid, HeldRole) {
        let person = Uuid::now_v7();
        self.run::<Person>(
            self.author,
            person,
            PersonCommand::AddPerson {
                person_id: person,
                organization_id: self.org,
                display_name: chorus_teams::DisplayName::try_from(name).expect("name"),
                email: chorus_teams::Email::try_from(format!("{name}@acme.example").as_str())
                    .expect("email"),
                affiliation: chorus_teams::Affiliation::Internal,
                external_id: None,
            },
        )
        .await;
        let role = self
            .assign(person, function, responsibility, RoleScope::team(self.team))
            .await;
        (person, role)
    }

    /// A draft by the author on the channel, with an image, in the "Spring" campaign.
    async fn draft(&self, text: &str, flags: Vec<ContentFlag>) -> Uuid {
        let media = vec!["https://cdn.acme.example/a.png"
            .try_into()
            .expect("media url")];
        let campaign = Some("Spring".try_into().expect("campaign"));
        self.draft_post(text, flags, media, campaign, None).await
    }

    async fn draft_post(
        &self,
        text: &str,
        flags: Vec<ContentFlag>,
        media: Vec<MediaUrl>,
        campaign: Option<CampaignName>,
        scheduled_at: Option<DateTime<Utc>>,
    ) -> Uuid {
        let post_id = Uuid::now_v7();
        self.run::<Post>(
            self.author,
            post_id,
            PostCommand::DraftPost {
                post_id,
                organization_id: self.org,
                author_id: self.author,
                author_roles: vec![self.author_role],
                channel_ids: vec![self.channel],
                text: PostText::try_from(text).expect("text"),
                media,
                campaign,
                scheduled_at,
                author_flags: flags,
                lexicon_matches: vec![],
                now: now(),
            },
        )
        .await;
        post_id
    }

    async fn submit(&self, post_id: Uuid) {
        self.run::<Post>(
            self.author,
            post_id,
            PostCommand::SubmitPost {
                policies: vec![self.policy.clone()],
                by: self.author,
                now: now(),
            },
        )
        .await;
    }

    /// The author edits the post's text (keeping its pricing flag).
    async fn edit(&self, post_id: Uuid, text: &str) {
        self.run::<Post>(
            self.author,
            post_id,
            PostCommand::EditPost {
                text: PostText::try_from(text).expect("text"),
                media: vec![],
                campaign: None,
                scheduled_at: None,
                author_flags: vec![ContentFlag::MentionsPricing],
                lexicon_matches: vec![],
                editor_id: self.author,
                now: now(),
            },
        )
        .await;
    }

    async fn sign(&self, post_id: Uuid, (signer, role): (Uuid, HeldRole)) {
        self.run::<Post>(
            signer,
            post_id,
            PostCommand::ApprovePost {
                signer_id: signer,
                signer_roles: vec![role],
                step: None,
                comment: Some("fine".try_into().expect("comment")),
                now: now(),
            },
        )
        .await;
    }

    /// The lawyer rejects the post.
    async fn reject(&self, post_id: Uuid, comment: &str) {
        let (lawyer, role) = self.lawyer;
        self.run::<Post>(
            lawyer,
            post_id,
            PostCommand::RejectPost {
                signer_id: lawyer,
                signer_roles: vec![role],
                comment: comment.try_into().expect("comment"),
                now: now(),
            },
        )
        .await;
    }

    /// Both managers and the lawyer sign: every step of a pricing post is complete.
    async fn approve(&self, post_id: Uuid) {
        self.sign(post_id, self.manager1).await;
        self.sign(post_id, self.manager2).await;
        self.sign(post_id, self.lawyer).await;
    }

    async fn publish(&self, post_id: Uuid, delegation: Vec<PolicySnapshot>) {
        let (publisher, role) = self.social;
        self.run::<Post>(
            publisher,
            post_id,
            PostCommand::MarkPublished {
                publisher_id: publisher,
                publisher_roles: vec![role],
                network_post_id: NetworkPostId::try_from(format!("n-{post_id}").as_str())
                    .expect("network id"),
                url: PublishedUrl::try_from(format!("https://x.com/acme/{post_id}").as_str())
                    .expect("url"),
                delegation_policies: delegation,
                now: now(),
            },
        )
        .await;
    }

    async fn legal_review(&self, post_id: Uuid, outcome: ReviewOutcome) -> Uuid {
        let review_id = Uuid::now_v7();
        let (lawyer, role) = self.lawyer;
        self.run::<LegalReview>(
            lawyer,
            review_id,
            LegalReviewCommand::LogLegalReview {
                review_id,
                organization_id: self.org,
                subject_kind: ReviewSubjectKind::Post,
                subject_id: Some(post_id),
                subject_reference: None,
                kind: ReviewKind::AdvertisingClaim,
                outcome,
                conditions: None,
                notes: Some("checked".try_into().expect("notes")),
                references: vec!["DOC-1".to_owned()],
                reviewer_id: lawyer,
                reviewer_role: role,
                now: now(),
            },
        )
        .await;
        // The application applies a post review's outcome to the post.
        self.run::<Post>(
            lawyer,
            post_id,
            PostCommand::ApplyLegalReview {
                review_id,
                outcome,
                now: now(),
            },
        )
        .await;
        review_id
    }

    /// The author revises the policy to the two-step one needing `managers_required`.
    async fn revise_policy(&self, managers_required: u8) {
        self.run::<ApprovalPolicy>(
            self.author,
            self.policy_id,
            ApprovalPolicyCommand::RevisePolicy {
                definition: two_step_definition(managers_required),
                by: self.author,
            },
        )
        .await;
    }

    async fn retire_policy(&self) {
        self.run::<ApprovalPolicy>(
            self.author,
            self.policy_id,
            ApprovalPolicyCommand::RetirePolicy { by: self.author },
        )
        .await;
    }

    /// The lawyer adds a lexicon term.
    async fn add_term(&self, flag: ContentFlag, term: &str) -> LogPosition {
        let command = LexiconCommand::AddLexiconTerm {
            organization_id: self.org,
            flag,
            term: LexiconTerm::try_from(term).expect("term"),
            by: self.lawyer.0,
        };
        self.run::<Lexicon>(self.lawyer.0, self.org, command).await
    }

    /// The lawyer removes a lexicon term.
    async fn remove_term(&self, flag: ContentFlag, term: &str) -> LogPosition {
        let command = LexiconCommand::RemoveLexiconTerm {
            flag,
            term: LexiconTerm::try_from(term).expect("term"),
            by: self.lawyer.0,
        };
        self.run::<Lexicon>(self.lawyer.0, self.org, command).await
    }

    /// Rows of one query, every column rendered as text by the database.
    async fn texts(&self, sql: &str) -> Vec<String> {
        on_read!(&self.state.db, pool => {
            sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await.expect(sql)
        })
    }

    async fn count(&self, sql: &str, id: Uuid) -> i64 {
        on_read!(&self.state.db, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(pool).await.expect(sql)
        })
    }

    /// The rows of a query with one id parameter (`$1`), on either backend.
    async fn rows<T>(&self, sql: &str, id: Uuid) -> Vec<T>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        on_read!(&self.state.db, pool => {
            sqlx::query_as::<_, T>(sql).bind(id).fetch_all(pool).await.expect(sql)
        })
    }

    /// (step, required, signed) of the post's open steps, in order.
    async fn open_steps(&self, post_id: Uuid) -> Vec<(String, i64, i64)> {
        self.rows(
            "SELECT step, required_signatures, signatures FROM post_open_steps WHERE post_id = $1 ORDER BY step_order",
            post_id,
        )
        .await
    }

    /// (status, valid_from, valid_to) of the post's status history, oldest first.
    async fn history(&self, post_id: Uuid) -> Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> {
        self.rows(
            "SELECT status, valid_from, valid_to FROM post_status_history WHERE post_id = $1 ORDER BY valid_from",
            post_id,
        )
        .await
    }

    /// (legal_block_review_id, legally_blocked_at) of the post.
    async fn legal_block(&self, post_id: Uuid) -> (Option<Uuid>, Option<DateTime<Utc>>) {
        on_read!(&self.state.db, pool => {
            sqlx::query_as("SELECT legal_block_review_id, legally_blocked_at FROM posts WHERE id = $1")
                .bind(post_id).fetch_one(pool).await.expect("post")
        })
    }

    async fn status(&self, post_id: Uuid) -> String {
        on_read!(&self.state.db, pool => {
            sqlx::query_scalar("SELECT status FROM posts WHERE id = $1")
                .bind(post_id).fetch_one(pool).await.expect("post row")
        })
    }

    /// Every row of every content table, as text.
    async fn content_tables(&self) -> BTreeMap<&'static str, Vec<String>> {
        let mut tables = BTreeMap::new();
        for (table, columns) in CONTENT_COLUMNS {
            let rows = self.table_rows(table, columns.split(", ")).await;
            tables.insert(*table, rows);
        }
        tables
    }

    /// Every row of `table`, the given columns rendered as text by the database and
    /// joined with `|`, ordered.
    async fn table_rows<'c>(
        &self,
        table: &str,
        columns: impl Iterator<Item = &'c str>,
    ) -> Vec<String> {
        let render = |c: &str| match self.state.db.backend() {
            Backend::Postgres => format!("COALESCE(CAST({c} AS TEXT), '∅')"),
            Backend::Sqlite => format!("quote({c})"),
        };
        let select = columns.map(render).collect::<Vec<_>>().join(" || '|' || ");
        self.texts(&format!("SELECT {select} FROM {table} ORDER BY 1"))
            .await
    }
}

fn held(
    assignment_id: Uuid,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
    org: Uuid,
) -> HeldRole {
    HeldRole {
        assignment_id,
        function,
        responsibility,
        scope: RoleScope::organization(org),
    }
}

const CONTENT_COLUMNS: &[(&str, &str)] = &[
    ("posts", "id, organization_id, author_id, status, text, media, campaign, scheduled_at, flags, author_roles, legal_block_review_id, legally_blocked_at, approved_at, approved_under, published_by, published_network_post_id, published_url, published_at, delegated_policy_id, delegated_policy_version, delegated_assignment_id, delegated_function, delegated_responsibility, retracted_at, retracted_by, retraction_reason, expired_at, created_at, updated_at, last_sequence"),
    ("post_states", "post_id, organization_id, state"),
    ("post_channels", "post_id, channel_id, organization_id, team_id, channel_order, status, scheduled_at"),
    ("post_timeline", "post_id, sequence, organization_id, global_position, event_type, actor_kind, actor_id, assignment_id, function, responsibility, occurred_at, policy_id, policy_version, details"),
    ("post_status_history", "post_id, valid_from, organization_id, status, valid_to"),
    ("post_approvals", "post_id, sequence, organization_id, signer_id, assignment_id, function, responsibility, step, policy_id, policy_version, signed_at, comment, voided_at, void_reason"),
    ("post_rejections", "post_id, sequence, organization_id, signer_id, assignment_id, function, responsibility, step, policy_id, policy_version, rejected_at, comment"),
    ("post_open_steps", "post_id, policy_id, step, organization_id, policy_version, step_order, required_signatures, signatures"),
    ("post_open_step_signers", "post_id, policy_id, step, rule_index, organization_id, function, responsibility"),
    ("approval_policies", "policy_id, version, organization_id, scope_kind, scope_id, definition, defined_by, valid_from, valid_to, retired_at, retired_by"),
    ("lexicon_terms", "organization_id, flag, term, added_in_version, removed_in_version, added_at, removed_at, added_by, removed_by"),
    ("legal_reviews", "id, organization_id, subject_kind, subject_id, subject_reference, kind, outcome, conditions, notes, review_references, reviewer_id, reviewer_assignment_id, reviewer_responsibility, reviewed_at"),
];

/// Rebuilds the read models (all, or one projection) with `projector` and waits for them
/// to reach `last` again.
async fn rebuild_up_to(projector: &Projector, projection: Option<&str>, last: LogPosition) {
    projector.rebuild(projection).await.expect("rebuild");
    projector
        .catch_up_to(last, Duration::from_secs(10))
        .await
        .expect("caught up");
}

/// Every table of `before` has the same rows in `after`.
fn assert_same_rows(
    before: &BTreeMap<&'static str, Vec<String>>,
    after: &BTreeMap<&'static str, Vec<String>>,
    when: &str,
) {
    for (table, rows) in before {
        assert_eq!(rows, &after[table], "{table} is identical {when}");
    }
}

/// Consecutive intervals: each ends where the next begins; only the last is open.
fn assert_contiguous(history: &[(String, DateTime<Utc>, Option<DateTime<Utc>>)]) {
    for pair in history.windows(2) {
        assert_eq!(pair[0].2, Some(pair[1].1), "contiguous: {history:?}");
    }
    assert!(history.last().is_some_and(|last| last.2.is_none()));
}

backend_tests! {
    async fn approved_post_lifecycle_fills_post_timeline_approvals_open_steps_and_history(
        backend: TestBackend,
    ) {
        let w = World::new(backend).await;
        let post = w
            .draft("Spring sale: 20% off", vec![ContentFlag::MentionsPricing])
            .await;
        assert_eq!(w.status(post).await, "DRAFT");
        let (media, flags): (String, String) = on_read!(&w.state.db, pool => {
            sqlx::query_as("SELECT media, flags FROM posts WHERE id = $1")
                .bind(post).fetch_one(pool).await.expect("post")
        });
        assert_eq!(media, r#"["https://cdn.acme.example/a.png"]"#);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&flags).expect("flags json"),
            serde_json::json!([{ "flag": "MENTIONS_PRICING", "source": { "kind": "AUTHOR" } }])
        );
        let team: Option<Uuid> = on_read!(&w.state.db, pool => {
            sqlx::query_scalar("SELECT team_id FROM post_channels WHERE post_id = $1 AND channel_id = $2")
                .bind(post).bind(w.channel).fetch_one(pool).await.expect("post channel")
        });
        assert_eq!(team, Some(w.team), "the channel's team is looked up");
        assert!(
            w.open_steps(post).await.is_empty(),
            "a draft has no open step"
        );

        w.submit(post).await;
        assert_eq!(w.status(post).await, "IN_REVIEW");
        assert_eq!(
            w.open_steps(post).await,
            vec![("managers".to_owned(), 2, 0), ("legal".to_owned(), 1, 0)]
        );
        let signer_rules: Vec<(String, String, Option<String>)> = w.rows(
            "SELECT step, function, responsibility FROM post_open_step_signers WHERE post_id = $1 ORDER BY step",
            post,
        )
        .await;
        assert_eq!(
            signer_rules,
            vec![
                ("legal".to_owned(), "LEGAL".to_owned(), None),
                ("managers".to_owned(), "SENIOR_MANAGEMENT".to_owned(), None)
            ]
        );

        w.sign(post, w.manager1).await;
        assert_eq!(
            w.open_steps(post).await,
            vec![("managers".to_owned(), 2, 1), ("legal".to_owned(), 1, 0)]
        );
        w.sign(post, w.manager2).await;
        assert_eq!(
            w.open_steps(post).await,
            vec![("legal".to_owned(), 1, 0)],
            "a complete step leaves the inbox"
        );
        w.sign(post, w.lawyer).await;
        assert_eq!(w.status(post).await, "APPROVED");
        assert!(
            w.open_steps(post).await.is_empty(),
            "approval empties the inbox"
        );
        assert_eq!(
            w.count(
                "SELECT COUNT(*) FROM post_open_step_signers WHERE post_id = $1",
                post
            )
            .await,
            0
        );

        w.publish(post, vec![]).await;
        let (status, network_id, url, delegated, approved_at): (
            String,
            Option<String>,
            Option<String>,
            Option<Uuid>,
            Option<DateTime<Utc>>,
        ) = on_read!(&w.state.db, pool => {
            sqlx::query_as(
                "SELECT status, published_network_post_id, published_url, delegated_policy_id, approved_at FROM posts WHERE id = $1",
            )
            .bind(post).fetch_one(pool).await.expect("post")
        });
        assert_eq!(status, "PUBLISHED");
        assert_eq!(network_id, Some(format!("n-{post}")));
        assert_eq!(url, Some(format!("https://x.com/acme/{post}")));
        assert_eq!(delegated, None, "published with approval");
        assert!(approved_at.is_some());

        // Approvals: one row per signature, with role, step and policy version.
        let approvals: Vec<(Uuid, Uuid, String, String, Uuid, i64, Option<DateTime<Utc>>)> = w.rows(
            "SELECT signer_id, assignment_id, function, step, policy_id, policy_version, voided_at \
                 FROM post_approvals WHERE post_id = $1 ORDER BY sequence",
            post,
        )
        .await;
        let expected = [
            (w.manager1, "SENIOR_MANAGEMENT", "managers"),
            (w.manager2, "SENIOR_MANAGEMENT", "managers"),
            (w.lawyer, "LEGAL", "legal"),
        ];
        assert_eq!(approvals.len(), 3);
        for (row, ((signer, role), function, step)) in approvals.iter().zip(expected) {
            assert_eq!(
                (
                    row.0,
                    row.1,
                    row.2.as_str(),
                    row.3.as_str(),
                    row.4,
                    row.5,
                    row.6
                ),
                (
                    signer,
                    role.assignment_id,
                    function,
                    step,
                    w.policy_id,
                    1,
                    None
                )
            );
        }
        // The auditor's query: approvals by one approver in a time range.
        let by_signer: i64 = on_read!(&w.state.db, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM post_approvals WHERE organization_id = $1 AND signer_id = $2 \
                 AND signed_at >= $3 AND signed_at < $4",
            )
            .bind(w.org).bind(w.lawyer.0)
            .bind(now() - chrono::Duration::days(30)).bind(now() + chrono::Duration::days(1))
            .fetch_one(pool).await.expect("approvals by signer")
        });
        assert_eq!(by_signer, 1);
        // Team filter through post_channels.
        let by_team: i64 = on_read!(&w.state.db, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM post_approvals a JOIN post_channels pc ON pc.post_id = a.post_id \
                 WHERE pc.organization_id = $1 AND pc.team_id = $2",
            )
            .bind(w.org).bind(w.team).fetch_one(pool).await.expect("approvals by team")
        });
        assert_eq!(by_team, 3);

        // Timeline: every event, in log order, with actor and role.
        let timeline: Vec<(
            String,
            Option<Uuid>,
            Option<Uuid>,
            Option<Uuid>,
            Option<i64>,
            String,
        )> = w.rows(
            "SELECT event_type, actor_id, assignment_id, policy_id, policy_version, details \
                 FROM post_timeline WHERE post_id = $1 ORDER BY global_position",
            post,
        )
        .await;
        let types: Vec<&str> = timeline.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            types,
            [
                "PostDrafted",
                "PostSubmitted",
                "PostSigned",
                "PostSigned",
                "PostSigned",
                "PostApproved",
                "PostPublished"
            ]
        );
        assert_eq!(timeline[0].1, Some(w.author));
        assert_eq!(timeline[3].1, Some(w.manager2.0));
        assert_eq!(timeline[3].2, Some(w.manager2.1.assignment_id));
        assert_eq!(timeline[4].2, Some(w.lawyer.1.assignment_id));
        assert_eq!((timeline[4].3, timeline[4].4), (Some(w.policy_id), Some(1)));
        assert_eq!((timeline[1].3, timeline[1].4), (Some(w.policy_id), Some(1)));
        let submitted: serde_json::Value =
            serde_json::from_str(&timeline[1].5).expect("details json");
        assert_eq!(submitted["policies"][0]["version"], 1);
        assert!(submitted["policies"][0].get("definition").is_none());
        let signed: serde_json::Value = serde_json::from_str(&timeline[4].5).expect("details");
        assert_eq!(signed["step"], "legal");
        assert_eq!(signed["comment"], "fine");

        // Status history: contiguous intervals; approval collapsed into the last signature's
        // instant (PostSigned and PostApproved are one command).
        let history = w.history(post).await;
        let statuses: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(statuses, ["DRAFT", "IN_REVIEW", "APPROVED", "PUBLISHED"]);
        assert_contiguous(&history);
        // "As of" an instant inside the review.
        let in_review_at = history[1].1 + (history[2].1 - history[1].1) / 2;
        let as_of: String = on_read!(&w.state.db, pool => {
            sqlx::query_scalar(
                "SELECT status FROM post_status_history WHERE post_id = $1 AND valid_from <= $2 \
                 AND (valid_to IS NULL OR valid_to > $2)",
            )
            .bind(post).bind(in_review_at).fetch_one(pool).await.expect("as of")
        });
        assert_eq!(as_of, "IN_REVIEW");
    }
}

backend_tests! {
    async fn edit_after_approval_voids_the_approvals_and_reopens_nothing_until_resubmitted(
        backend: TestBackend,
    ) {
        let w = World::new(backend).await;
        let post = w
            .draft("Price drop", vec![ContentFlag::MentionsPricing])
            .await;
        w.submit(post).await;
        w.approve(post).await;
        assert_eq!(w.status(post).await, "APPROVED");

        w.edit(post, "Price drop, new text").await;
        assert_eq!(w.status(post).await, "DRAFT");
        let voided: Vec<(Option<DateTime<Utc>>, Option<String>)> = w.rows(
            "SELECT voided_at, void_reason FROM post_approvals WHERE post_id = $1 ORDER BY sequence",
            post,
        )
        .await;
        assert_eq!(voided.len(), 3);
        assert!(voided
            .iter()
            .all(|(at, reason)| at.is_some() && reason.as_deref() == Some("EDITED")));
        let (text, media, approved_at, approved_under): (
            String,
            String,
            Option<DateTime<Utc>>,
            String,
        ) = on_read!(&w.state.db, pool => {
            sqlx::query_as("SELECT text, media, approved_at, approved_under FROM posts WHERE id = $1")
                .bind(post).fetch_one(pool).await.expect("post")
        });
        assert_eq!(
            (
                text.as_str(),
                media.as_str(),
                approved_at,
                approved_under.as_str()
            ),
            ("Price drop, new text", "[]", None, "[]")
        );
        // The void and the edit are one instant: no empty IN_REVIEW interval is left.
        let history = w.history(post).await;
        let statuses: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(statuses, ["DRAFT", "IN_REVIEW", "APPROVED", "DRAFT"]);
        assert_contiguous(&history);
        let timeline = w
            .count(
                "SELECT COUNT(*) FROM post_timeline WHERE post_id = $1 AND event_type = 'ApprovalsVoided'",
                post,
            )
            .await;
        assert_eq!(timeline, 1);

        // Resubmitted: a new round, the open steps start from zero again.
        w.submit(post).await;
        assert_eq!(
            w.open_steps(post).await,
            vec![("managers".to_owned(), 2, 0), ("legal".to_owned(), 1, 0)]
        );
        w.sign(post, w.manager1).await;
        assert_eq!(
            w.count(
                "SELECT COUNT(*) FROM post_approvals WHERE post_id = $1 AND voided_at IS NULL",
                post
            )
            .await,
            1
        );
    }
}

backend_tests! {
    async fn delegated_publication_and_legal_block_are_recorded(backend: TestBackend) {
        let w = World::new(backend).await;
        // A routine post (no flag) published straight away under delegated authority.
        let routine = w.draft("Thanks for your message!", vec![]).await;
        w.publish(routine, vec![w.policy.clone()]).await;
        let row: (
            String,
            Option<Uuid>,
            Option<i64>,
            Option<Uuid>,
            Option<String>,
            Option<String>,
        ) = on_read!(&w.state.db, pool => {
            sqlx::query_as(
                "SELECT status, delegated_policy_id, delegated_policy_version, delegated_assignment_id, \
                 delegated_function, delegated_responsibility FROM posts WHERE id = $1",
            )
            .bind(routine).fetch_one(pool).await.expect("post")
        });
        assert_eq!(
            row,
            (
                "PUBLISHED".to_owned(),
                Some(w.policy_id),
                Some(1),
                Some(w.social.1.assignment_id),
                Some("SOCIAL_MEDIA".to_owned()),
                Some("SOCIAL_MEDIA_MANAGER".to_owned())
            )
        );
        // The auditor's "published under delegated authority" query.
        let delegated: Vec<Uuid> = on_read!(&w.state.db, pool => {
            sqlx::query_scalar(
                "SELECT id FROM posts WHERE organization_id = $1 AND delegated_policy_id IS NOT NULL AND published_at >= $2",
            )
            .bind(w.org).bind(now() - chrono::Duration::days(1)).fetch_all(pool).await.expect("delegated")
        });
        assert_eq!(delegated, vec![routine]);
        let (assignment, function): (Option<Uuid>, Option<String>) = on_read!(&w.state.db, pool => {
            sqlx::query_as("SELECT assignment_id, function FROM post_timeline WHERE post_id = $1 AND event_type = 'PostPublished'")
                .bind(routine).fetch_one(pool).await.expect("timeline")
        });
        assert_eq!(
            (assignment, function.as_deref()),
            (Some(w.social.1.assignment_id), Some("SOCIAL_MEDIA"))
        );

        // A legal block, then a clearance.
        let post = w
            .draft("Win a trip!", vec![ContentFlag::MentionsPricing])
            .await;
        w.submit(post).await;
        let blocking = w.legal_review(post, ReviewOutcome::Blocked).await;
        let (block, blocked_at) = w.legal_block(post).await;
        assert_eq!(block, Some(blocking));
        assert!(blocked_at.is_some());
        let clearing = w.legal_review(post, ReviewOutcome::Cleared).await;
        let (block, blocked_at) = w.legal_block(post).await;
        assert_eq!((block, blocked_at), (None, None));

        let reviews: Vec<(
            Uuid,
            String,
            String,
            String,
            Option<Uuid>,
            Uuid,
            Uuid,
            String,
            Option<String>,
        )> = w.rows(
            "SELECT id, subject_kind, kind, outcome, subject_id, reviewer_id, reviewer_assignment_id, \
                 review_references, notes FROM legal_reviews WHERE organization_id = $1 ORDER BY reviewed_at",
            w.org,
        )
        .await;
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews[0].0, blocking);
        assert_eq!(reviews[1].0, clearing);
        assert_eq!(
            (
                reviews[0].1.as_str(),
                reviews[0].2.as_str(),
                reviews[0].3.as_str(),
                reviews[0].4,
                reviews[0].5,
                reviews[0].6,
                reviews[0].7.as_str(),
                reviews[0].8.as_deref()
            ),
            (
                "POST",
                "ADVERTISING_CLAIM",
                "BLOCKED",
                Some(post),
                w.lawyer.0,
                w.lawyer.1.assignment_id,
                r#"["DOC-1"]"#,
                Some("checked")
            )
        );
        assert_eq!(
            w.count(
                "SELECT COUNT(*) FROM legal_reviews WHERE subject_id = $1",
                post
            )
            .await,
            2
        );
        let events: Vec<String> = on_read!(&w.state.db, pool => {
            sqlx::query_scalar("SELECT event_type FROM post_timeline WHERE post_id = $1 ORDER BY sequence")
                .bind(post).fetch_all(pool).await.expect("timeline")
        });
        assert_eq!(
            events,
            [
                "PostDrafted",
                "PostSubmitted",
                "PostLegallyBlocked",
                "PostLegallyCleared"
            ]
        );
    }
}

backend_tests! {
    async fn policy_versions_and_lexicon_versions_are_temporal(backend: TestBackend) {
        let w = World::new(backend).await;
        w.revise_policy(1).await;
        let versions: Vec<(i64, String, DateTime<Utc>, Option<DateTime<Utc>>, String)> = w.rows(
            "SELECT version, scope_kind, valid_from, valid_to, definition FROM approval_policies \
                 WHERE policy_id = $1 ORDER BY version",
            w.policy_id,
        )
        .await;
        assert_eq!(versions.len(), 2);
        assert_eq!((versions[0].0, versions[1].0), (1, 2));
        assert_eq!(versions[0].1, "ORGANIZATION");
        assert_eq!(versions[1].1, "ORGANIZATION", "scope carried over");
        assert_eq!(
            versions[0].3,
            Some(versions[1].2),
            "v1 ends where v2 starts"
        );
        assert_eq!(versions[1].3, None);
        let v2: serde_json::Value = serde_json::from_str(&versions[1].4).expect("definition");
        assert_eq!(v2["steps"][0]["required_signatures"], 1);
        // The policy in force at an instant, per scope.
        let in_force_at = |at: DateTime<Utc>| {
            let db = w.state.db.clone();
            let org = w.org;
            async move {
                let version: i64 = on_read!(&db, pool => {
                    sqlx::query_scalar(
                        "SELECT version FROM approval_policies WHERE organization_id = $1 AND scope_kind = 'ORGANIZATION' \
                         AND scope_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
                    )
                    .bind(org).bind(at).fetch_one(pool).await.expect("policy in force")
                });
                version
            }
        };
        assert_eq!(in_force_at(versions[0].2).await, 1);
        assert_eq!(in_force_at(versions[1].2).await, 2);

        w.retire_policy().await;
        let retired: (Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<Uuid>) = on_read!(&w.state.db, pool => {
            sqlx::query_as("SELECT valid_to, retired_at, retired_by FROM approval_policies WHERE policy_id = $1 AND version = 2")
                .bind(w.policy_id).fetch_one(pool).await.expect("retired")
        });
        assert!(retired.0.is_some() && retired.0 == retired.1);
        assert_eq!(retired.2, Some(w.author));

        // Lexicon: add free (v1), add discount (v2), remove free (v3).
        w.add_term(ContentFlag::MentionsPricing, "Free").await;
        w.add_term(ContentFlag::MentionsPricing, "discount").await;
        w.remove_term(ContentFlag::MentionsPricing, "free").await;
        let terms: Vec<(String, String, i64, Option<i64>, Option<Uuid>)> = w.rows(
            "SELECT flag, term, added_in_version, removed_in_version, removed_by FROM lexicon_terms \
                 WHERE organization_id = $1 ORDER BY added_in_version",
            w.org,
        )
        .await;
        assert_eq!(
            terms,
            vec![
                (
                    "MENTIONS_PRICING".to_owned(),
                    "free".to_owned(),
                    1,
                    Some(3),
                    Some(w.lawyer.0)
                ),
                (
                    "MENTIONS_PRICING".to_owned(),
                    "discount".to_owned(),
                    2,
                    None,
                    None
                ),
            ]
        );
        // The lexicon as of version 2 had both terms; now only one.
        let as_of = |v: i64| {
            let db = w.state.db.clone();
            let org = w.org;
            async move {
                let n: i64 = on_read!(&db, pool => {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM lexicon_terms WHERE organization_id = $1 AND added_in_version <= $2 \
                         AND (removed_in_version IS NULL OR removed_in_version > $2)",
                    )
                    .bind(org).bind(v).fetch_one(pool).await.expect("as of version")
                });
                n
            }
        };
        assert_eq!((as_of(1).await, as_of(2).await, as_of(3).await), (1, 2, 1));
    }
}

/// A world whose log holds every kind of content event: a published post, a withdrawn
/// one (voided signature), a rejected one, a retracted delegated publication, a legally
/// blocked one in review, a policy revision and a lexicon term. Returns the last position.
async fn busy_world(backend: TestBackend) -> (World, LogPosition) {
    let w = World::new(backend).await;
    let published = w.draft("Sale!", vec![ContentFlag::MentionsPricing]).await;
    w.submit(published).await;
    w.approve(published).await;
    w.publish(published, vec![]).await;
    let edited = w.draft("Price", vec![ContentFlag::MentionsPricing]).await;
    w.submit(edited).await;
    w.sign(edited, w.manager1).await;
    w.run::<Post>(
        w.author,
        edited,
        PostCommand::WithdrawPost {
            by: w.author,
            now: now(),
        },
    )
    .await;
    let in_review = w.draft("Offer", vec![ContentFlag::MentionsPricing]).await;
    w.submit(in_review).await;
    w.sign(in_review, w.manager2).await;
    w.reject(in_review, "claims unsupported").await;
    let routine = w.draft("Hello", vec![]).await;
    w.publish(routine, vec![w.policy.clone()]).await;
    w.run::<Post>(
        w.social.0,
        routine,
        PostCommand::RetractPost {
            reason: "typo".try_into().expect("reason"),
            by: w.social.0,
            now: now(),
        },
    )
    .await;
    // Approved, then edited: the edit voids three signatures and collapses the
    // APPROVED -> IN_REVIEW -> DRAFT changes of one instant into one interval.
    let reworked = w
        .draft("Price drop", vec![ContentFlag::MentionsPricing])
        .await;
    w.submit(reworked).await;
    w.approve(reworked).await;
    w.edit(reworked, "Price drop, new text").await;
    let open = w.draft("Pending", vec![ContentFlag::MentionsPricing]).await;
    w.submit(open).await;
    w.legal_review(open, ReviewOutcome::Blocked).await;
    // Blocked, then cleared by a second review.
    let cleared = w.draft("Contest", vec![ContentFlag::MentionsPricing]).await;
    w.submit(cleared).await;
    w.legal_review(cleared, ReviewOutcome::Blocked).await;
    w.legal_review(cleared, ReviewOutcome::Cleared).await;
    // Scheduled; and scheduled, then expired unapproved.
    for (text, expire) in [("Later", false), ("Too late", true)] {
        let post = w.draft(text, vec![]).await;
        let at = now() + chrono::Duration::hours(1);
        w.run::<Post>(
            w.author,
            post,
            PostCommand::SchedulePost {
                scheduled_at: at,
                by: w.author,
                now: now(),
            },
        )
        .await;
        if expire {
            let expiry = PostCommand::ExpirePost {
                now: at + chrono::Duration::minutes(1),
            };
            w.run::<Post>(w.author, post, expiry).await;
        }
    }
    w.revise_policy(1).await;
    w.retire_policy().await;
    for term in ["giveaway", "sweepstake"] {
        w.add_term(ContentFlag::ContestOrPromotion, term).await;
    }
    let last = w
        .remove_term(ContentFlag::ContestOrPromotion, "sweepstake")
        .await;
    (w, last)
}

/// The variants of the `pub enum …Event` in `services/<domain>/src/<aggregate>/events.rs`
/// for each aggregate: the event types a rebuild must reproduce.
fn event_types(domain: &str, aggregates: &[&str]) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(domain)
        .join("src");
    let mut types = Vec::new();
    for aggregate in aggregates {
        let text =
            std::fs::read_to_string(root.join(aggregate).join("events.rs")).expect("events.rs");
        let start = text.find("Event {\n").expect("an event enum");
        let end = text[start..]
            .find("\n}\n")
            .map_or(text.len(), |end| start + end);
        for line in text[start..end].lines() {
            let Some(name) = line.strip_prefix("    ") else {
                continue;
            };
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                types.push(
                    name.chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect(),
                );
            }
        }
    }
    types
}

fn content_event_types() -> Vec<String> {
    event_types("content/domain", &["post", "policy", "lexicon", "legal"])
}

/// The busy world, checked to hold every content event type (so a rebuild replays each),
/// with its content rows as the live server wrote them.
async fn busy_world_with_every_content_event(
    backend: TestBackend,
) -> (World, LogPosition, BTreeMap<&'static str, Vec<String>>) {
    let (w, last) = busy_world(backend).await;
    let wanted = content_event_types();
    assert!(wanted.len() >= 20, "event types found: {wanted:?}");
    let logged: std::collections::BTreeSet<String> = w
        .texts(
            "SELECT DISTINCT event_type FROM events WHERE aggregate_type IN \
             ('post', 'approval_policy', 'lexicon', 'legal_review')",
        )
        .await
        .into_iter()
        .collect();
    let missing: Vec<&String> = wanted.iter().filter(|t| !logged.contains(*t)).collect();
    assert!(missing.is_empty(), "the rebuild world lacks {missing:?}");
    let before = w.content_tables().await;
    (w, last, before)
}

backend_tests! {
    async fn rebuild_reproduces_every_content_row(backend: TestBackend) {
        let (w, last, before) = busy_world_with_every_content_event(backend).await;
        for (table, rows) in &before {
            assert!(!rows.is_empty(), "{table} has rows");
        }
        assert_eq!(before["post_rejections"].len(), 1);
        assert!(before["post_open_steps"].len() >= 2, "{before:?}");
        rebuild_up_to(&w.state.projector, None, last).await;
        assert_same_rows(&before, &w.content_tables().await, "after rebuild");
        // Rebuilding the content projection alone gives the same result too.
        rebuild_up_to(&w.state.projector, Some("content"), last).await;
        assert_eq!(before, w.content_tables().await);
    }
}

backend_tests! {
    /// The post tables are folded per batch in memory and written at its end: wherever a
    /// batch boundary falls (between the events of one command, between a signature and its
    /// voiding), the rows must be the ones the live server wrote.
    async fn rebuild_gives_the_same_rows_whatever_the_batch_size(backend: TestBackend) {
        let (w, last, before) = busy_world_with_every_content_event(backend).await;
        for size in [1, 2, 3, 5, 8, 13] {
            let projector = w.state.projector.with_batch_size(size);
            rebuild_up_to(&projector, None, last).await;
            assert_same_rows(
                &before,
                &w.content_tables().await,
                &format!("after a rebuild in batches of {size}"),
            );
        }
    }
}

backend_tests! {
    #[backends(postgres)]
    async fn approvals_by_signer_in_a_month_use_the_signer_index_on_postgres(backend: TestBackend) {
        let w = World::new(backend).await;
        let Some(pool) = (match &w.state.db {
            chorus_kernel::Db::Postgres(pool) => Some(pool.clone()),
            chorus_kernel::Db::Sqlite(_) => None,
        }) else {
            return;
        };
        // 200,000 synthetic approvals: 500 signers over about five months.
        sqlx::query(
            "INSERT INTO post_approvals (post_id, sequence, organization_id, signer_id, assignment_id, function, \
             step, policy_id, policy_version, signed_at) \
             SELECT md5('post' || g)::uuid, 1, $1, md5('signer' || (g % 500))::uuid, $2, 'LEGAL', 'legal', $2, 1, \
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1 minute' \
             FROM generate_series(1, 200000) AS g",
        )
        .bind(w.org)
        .bind(w.policy_id)
        .execute(&pool)
        .await
        .expect("synthetic approvals");
        sqlx::query("ANALYZE post_approvals")
            .execute(&pool)
            .await
            .expect("analyze");
        let plan: Vec<String> = sqlx::query_scalar(
            "EXPLAIN SELECT * FROM post_approvals WHERE organization_id = $1 \
             AND signer_id = md5('signer7')::uuid \
             AND signed_at >= TIMESTAMPTZ '2024-02-01 00:00:00+00' AND signed_at < TIMESTAMPTZ '2024-03-01 00:00:00+00' \
             ORDER BY signed_at",
        )
        .bind(w.org)
        .fetch_all(&pool)
        .await
        .expect("explain");
        let plan = plan.join("\n");
        assert!(plan.contains("approvals_by_signer"), "{plan}");
        assert!(!plan.contains("Seq Scan"), "{plan}");
        assert!(
            !plan.contains("Sort"),
            "one range scan returns the month in order: {plan}"
        );
        eprintln!("{plan}");
    }
}

/// Collects an export into text.
async fn export_text(
    w: &World,
    organization: Uuid,
    range: chorus_server::content::export::ExportRange,
    format: chorus_server::content::export::ExportFormat,
) -> String {
    let mut receiver =
        chorus_server::content::export::stream(w.state.db.clone(), organization, range, format);
    let mut bytes = Vec::new();
    while let Some(chunk) = receiver.recv().await {
        bytes.extend(chunk.expect("export chunk"));
    }
    String::from_utf8(bytes).expect("utf-8 export")
}

backend_tests! {
    /// The auditor's export: every approval, rejection, legal review and delegated
    /// publication of the range, in time order, as CSV and as JSON Lines; nothing outside
    /// the range or of another organization; over HTTP only for those allowed.
    async fn compliance_history_exports_as_csv_and_json_lines(backend: TestBackend) {
        use chorus_server::content::export::{ExportFormat, ExportRange};

        let w = World::new(backend).await;
        let start = now();
        let published = w
            .draft(
                "Sale, with \"quotes\", commas\nand a newline",
                vec![ContentFlag::MentionsPricing],
            )
            .await;
        w.submit(published).await;
        w.approve(published).await;
        w.publish(published, vec![]).await;
        let rejected = w.draft("Offer", vec![ContentFlag::MentionsPricing]).await;
        w.submit(rejected).await;
        w.reject(rejected, "claim \"unsupported\", see notes")
            .await;
        w.legal_review(rejected, ReviewOutcome::Blocked).await;
        let routine = w.draft("Thanks!", vec![]).await;
        w.publish(routine, vec![w.policy.clone()]).await;
        let end = now() + chrono::TimeDelta::seconds(1);
        let range = ExportRange {
            from: start,
            to: end,
        };

        let jsonl = export_text(&w, w.org, range, ExportFormat::JsonLines).await;
        let records: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
            .collect();
        let kinds: Vec<&str> = records
            .iter()
            .map(|r| r["kind"].as_str().expect("kind"))
            .collect();
        assert_eq!(
            kinds,
            [
                "approval",
                "approval",
                "approval",
                "rejection",
                "legal_review",
                "delegated_publication"
            ],
            "[{backend:?}] every kind, in time order: {jsonl}"
        );
        let times: Vec<&str> = records
            .iter()
            .map(|r| r["occurred_at"].as_str().expect("time"))
            .collect();
        assert!(
            times.windows(2).all(|p| p[0] <= p[1]),
            "[{backend:?}] ordered by time"
        );
        assert_eq!(
            records[0]["policy_id"],
            serde_json::json!(w.policy_id.to_string())
        );
        assert_eq!(records[0]["policy_version"], 1);
        assert_eq!(records[3]["comment"], "claim \"unsupported\", see notes");
        assert_eq!(records[4]["outcome"], "BLOCKED");
        assert_eq!(
            records[4]["post_id"],
            serde_json::json!(rejected.to_string())
        );
        assert_eq!(
            records[5]["assignment_id"],
            serde_json::json!(w.social.1.assignment_id.to_string())
        );

        let csv_text = export_text(&w, w.org, range, ExportFormat::Csv).await;
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().expect("header").clone();
        assert_eq!(&headers[0], "kind");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("csv row")).collect();
        assert_eq!(
            rows.len(),
            records.len(),
            "[{backend:?}] CSV and JSON Lines agree"
        );
        let comment = headers
            .iter()
            .position(|h| h == "comment")
            .expect("comment column");
        assert_eq!(
            &rows[3][comment], "claim \"unsupported\", see notes",
            "[{backend:?}] CSV quoting round-trips"
        );

        // Outside the range, or another organization: header only / nothing.
        let before = ExportRange {
            from: start - chrono::TimeDelta::days(30),
            to: start,
        };
        let empty = export_text(&w, w.org, before, ExportFormat::Csv).await;
        assert_eq!(
            empty.lines().count(),
            1,
            "[{backend:?}] only the header: {empty}"
        );
        assert!(
            export_text(&w, Uuid::now_v7(), range, ExportFormat::JsonLines)
                .await
                .is_empty()
        );

        // Over HTTP: the admin may, an author without legal or admin rights may not.
        let server = chorus_server::start(
            Config {
                database_url: w.state.config.database_url.clone(),
                listen: "127.0.0.1:0".into(),
                ..Default::default()
            },
            false,
        )
        .await
        .expect("server");
        let http = reqwest::Client::new();
        let url = format!("{}/export/compliance", server.url());
        // `Z` timestamps need no escaping in a query string.
        let z = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let with_range = format!("{url}?from={}&to={}&format=jsonl", z(start), z(end));
        let token_of = |person: Uuid| {
            server
                .state
                .auth
                .issue(w.org, Actor::person(person), &[])
                .expect("token")
        };
        // A GET of the export, with the bearer token if one is given.
        let get = |url: &str, token: Option<&str>| {
            let request = http.get(url);
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            async move { request.send().await.expect("export") }
        };
        let admin = token_of(w.author);
        let response = get(&with_range, Some(&admin)).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/x-ndjson")
        );
        assert_eq!(
            response.text().await.expect("body"),
            jsonl,
            "[{backend:?}] HTTP streams the same export"
        );
        let (outsider, _) = w.person_with("olaf", RoleFunction::Marketing, None).await;
        let response = get(&with_range, Some(&token_of(outsider))).await;
        assert_eq!(
            response.status().as_u16(),
            403,
            "[{backend:?}] a marketer may not export"
        );
        let response = get(&with_range, None).await;
        assert_eq!(response.status().as_u16(), 401);
        let reversed = format!("{url}?from={}&to={}", z(end), z(start));
        let response = get(&reversed, Some(&admin)).await;
        assert_eq!(
            response.status().as_u16(),
            400,
            "[{backend:?}] from after to"
        );
        let body: serde_json::Value = response.json().await.expect("error body");
        assert_eq!(body["errors"][0]["extensions"]["field"], "to");
        server.stop().await;
    }
}

backend_tests! {
    /// A post whose scheduled time passes without the approvals it needs expires (an event,
    /// by the system); an approved post with the same schedule does not.
    async fn overdue_posts_expire_and_approved_ones_do_not(backend: TestBackend) {
        let w = World::new(backend).await;
        let schedule = now() + chrono::TimeDelta::milliseconds(800);
        let draft_scheduled =
            |text: &'static str| w.draft_post(text, vec![], vec![], None, Some(schedule));
        let sweep = || async {
            chorus_server::content::expiry::sweep(&w.state)
                .await
                .expect("sweep")
        };
        let waiting = draft_scheduled("Waiting for approval").await;
        w.submit(waiting).await;
        let approved = draft_scheduled("Approved in time").await;
        w.submit(approved).await;
        w.sign(approved, w.manager1).await;
        w.sign(approved, w.manager2).await;
        assert_eq!(
            w.status(approved).await,
            "SCHEDULED",
            "[{backend:?}] approved before its time"
        );
        assert_eq!(
            sweep().await,
            0,
            "[{backend:?}] nothing is overdue yet"
        );
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        assert_eq!(
            sweep().await,
            1
        );
        // The last committed event, not the horizon-limited head: another test's open
        // transaction on the server could hold the horizon below the expiry.
        let head = w
            .state
            .reader
            .last_committed()
            .await
            .expect("last committed")
            .expect("an event");
        w.state
            .projector
            .catch_up_to(head, std::time::Duration::from_secs(10))
            .await
            .expect("caught up");
        assert_eq!(
            w.status(waiting).await,
            "EXPIRED",
            "[{backend:?}] the overdue post expired"
        );
        assert_eq!(
            w.status(approved).await,
            "SCHEDULED",
            "[{backend:?}] the approved post did not"
        );
        let actor: Option<String> = on_read!(&w.state.db, pool => {
            sqlx::query_scalar("SELECT actor_kind FROM post_timeline WHERE post_id = $1 AND event_type = 'PostExpired'")
                .bind(waiting).fetch_optional(pool).await.expect("timeline")
        });
        assert_eq!(
            actor.as_deref(),
            Some("system"),
            "[{backend:?}] the expiry is an event by the system"
        );
        assert_eq!(
            sweep().await,
            0,
            "idempotent"
        );
    }
}

/// Every row of every teams table, each column rendered as text by the database (the
/// columns come from the catalog, so a new column is compared too).
async fn teams_tables(w: &World) -> BTreeMap<&'static str, Vec<String>> {
    let mut tables = BTreeMap::new();
    for table in [
        "organizations",
        "teams",
        "people",
        "role_assignments",
        "reporting_lines",
        "channels",
        "service_tokens",
    ] {
        let columns = match w.state.db.backend() {
            Backend::Postgres => {
                w.texts(&format!(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = '{table}'"
                ))
                .await
            }
            Backend::Sqlite => {
                w.texts(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .await
            }
        };
        assert!(columns.len() >= 3, "{table} has columns: {columns:?}");
        let rows = w
            .table_rows(table, columns.iter().map(String::as_str))
            .await;
        tables.insert(table, rows);
    }
    tables
}

fn teams_event_types() -> Vec<String> {
    event_types(
        "teams/domain",
        &[
            "organization",
            "team",
            "person",
            "reporting",
            "channel",
            "service_token",
        ],
    )
}

backend_tests! {
    /// The teams read models after a rebuild equal the live ones, column for column, with
    /// every teams event type in the log (renames, archives, updates, revocations,
    /// offboarding, cleared lines, retired channels and revoked tokens, not only creations).
    async fn rebuild_reproduces_every_teams_row_for_every_teams_event_type(backend: TestBackend) {
        use chorus_teams::{
            DisplayName, Email, OrganizationCommand, OrganizationName, ReportingLines,
            ReportingLinesCommand, ServiceScope, ServiceToken, ServiceTokenCommand,
        };
        let w = World::new(backend).await;
        let admin = w.author;
        let org = w.org;
        let reason = |text: &str| Reason::try_from(text).expect("reason");
        w.run::<chorus_teams::Organization>(
            admin,
            org,
            OrganizationCommand::RenameOrganization {
                name: OrganizationName::try_from("Acme Group").expect("name"),
            },
        )
        .await;
        let team = Uuid::now_v7();
        w.create_team(team, "Outreach", Some(w.team)).await;
        w.run::<Team>(admin, team, TeamCommand::RenameTeam {
            name: TeamName::try_from("Outreach EMEA").expect("name"),
        })
        .await;
        let leaver = w.person_with("Lee", RoleFunction::Marketing, None).await.0;
        w.run::<Person>(admin, leaver, PersonCommand::UpdatePerson {
            display_name: Some(DisplayName::try_from("Lee Leaver").expect("name")),
            email: Some(Email::try_from("lee@acme.example").expect("email")),
            affiliation: None,
            external_id: None,
        })
        .await;
        let assignment = Uuid::now_v7();
        w.run::<Person>(admin, leaver, PersonCommand::AssignRole {
            assignment_id: assignment,
            function: RoleFunction::SocialMedia,
            responsibility: None,
            scope: RoleScope::team(team),
            effective_from: now(),
            reason: reason("covers outreach"),
            granted_by: admin,
            now: now(),
        })
        .await;
        w.run::<Person>(admin, leaver, PersonCommand::RevokeRole {
            assignment_id: assignment,
            reason: reason("moved on"),
            revoked_by: admin,
            at: now(),
        })
        .await;
        w.run::<ReportingLines>(admin, org, ReportingLinesCommand::SetReportingLine {
            person_id: leaver,
            manager_id: admin,
        })
        .await;
        w.run::<ReportingLines>(admin, org, ReportingLinesCommand::ClearReportingLine {
            person_id: leaver,
        })
        .await;
        w.run::<Person>(admin, leaver, PersonCommand::OffboardPerson {
            reason: Some(reason("left")),
            at: now(),
            by: admin,
        })
        .await;
        let channel = Uuid::now_v7();
        w.register_channel(channel, team, SocialNetwork::Linkedin, "acme-emea")
            .await;
        w.run::<Channel>(admin, channel, ChannelCommand::RetireChannel {
            reason: Some(reason("merged")),
        })
        .await;
        w.run::<Team>(admin, team, TeamCommand::ArchiveTeam { reason: Some(reason("done")) })
            .await;
        let token = Uuid::now_v7();
        w.run::<ServiceToken>(admin, token, ServiceTokenCommand::IssueServiceToken {
            token_id: token,
            organization_id: org,
            service_account_id: Uuid::now_v7(),
            scopes: vec![ServiceScope::TeamsRead],
            description: Some(reason("crm sync")),
            expires_at: now() + chrono::Duration::days(30),
            issued_by: Some(admin),
            now: now(),
        })
        .await;
        let last = w
            .run::<ServiceToken>(admin, token, ServiceTokenCommand::RevokeServiceToken {
                reason: Some(reason("rotated")),
                revoked_by: Some(admin),
                now: now(),
            })
            .await;

        let logged: std::collections::BTreeSet<String> = w
            .texts("SELECT DISTINCT event_type FROM events")
            .await
            .into_iter()
            .collect();
        let missing: Vec<String> = teams_event_types()
            .into_iter()
            .filter(|t| !logged.contains(t))
            .collect();
        assert!(missing.is_empty(), "the teams world lacks {missing:?}");

        let before = teams_tables(&w).await;
        for (table, rows) in &before {
            assert!(!rows.is_empty(), "{table} has rows");
        }
        rebuild_up_to(&w.state.projector, Some("teams"), last).await;
        assert_same_rows(&before, &teams_tables(&w).await, "after rebuild");
    }
}
