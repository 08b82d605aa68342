//! Every content mutation against a refused and an allowed role (the permission
//! matrix), confinement to the caller's organization, and bad input (a clear error
//! naming the field, nothing written).

use chorus_tests::client::ChorusClient;
use chorus_tests::{
    assert_code, backend_tests, docs, expect_data, expect_error, spawn_app, ContentApi, PostStatus,
    TestBackend,
};
use serde_json::{json, Value};

/// One social media manager signs every post, a legal-role holder posts with
/// user-generated content, as the input types of policy mutation module `$m`.
macro_rules! manager_and_legal {
    ($m:ident) => {{
        use $m::{Responsibility as R, RoleFunction as F};
        let signer = |function, responsibility| $m::SignerRuleInput {
            function,
            responsibility,
        };
        let step = |name: &str, conditions, signers| $m::PolicyStepInput {
            name: name.into(),
            conditions,
            signers,
            required_signatures: 1,
        };
        let ugc = $m::StepConditionsInput {
            flags_any: vec![$m::ContentFlag::CONTAINS_USER_GENERATED_CONTENT],
            channel_ids: vec![],
            author_functions: vec![],
        };
        let manager = || signer(F::SOCIAL_MEDIA, Some(R::SOCIAL_MEDIA_MANAGER));
        let steps = vec![
            step("manager", None, vec![manager()]),
            step("legal", Some(ugc), vec![signer(F::LEGAL, None)]),
        ];
        (
            steps,
            $m::DelegationInput {
                holders: vec![manager()],
            },
        )
    }};
}

