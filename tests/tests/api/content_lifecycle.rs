//! The content context end to end over HTTP: a policy with a legal step for
//! user-generated content, a lexicon that flags it, the approval of a post by entitled
//! signers (four eyes, one signature per step), publication, the auditor's queries,
//! racing last approvals, delegated publication and legal blocks.

use chorus_tests::client::{
    add_lexicon_term, approvals, compliance_violations, content_calendar,
    define_approval_policy as define, delegated_publications, legal_review, legal_reviews,
    log_legal_review as review, policy_as_of, post as api_post, post_as_of,
    revise_approval_policy as revise, ChorusClient, ClientError, PostPayload,
};
use chorus_tests::{
    assert_code, backend_tests, spawn_app, ContentApi, ContentWorld, PostDetail, PostStatus,
    TestApp, TestBackend,
};

type Instant = chrono::DateTime<chrono::Utc>;

/// The policy of the tests (see [`chorus_tests::four_eyes_policy`]); its legal step
/// covers user-generated content and contests.
async fn setup(app: &TestApp) -> ContentWorld {
    use define::ContentFlag::{CONTAINS_USER_GENERATED_CONTENT, CONTEST_OR_PROMOTION};
    let world = app.content_world().await;
    let flag = add_lexicon_term::ContentFlag::CONTAINS_USER_GENERATED_CONTENT;
    world
        .legal
        .add_lexicon_term(flag, "  Fan PHOTO ")
        .await
        .expect("addLexiconTerm");
    let legal_flags = [CONTAINS_USER_GENERATED_CONTENT, CONTEST_OR_PROMOTION];
    let input = chorus_tests::organization_policy(&legal_flags);
    world
        .legal
        .define_policy(input)
        .await
        .expect("defineApprovalPolicy");
    world
}

/// The post a payload answers with, and its status.
fn status(payload: Result<PostPayload, ClientError>, what: &str) -> PostStatus {
    let payload = payload.unwrap_or_else(|e| panic!("{what}: {e}"));
    payload.post.expect("the payload's post").post_fields.status
}

async fn detail(client: &impl ContentApi, id: &str) -> PostDetail {
    client
        .post_detail(id)
        .await
        .expect("post")
        .expect("the post is visible")
}

fn events(post: &PostDetail) -> Vec<String> {
    post.timeline
        .nodes
        .iter()
        .map(|n| n.event_type.clone())
        .collect()
}

async fn approvals(
    client: &ChorusClient,
    filter: approvals::ApprovalFilterInput,
) -> Vec<approvals::ApprovalsApprovalsEdgesNode> {
    let variables = approvals::Variables {
        filter: Some(filter),
        first: None,
        after: None,
    };
    let data = client
        .run::<chorus_tests::client::Approvals>(variables)
        .await
        .expect("approvals");
    data.approvals.edges.into_iter().map(|e| e.node).collect()
}

fn approval_filter() -> approvals::ApprovalFilterInput {
    approvals::ApprovalFilterInput {
        approver_id: None,
        post_id: None,
        channel_id: None,
        team_id: None,
        policy_id: None,
        policy_version: None,
        from: None,
        to: None,
        include_voided: false,
    }
}

async fn violations(client: &ChorusClient) -> Vec<(String, Vec<String>)> {
    let variables = compliance_violations::Variables {
        first: None,
        after: None,
    };
    let data = client
        .run::<chorus_tests::client::ComplianceViolations>(variables)
        .await
        .expect("complianceViolations");
    let reasons = |r: Vec<compliance_violations::ComplianceViolationKind>| {
        r.iter().map(|r| format!("{r:?}")).collect()
    };
    data.compliance_violations
        .edges
        .into_iter()
        .map(|e| (e.node.post.post_fields.id, reasons(e.node.reasons)))
        .collect()
}

async fn post_as_of(
    client: &ChorusClient,
    id: &str,
    at: Instant,
) -> Option<post_as_of::PostAsOfPostAsOf> {
    let variables = post_as_of::Variables { id: id.into(), at };
    let data = client
        .run::<chorus_tests::client::PostAsOf>(variables)
        .await
        .expect("postAsOf");
    data.post_as_of
}

async fn calendar(
    client: &ChorusClient,
    (from, to): (Instant, Instant),
    team_id: Option<&str>,
    channel_id: Option<&str>,
) -> Vec<content_calendar::ContentCalendarContentCalendarEdgesNode> {
    let variables = content_calendar::Variables {
        from,
        to,
        team_id: team_id.map(str::to_owned),
        channel_id: channel_id.map(str::to_owned),
        first: None,
        after: None,
    };
    let data = client
        .run::<chorus_tests::client::ContentCalendar>(variables)
        .await
        .expect("contentCalendar");
    data.content_calendar
        .edges
        .into_iter()
        .map(|e| e.node)
        .collect()
}

fn at(rfc3339: &str) -> Instant {
    rfc3339.parse().expect("an RFC 3339 instant")
}

/// `logLegalReview` of a contract outside Chorus, cleared.
fn contract_review(reference: &str) -> review::LogLegalReviewInput {
    review::LogLegalReviewInput {
        subject_kind: review::ReviewSubjectKind::CONTRACT,
        subject_id: None,
        subject_reference: Some(reference.into()),
        kind: review::ReviewKind::CONTRACT,
        outcome: review::ReviewOutcome::CLEARED,
        conditions: None,
        notes: None,
        references: vec![],
        idempotency_key: None,
    }
}

backend_tests! {
    async fn a_flagged_post_is_approved_by_entitled_signers_and_published(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();
        let before_draft = chrono::Utc::now();

        // The lexicon flags the post and records the term.
        let id = w.draft("Look at this fan\nphoto, thanks!").await;
        let p = detail(&w.author, &id).await;
        assert_eq!(p.post_fields.status, api_post::PostStatus::DRAFT, "{}", tag("drafted"));
        let flags: Vec<_> = p
            .post_fields
            .flags
            .iter()
            .map(|f| (format!("{:?}", f.flag), format!("{:?}", f.source), f.term.as_deref(), f.lexicon_version))
            .collect();
        assert_eq!(
            flags,
            [("CONTAINS_USER_GENERATED_CONTENT".to_owned(), "LEXICON".to_owned(), Some("fan photo"), Some(1))],
            "{}",
            tag("lexicon flag")
        );
        let after_draft = chrono::Utc::now();

        let submitted = w.author.submit_post(&id).await.expect("submit").post.expect("post");
        assert_eq!(submitted.post_fields.status, PostStatus::IN_REVIEW);
        let steps: Vec<&str> = submitted.post_fields.open_steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["managers", "legal"], "{}", tag("open steps"));

        // The inbox shows it to entitled signers only.
        for (who, actor, expected) in [
            ("manager1 (ancestor team)", &w.manager1, true),
            ("manager2 (channel scope)", &w.manager2, true),
            ("legal", &w.legal, true),
            ("outsider", &w.outsider, false),
            ("author", &w.author, false),
        ] {
            let inbox = actor.inbox().await.expect("inbox");
            assert_eq!(inbox.contains(&id), expected, "{}", tag(who));
        }

        // Four eyes; a signer without the role; a step signed once per person.
        assert_code(w.author.approve_post(&id, None).await, "FOUR_EYES", None, &tag("author approves"));
        assert_code(w.outsider.approve_post(&id, None).await, "NOT_ENTITLED", None, &tag("outsider approves"));
        w.manager1.approve_post(&id, Some("ok")).await.expect("manager1 approves");
        assert_code(w.manager1.approve_post(&id, None).await, "ALREADY_SIGNED", None, &tag("manager1 again"));
        assert!(
            !w.manager1.inbox().await.expect("inbox").contains(&id),
            "{}",
            tag("signed: out of the inbox")
        );
        let legal = status(w.legal.approve_post(&id, None).await, "legal approves");
        assert_eq!(legal, PostStatus::IN_REVIEW);
        let last = status(w.manager2.approve_post(&id, None).await, "manager2 approves");
        assert_eq!(last, PostStatus::APPROVED, "{}", tag("approved"));

        let published = w.author.mark_published(&id, "1789").await.expect("markPublished");
        let published = published.post.expect("post").post_fields;
        assert_eq!(published.status, PostStatus::PUBLISHED);
        let publication = published.publication.expect("publication");
        assert_eq!(publication.url, "https://x.com/acme/status/1789");
        assert!(publication.delegated_authority.is_none());

        let p = detail(&w.legal, &id).await;
        assert_eq!(
            events(&p),
            [
                "PostDrafted",
                "PostSubmitted",
                "PostSigned",
                "PostSigned",
                "PostSigned",
                "PostApproved",
                "PostPublished"
            ],
            "{}",
            tag("timeline")
        );
        assert!(p
            .timeline
            .nodes
            .iter()
            .filter(|n| n.event_type == "PostSigned")
            .all(|n| n.policy_version == Some(1) && n.function.is_some()));

        // The auditor's view.
        let filter = approvals::ApprovalFilterInput {
            approver_id: Some(w.manager1.id.clone()),
            policy_version: Some(1),
            channel_id: Some(w.channel.clone()),
            team_id: Some(w.social.clone()),
            ..approval_filter()
        };
        let mine = approvals(&admin, filter).await;
        assert_eq!(mine.len(), 1, "{}", tag("approvals by approver"));
        assert_eq!(mine[0].approval_fields.step, "managers");
        assert_eq!(mine[0].approval_fields.function, approvals::RoleFunction::SOCIAL_MEDIA);
        assert!(mine[0].assignment.as_ref().is_some_and(|a| a.active));
        let page = |first, after| approvals::Variables { filter: None, first: Some(first), after };
        let all = admin.run::<chorus_tests::client::Approvals>(page(2, None)).await.expect("approvals page");
        assert!(all.approvals.page_info.has_next_page);
        let cursor = all.approvals.page_info.end_cursor;
        let rest = admin.run::<chorus_tests::client::Approvals>(page(10, cursor)).await.expect("approvals page 2");
        assert_eq!(rest.approvals.edges.len(), 1, "{}", tag("second page"));

        assert_eq!(violations(&admin).await, [], "{}", tag("no violations"));

        // Time travel.
        let then = post_as_of(&admin, &id, before_draft - chrono::Duration::seconds(1)).await;
        assert_eq!(then.and_then(|s| s.status), None, "{}", tag("before it existed"));
        let then = post_as_of(&admin, &id, after_draft).await.expect("snapshot");
        assert_eq!(then.status, Some(post_as_of::PostStatus::DRAFT), "{}", tag("as of after draft"));
        let now = post_as_of(&admin, &id, chrono::Utc::now()).await.expect("snapshot");
        assert_eq!(now.status, Some(post_as_of::PostStatus::PUBLISHED), "{}", tag("as of now"));
        let in_force = |at| policy_as_of::Variables {
            scope: policy_as_of::PolicyScopeInput {
                kind: policy_as_of::ScopeKind::ORGANIZATION,
                id: None,
            },
            at,
        };
        let policies = admin
            .run::<chorus_tests::client::PolicyAsOf>(in_force(chrono::Utc::now()))
            .await
            .expect("policyAsOf");
        assert_eq!(policies.policy_as_of[0].version, 1, "{}", tag("policy in force"));
        let earlier = admin
            .run::<chorus_tests::client::PolicyAsOf>(in_force(at("2000-01-01T00:00:00Z")))
            .await
            .expect("policyAsOf past");
        assert_eq!(earlier.policy_as_of, [], "{}", tag("no policy in 2000"));

        // Calendar: nothing scheduled in that range.
        let range = (at("2000-01-01T00:00:00Z"), at("2100-01-01T00:00:00Z"));
        let entries = calendar(&admin, range, Some(&w.social), None).await;
        assert_eq!(entries, [], "{}", tag("nothing scheduled"));
        app.stop().await;
    }
}