backend_tests! {
    async fn every_content_mutation_has_an_allowed_and_a_refused_role(backend: TestBackend) {
        use chorus_tests::client::{
            add_lexicon_term::ContentFlag, define_approval_policy as define,
            log_legal_review as review, remove_lexicon_term, revise_approval_policy as revise,
            RemoveLexiconTerm,
        };
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let t = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();

        // Lexicon: legal or admins.
        let term = || (ContentFlag::CONTAINS_USER_GENERATED_CONTENT, "fan photo");
        let refusal = w.author.add_lexicon_term(term().0, term().1).await;
        assert_code(refusal, "FORBIDDEN", None, &t("author adds a term"));
        w.legal.add_lexicon_term(term().0, term().1).await.expect("legal adds a term");
        admin.add_lexicon_term(ContentFlag::MENTIONS_PRICING, "discount").await.expect("admin adds a term");
        let remove = || remove_lexicon_term::Variables {
            input: remove_lexicon_term::LexiconTermInput {
                flag: remove_lexicon_term::ContentFlag::MENTIONS_PRICING,
                term: "discount".into(),
                idempotency_key: None,
            },
        };
        let refusal = w.outsider.client.run::<RemoveLexiconTerm>(remove()).await;
        assert_code(refusal, "FORBIDDEN", None, &t("outsider removes a term"));
        let removed = admin.run::<RemoveLexiconTerm>(remove()).await.expect("admin removes a term");
        assert_eq!(removed.remove_lexicon_term.lexicon.version, 3);

        // Policies: legal or admins.
        let policy = || {
            let (steps, _) = manager_and_legal!(define);
            define::DefineApprovalPolicyInput {
                scope: define::PolicyScopeInput { kind: define::ScopeKind::ORGANIZATION, id: None },
                steps,
                delegation: None,
                idempotency_key: None,
            }
        };
        let refusal = w.manager1.define_policy(policy()).await;
        assert_code(refusal, "FORBIDDEN", None, &t("manager defines a policy"));
        let defined = w.legal.define_policy(policy()).await.expect("legal defines a policy");
        let policy_id = defined.policy.expect("policy").id;
        let revision = || {
            let (steps, delegation) = manager_and_legal!(revise);
            revise::ReviseApprovalPolicyInput {
                policy_id: policy_id.clone(),
                steps,
                delegation: Some(delegation),
                idempotency_key: None,
            }
        };
        assert_code(w.author.revise_policy(revision()).await, "FORBIDDEN", None, &t("author revises"));
        admin.revise_policy(revision()).await.expect("admin revises");

        // Authoring.
        let channels = [w.channel.as_str()];
        let refusal = w.outsider.draft_post(&channels, "Hello fan photo").await;
        assert_code(refusal, "FORBIDDEN", None, &t("customer service drafts"));
        let refusal = w.legal.draft_post(&channels, "Hello fan photo").await;
        assert_code(refusal, "FORBIDDEN", None, &t("legal drafts"));
        let id = w.draft("Hello fan photo").await;
        let edit = "Hello again, fan photo";
        assert_code(w.outsider.edit_post(&id, edit).await, "FORBIDDEN", None, &t("outsider edits"));
        assert_code(w.manager2.edit_post(&id, edit).await, "NOT_AUTHOR", None, &t("another author edits"));
        w.author.edit_post(&id, edit).await.expect("author edits");
        let when = chrono::Utc::now() + chrono::Duration::days(2);
        let refusal = w.outsider.schedule_post(&id, when).await;
        assert_code(refusal, "FORBIDDEN", None, &t("outsider schedules"));
        w.author.schedule_post(&id, when).await.expect("author schedules");
        assert_code(w.outsider.submit_post(&id).await, "FORBIDDEN", None, &t("outsider submits"));
        w.author.submit_post(&id).await.expect("author submits");
        assert_code(w.outsider.withdraw_post(&id).await, "FORBIDDEN", None, &t("outsider withdraws"));
        w.author.withdraw_post(&id).await.expect("author withdraws");
        w.author.submit_post(&id).await.expect("author resubmits");

        // Signing: as the policy step says.
        let refusal = w.outsider.approve_post(&id, None).await;
        assert_code(refusal, "NOT_ENTITLED", None, &t("outsider approves"));
        let refusal = w.manager2.approve_post(&id, None).await;
        assert_code(refusal, "NOT_ENTITLED", None, &t("marketing approves"));
        w.manager1.approve_post(&id, None).await.expect("manager approves");
        let why = "needs a release";
        let refusal = w.outsider.reject_post(&id, why).await;
        assert_code(refusal, "NOT_ENTITLED", None, &t("outsider rejects"));
        w.legal.reject_post(&id, why).await.expect("legal rejects");

        // Legal reviews: legal only.
        let cleared = || chorus_tests::ugc_review(&id, review::ReviewOutcome::CLEARED);
        let refusal = w.author.log_legal_review(cleared()).await;
        assert_code(refusal, "FORBIDDEN", None, &t("author reviews"));
        assert_code(admin.log_legal_review(cleared()).await, "FORBIDDEN", None, &t("admin reviews"));
        w.legal.log_legal_review(cleared()).await.expect("legal reviews");

        // Publishing: social media role holders or integrators with content:publish.
        let plain = w.draft("Good morning").await;
        w.author.submit_post(&plain).await.expect("submit plain");
        w.manager1.approve_post(&plain, None).await.expect("approve plain");
        let refusal = w.manager2.mark_published(&plain, "42").await;
        assert_code(refusal, "FORBIDDEN", None, &t("marketing publishes"));
        let reader = app.client(Some(&app.token_for_service(&["teams:read"]).await));
        let refusal = reader.mark_published(&plain, "42").await;
        assert_code(refusal, "FORBIDDEN", None, &t("integrator without scope"));
        let integrator = app.client(Some(&app.token_for_service(&["content:publish"]).await));
        let published = integrator.mark_published(&plain, "42").await.expect("integrator publishes");
        assert_eq!(published.post.expect("post").post_fields.status, PostStatus::PUBLISHED);
        let refusal = w.outsider.retract_post(&plain, "typo").await;
        assert_code(refusal, "FORBIDDEN", None, &t("outsider retracts"));
        w.author.retract_post(&plain, "typo").await.expect("social media retracts");

        // Retiring a policy: legal or admins.
        let refusal = w.outsider.retire_policy(&policy_id).await;
        assert_code(refusal, "FORBIDDEN", None, &t("outsider retires"));
        w.legal.retire_policy(&policy_id).await.expect("legal retires");
        app.stop().await;
    }
}

backend_tests! {
    async fn content_is_confined_to_the_callers_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let id = w.draft("Internal news").await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let t = |what: &str| format!("[{backend:?}] {what}");
        let seen = other.client.post_detail(&id).await.expect("foreign post");
        assert!(seen.is_none(), "{}", t("another organization's post is invisible"));
        let refusal = other.client.retract_post(&id, "x").await;
        assert_code(refusal, "NOT_FOUND", None, &t("foreign retract"));
        use chorus_tests::client::log_legal_review as review;
        let foreign = review::LogLegalReviewInput {
            kind: review::ReviewKind::PRIVACY,
            ..chorus_tests::ugc_review(&id, review::ReviewOutcome::BLOCKED)
        };
        let refusal = other.client.log_legal_review(foreign).await;
        assert_code(refusal, "FORBIDDEN", None, &t("foreign review"));
        let list = expect_data(&other.client, "{ approvals { edges { cursor } } delegatedPublications { edges { cursor } } legalReviews { edges { cursor } } }", json!({}), &t("foreign lists")).await;
        assert_eq!(list["approvals"]["edges"], json!([]));
        app.stop().await;
    }
}