backend_tests! {
    async fn racing_last_approvals_produce_one_approval(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let id = w.draft("Our fan photo of the week").await;
        w.author.submit_post(&id).await.expect("submit");
        w.manager1.approve_post(&id, None).await.expect("manager1");
        w.legal.approve_post(&id, None).await.expect("legal");
        // manager2 and manager3 both complete the last step at once. Both are decided on
        // the same state before either appends (the store holds them until both are
        // decided): the race is certain, and the loser loses it with CONFLICT.
        app.state().store.hold_decided_commands(2);
        let (a, b) = tokio::join!(
            w.manager2.approve_post(&id, None),
            w.manager3.approve_post(&id, None)
        );
        app.state().store.hold_decided_commands(0);
        let outcomes = format!("{a:?} {b:?}");
        let ok = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{}: {outcomes}", tag("exactly one signature counts"));
        let lost: Vec<&str> = [&a, &b]
            .iter()
            .filter_map(|r| r.as_ref().err().and_then(ClientError::code))
            .collect();
        assert_eq!(lost, ["CONFLICT"], "{}: {outcomes}", tag("the loser's code"));
        let p = detail(&w.author, &id).await;
        assert_eq!(p.post_fields.status, api_post::PostStatus::APPROVED, "{}", tag("approved"));
        let approved = events(&p).iter().filter(|t| *t == "PostApproved").count();
        assert_eq!(approved, 1, "{}", tag("exactly one PostApproved"));
        app.stop().await;
    }
}

backend_tests! {
    async fn a_flag_free_post_is_published_under_delegated_authority(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let id = w.draft("Thanks for the kind words!").await;
        // The author holds SOCIAL_MEDIA without the manager responsibility: no delegation.
        let refused = w.author.mark_published(&id, "1").await;
        assert_code(refused, "NOT_APPROVED", None, &tag("author has no delegated authority"));
        let published = w.manager3.mark_published(&id, "2").await.expect("delegated publish");
        let published = published.post.expect("post").post_fields;
        assert_eq!(published.status, PostStatus::PUBLISHED);
        let delegated = published
            .publication
            .and_then(|p| p.delegated_authority)
            .expect("delegation recorded");
        assert_eq!(delegated.policy_version, 1, "{}", tag("delegation recorded"));
        assert_eq!(delegated.function, chorus_tests::client::draft_post::RoleFunction::SOCIAL_MEDIA);

        // A flagged draft cannot go out under delegation.
        let flagged = w.draft("Another fan photo").await;
        let refused = w.manager3.mark_published(&flagged, "3").await;
        assert_code(refused, "NOT_APPROVED", None, &tag("flagged post needs approval"));

        let variables = delegated_publications::Variables {
            from: None,
            to: None,
            first: None,
            after: None,
        };
        let delegated = app
            .admin()
            .run::<chorus_tests::client::DelegatedPublications>(variables)
            .await
            .expect("delegatedPublications");
        let edges = delegated.delegated_publications.edges;
        assert_eq!(edges.len(), 1, "{}", tag("one delegated publication"));
        assert_eq!(edges[0].node.id, id);
        let authority = edges[0].node.publication.as_ref().and_then(|p| p.delegated_authority.as_ref());
        assert!(authority.is_some(), "{}", tag("listed with its delegation"));
        assert_eq!(violations(&app.admin()).await, [], "{}", tag("no violations"));
        app.stop().await;
    }
}

backend_tests! {
    async fn a_blocking_legal_review_stops_approval_until_cleared(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let id = w.draft("Fan photo contest!").await;
        w.author.submit_post(&id).await.expect("submit");
        let block = review::LogLegalReviewInput {
            notes: Some("no release".into()),
            idempotency_key: Some("block-1".into()),
            ..chorus_tests::ugc_review(&id, review::ReviewOutcome::BLOCKED)
        };
        let blocked = w.legal.log_legal_review(block.clone()).await.expect("block");
        assert!(blocked.post.as_ref().expect("post").legally_blocked, "{}", tag("blocked"));
        let first_review = blocked.legal_review.expect("review");
        assert_eq!(first_review.outcome, review::ReviewOutcome::BLOCKED);
        // Retried with the same key: the same answer, nothing new.
        let count = app.event_count().await;
        let again = w.legal.log_legal_review(block).await.expect("block again");
        assert!(again.replayed, "{}", tag("replayed"));
        assert_eq!(again.legal_review.expect("review").id, first_review.id);
        assert_eq!(app.event_count().await, count, "{}", tag("nothing appended on retry"));

        assert!(
            !w.manager1.inbox().await.expect("inbox").contains(&id),
            "{}",
            tag("blocked: not in inbox")
        );
        assert_code(w.manager1.approve_post(&id, None).await, "LEGAL_BLOCK", None, &tag("approve blocked"));
        let clear = review::LogLegalReviewInput {
            conditions: Some("credit the fan".into()),
            ..chorus_tests::ugc_review(&id, review::ReviewOutcome::CLEARED_WITH_CONDITIONS)
        };
        w.legal.log_legal_review(clear).await.expect("clear");
        assert!(
            w.manager1.inbox().await.expect("inbox").contains(&id),
            "{}",
            tag("cleared: back in inbox")
        );
        w.manager1.approve_post(&id, None).await.expect("approve after clearance");

        let variables = legal_reviews::Variables {
            filter: Some(legal_reviews::LegalReviewFilterInput {
                reviewer_id: Some(w.legal.id.clone()),
                post_id: Some(id.clone()),
                subject_kind: None,
                kind: None,
                outcome: None,
                from: None,
                to: None,
            }),
            first: None,
            after: None,
        };
        let reviews = app
            .admin()
            .run::<chorus_tests::client::LegalReviews>(variables)
            .await
            .expect("legalReviews");
        let outcomes: Vec<_> = reviews.legal_reviews.edges.iter().map(|e| e.node.outcome.clone()).collect();
        assert_eq!(
            outcomes,
            [legal_reviews::ReviewOutcome::BLOCKED, legal_reviews::ReviewOutcome::CLEARED_WITH_CONDITIONS],
            "{}",
            tag("review history")
        );
        assert!(reviews.legal_reviews.edges.iter().all(|e| {
            e.node.reviewer.as_ref().map(|r| &r.id) == Some(&w.legal.id)
                && e.node.post.as_ref().map(|p| &p.id) == Some(&id)
        }));

        // A review of something outside Chorus.
        w.legal.log_legal_review(contract_review("AGENCY-2026-7")).await.expect("contract review");
        app.stop().await;
    }
}