backend_tests! {
    async fn bad_content_input_names_the_field_and_writes_nothing(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let a = &w.author.client;
        let c = &w.channel;
        let l = &w.legal.client;
        let id = w.draft("Hello").await;
        let step = |required: i64, signers: Value| json!({ "scope": { "kind": "ORGANIZATION" }, "steps": [{ "name": "s", "signers": signers, "requiredSignatures": required }] });
        let cases: Vec<(&ChorusClient, &str, Value, &str)> = vec![
            (a, docs::DRAFT_POST, json!({ "channelIds": [c], "text": "   " }), "text"),
            (a, docs::DRAFT_POST, json!({ "channelIds": [], "text": "hi" }), "channelIds"),
            (a, docs::DRAFT_POST, json!({ "channelIds": [c, c], "text": "hi" }), "channelIds"),
            (a, docs::DRAFT_POST, json!({ "channelIds": ["nope"], "text": "hi" }), "channelIds[0]"),
            (a, docs::DRAFT_POST, json!({ "channelIds": [c], "text": "hi", "mediaUrls": ["ftp://x"] }), "mediaUrls[0]"),
            (a, docs::DRAFT_POST, json!({ "channelIds": [c], "text": "hi", "campaign": " " }), "campaign"),
            (l, docs::DEFINE_APPROVAL_POLICY, step(0, json!([{ "function": "LEGAL" }])), "steps[0].requiredSignatures"),
            (l, docs::DEFINE_APPROVAL_POLICY, step(-1, json!([{ "function": "LEGAL" }])), "steps[0].requiredSignatures"),
            (l, docs::DEFINE_APPROVAL_POLICY, step(1, json!([])), "steps[0].signers"),
            (l, docs::DEFINE_APPROVAL_POLICY, json!({ "scope": { "kind": "ORGANIZATION", "id": c }, "steps": [] }), "scope.id"),
            (l, docs::DEFINE_APPROVAL_POLICY, json!({ "scope": { "kind": "TEAM" }, "steps": [] }), "scope.id"),
            (l, docs::ADD_LEXICON_TERM, json!({ "flag": "MENTIONS_PRICING", "term": "!!!" }), "term"),
            (l, docs::LOG_LEGAL_REVIEW, json!({ "subjectKind": "POST", "kind": "PRIVACY", "outcome": "CLEARED" }), "subjectId"),
            (l, docs::LOG_LEGAL_REVIEW, json!({ "subjectKind": "CONTRACT", "subjectReference": "C-1", "kind": "CONTRACT", "outcome": "CLEARED_WITH_CONDITIONS" }), "conditions"),
            (a, docs::EDIT_POST, json!({ "postId": id, "text": "" }), "text"),
            (a, docs::EDIT_POST, json!({ "postId": "bad", "text": "x" }), "postId"),
            (&w.manager1.client, docs::REJECT_POST, json!({ "postId": id, "comment": "  " }), "comment"),
            (a, docs::MARK_PUBLISHED, json!({ "postId": id, "networkPostId": "1", "url": "x.com/1" }), "url"),
        ];
        for (n, (client, doc, input, field)) in cases.into_iter().enumerate() {
            let what = format!("[{backend:?}] case {n}: {field}");
            app.expect_bad_input(client, doc, json!({ "input": input }), field, &what)
                .await;
        }
        let past = json!({ "input": { "postId": id, "scheduledAt": "2001-01-01T00:00:00Z" } });
        let refusal = ("SCHEDULE_IN_PAST", None);
        app.expect_refused_unwritten(a, docs::SCHEDULE_POST, past, refusal, "past schedule")
            .await;
        for (query, field, what) in [
            ("{ contentCalendar(from: \"2030-01-02T00:00:00Z\", to: \"2030-01-01T00:00:00Z\") { edges { cursor } } }", "to", "calendar range"),
            ("{ approvals(first: -1) { edges { cursor } } }", "first", "page cap"),
            ("{ approvals(after: \"garbage\") { edges { cursor } } }", "after", "bad cursor"),
        ] {
            expect_error(a, query, json!({}), "BAD_USER_INPUT", Some(field), what).await;
        }
        app.stop().await;
    }
}