backend_tests! {
    async fn an_edit_voids_approvals_and_the_policy_can_be_revised_and_retired(
        backend: TestBackend,
    ) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();
        let id = w.draft("Spring is here").await;
        w.author.submit_post(&id).await.expect("submit");
        w.manager1.approve_post(&id, None).await.expect("m1");
        w.manager2.approve_post(&id, None).await.expect("m2");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let before_edit = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let edited = w.author.edit_post(&id, "Spring is here, fan photo inside").await;
        assert_eq!(status(edited, "edit"), PostStatus::DRAFT, "{}", tag("back to draft"));
        // Time travel: before the edit the post had its first text and both sign-offs;
        // now it has the new text and none standing.
        let then = post_as_of(&admin, &id, before_edit).await.expect("snapshot");
        assert_eq!(then.text.as_deref(), Some("Spring is here"), "{}", tag("text before the edit"));
        assert_eq!(then.approvals.len(), 2, "{}", tag("sign-offs standing then"));
        let now = post_as_of(&admin, &id, chrono::Utc::now()).await.expect("snapshot");
        assert_eq!(now.text.as_deref(), Some("Spring is here, fan photo inside"), "{}", tag("text now"));
        assert_eq!(now.approvals, [], "{}", tag("voided by the edit"));
        let p = detail(&w.author, &id).await;
        assert!(p.approvals.iter().all(|a| a.voided), "{}", tag("voided"));
        assert!(events(&p).contains(&"ApprovalsVoided".to_owned()));
        let with_voided = approvals::ApprovalFilterInput {
            post_id: Some(id.clone()),
            include_voided: true,
            ..approval_filter()
        };
        let voided = approvals(&admin, with_voided).await;
        assert_eq!(voided.len(), 2);
        assert_eq!(voided[0].approval_fields.void_reason.as_deref(), Some("EDITED"));
        let counted = approvals::ApprovalFilterInput {
            post_id: Some(id.clone()),
            ..approval_filter()
        };
        let counted = approvals(&admin, counted).await;
        assert_eq!(counted, [], "{}", tag("voided approvals are not counted"));

        // Withdraw, schedule, reject.
        w.author.submit_post(&id).await.expect("resubmit");
        w.author.withdraw_post(&id).await.expect("withdraw");
        let when = chrono::Utc::now() + chrono::Duration::days(3);
        let scheduled = w.author.schedule_post(&id, when).await.expect("schedule");
        assert!(scheduled.post.expect("post").post_fields.scheduled_at.is_some());
        w.author.submit_post(&id).await.expect("submit again");
        let rejected = w.legal.reject_post(&id, "no release from the fan").await;
        assert_eq!(status(rejected, "reject"), PostStatus::REJECTED, "{}", tag("rejected"));
        let week = (chrono::Utc::now(), chrono::Utc::now() + chrono::Duration::days(7));
        let entries = calendar(&admin, week, None, Some(&w.channel)).await;
        assert_eq!(entries.len(), 1, "{}", tag("calendar"));
        assert_eq!(entries[0].status, content_calendar::PostStatus::REJECTED, "{}", tag("calendar"));
        assert_eq!(entries[0].post.id, id);

        // Revise and retire the policy.
        let policies = admin.policies().await.expect("policies");
        let policy_id = policies[0].id.clone();
        use revise::ContentFlag::{CONTAINS_USER_GENERATED_CONTENT, CONTEST_OR_PROMOTION};
        let legal_flags = [CONTAINS_USER_GENERATED_CONTENT, CONTEST_OR_PROMOTION];
        // The same steps, now with one manager.
        let (steps, delegation) = chorus_tests::four_eyes_policy!(revise, 1, legal_flags);
        let revision = revise::ReviseApprovalPolicyInput {
            policy_id: policy_id.clone(),
            steps,
            delegation: Some(delegation),
            idempotency_key: None,
        };
        let revised = w.legal.revise_policy(revision).await.expect("revise");
        assert_eq!(revised.policy.expect("policy").version, 2, "{}", tag("version 2"));
        let retired = admin.retire_policy(&policy_id).await.expect("retire");
        assert!(retired.policy.expect("policy").retired, "{}", tag("retired"));

        // No policy in force: a submitted post needs no approval.
        let free = w.draft("Fan photo, no policy").await;
        let submitted = w.author.submit_post(&free).await;
        assert_eq!(status(submitted, "submit without policy"), PostStatus::APPROVED, "{}", tag("auto-approved"));
        let published = w.author.mark_published(&free, "9").await;
        assert_eq!(status(published, "publish"), PostStatus::PUBLISHED);
        let retracted = w.author.retract_post(&free, "wrong photo").await;
        assert_eq!(status(retracted, "retract"), PostStatus::RETRACTED, "{}", tag("retracted"));
        app.stop().await;
    }
}

backend_tests! {
    /// The compliance query is not empty by construction: when the role history read model
    /// says an approver did not hold the role when signing (tampered here, since Chorus
    /// itself never allows it), the post shows up.
    async fn compliance_violations_detect_an_approver_without_the_role(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();
        let id = w.draft("Hello world").await;
        w.author.submit_post(&id).await.expect("submit");
        w.manager1.approve_post(&id, None).await.expect("m1");
        w.manager2.approve_post(&id, None).await.expect("m2");
        w.author.mark_published(&id, "5").await.expect("publish");
        assert_eq!(violations(&admin).await, [], "{}", tag("clean"));

        // Pretend manager2's role started only in 2100.
        let assignment = detail(&admin, &id)
            .await
            .approvals
            .iter()
            .find(|a| a.approver_id == w.manager2.id)
            .map(|a| chorus_tests::uuid_of(&a.assignment_id))
            .expect("manager2's approval");
        let literal = match backend {
            TestBackend::Postgres => format!("'{assignment}'"),
            TestBackend::Sqlite => format!("X'{}'", assignment.simple()),
        };
        let future = match backend {
            TestBackend::Postgres => "'2100-01-01T00:00:00Z'",
            TestBackend::Sqlite => "'2100-01-01T00:00:00+00:00'",
        };
        app.execute_sql(&format!(
            "UPDATE role_assignments SET valid_from = {future} WHERE id = {literal}"
        ))
        .await;
        assert_eq!(
            violations(&admin).await,
            [(id, vec!["APPROVER_WITHOUT_ROLE".to_owned()])],
            "{}",
            tag("detected")
        );
        app.stop().await;
    }
}

backend_tests! {
    /// `approvalPolicy(id)` and `legalReview(id)` read one record of the caller's
    /// organization; another organization gets null for the same ids.
    async fn single_policy_and_legal_review_lookups_are_confined(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let policy_id = app.admin().policies().await.expect("policies")[0].id.clone();
        let review = w.legal.log_legal_review(contract_review("Agency MSA 2026")).await;
        let review_id = review.expect("contract review").legal_review.expect("review").id;
        let lookups = |client: ChorusClient| {
            let (policy_id, review_id) = (policy_id.clone(), review_id.clone());
            async move {
                let policy = client
                    .run::<chorus_tests::client::ApprovalPolicy>(
                        chorus_tests::client::approval_policy::Variables { id: policy_id },
                    )
                    .await
                    .expect("approvalPolicy");
                let review = client
                    .run::<chorus_tests::client::LegalReview>(legal_review::Variables { id: review_id })
                    .await
                    .expect("legalReview");
                (policy.approval_policy, review.legal_review)
            }
        };
        let (policy, review) = lookups(app.admin()).await;
        let policy = policy.expect("policy by id");
        assert_eq!(policy.id, policy_id, "[{backend:?}] policy by id");
        assert_eq!(policy.version, 1);
        let review = review.expect("review by id");
        assert_eq!(review.outcome, legal_review::ReviewOutcome::CLEARED, "[{backend:?}] review by id");
        assert_eq!(review.subject_kind, legal_review::ReviewSubjectKind::CONTRACT);
        let other = app.second_org("Globex", "admin@globex.example").await;
        let (policy, review) = lookups(other.client.clone()).await;
        assert!(policy.is_none(), "[{backend:?}] another organization sees no policy");
        assert!(review.is_none(), "[{backend:?}] nor the review");
        app.stop().await;
    }
}
