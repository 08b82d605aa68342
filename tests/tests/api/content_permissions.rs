//! Every content mutation against a refused and an allowed role (the permission
//! matrix), confinement to the caller's organization, and bad input (a clear error
//! naming the field, nothing written).

use chorus_tests::client::ChorusClient;
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, spawn_app, ContentWorld, TestApp, TestBackend,
};
use serde_json::{json, Value};

fn policy_input() -> Value {
    json!({
        "scope": { "kind": "ORGANIZATION" },
        "steps": [
            { "name": "manager", "signers": [{ "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" }] },
            { "name": "legal", "conditions": { "flagsAny": ["CONTAINS_USER_GENERATED_CONTENT"] }, "signers": [{ "function": "LEGAL" }] }
        ]
    })
}

async fn ok(client: &ChorusClient, doc: &str, input: Value, what: &str) -> Value {
    expect_data(client, doc, json!({ "input": input }), what).await
}

async fn refused(client: &ChorusClient, doc: &str, input: Value, code: &str, what: &str) {
    expect_error(client, doc, json!({ "input": input }), code, None, what).await;
}

async fn draft(w: &ContentWorld, text: &str) -> String {
    let data = ok(
        &w.author.client,
        docs::DRAFT_POST,
        json!({ "channelIds": [w.channel], "text": text }),
        "draft",
    )
    .await;
    data["draftPost"]["post"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

backend_tests! {
    async fn every_content_mutation_has_an_allowed_and_a_refused_role(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let t = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();

        // Lexicon: legal or admins.
        let term = json!({ "flag": "CONTAINS_USER_GENERATED_CONTENT", "term": "fan photo" });
        refused(
            &w.author.client,
            docs::ADD_LEXICON_TERM,
            term.clone(),
            "FORBIDDEN",
            &t("author adds a term"),
        )
        .await;
        ok(
            &w.legal.client,
            docs::ADD_LEXICON_TERM,
            term.clone(),
            &t("legal adds a term"),
        )
        .await;
        let other = json!({ "flag": "MENTIONS_PRICING", "term": "discount" });
        ok(
            &admin,
            docs::ADD_LEXICON_TERM,
            other.clone(),
            &t("admin adds a term"),
        )
        .await;
        refused(
            &w.outsider.client,
            docs::REMOVE_LEXICON_TERM,
            other.clone(),
            "FORBIDDEN",
            &t("outsider removes a term"),
        )
        .await;
        let removed = ok(
            &admin,
            docs::REMOVE_LEXICON_TERM,
            other,
            &t("admin removes a term"),
        )
        .await;
        assert_eq!(removed["removeLexiconTerm"]["lexicon"]["version"], 3);

        // Policies: legal or admins.
        refused(
            &w.manager1.client,
            docs::DEFINE_APPROVAL_POLICY,
            policy_input(),
            "FORBIDDEN",
            &t("manager defines a policy"),
        )
        .await;
        let defined = ok(
            &w.legal.client,
            docs::DEFINE_APPROVAL_POLICY,
            policy_input(),
            &t("legal defines a policy"),
        )
        .await;
        let policy_id = defined["defineApprovalPolicy"]["policy"]["id"]
            .as_str()
            .expect("policy")
            .to_owned();
        let mut revision = policy_input();
        revision.as_object_mut().expect("object").remove("scope");
        revision["policyId"] = json!(policy_id);
        revision["delegation"] = json!({ "holders": [{ "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" }] });
        refused(
            &w.author.client,
            docs::REVISE_APPROVAL_POLICY,
            revision.clone(),
            "FORBIDDEN",
            &t("author revises"),
        )
        .await;
        ok(
            &admin,
            docs::REVISE_APPROVAL_POLICY,
            revision,
            &t("admin revises"),
        )
        .await;

        // Authoring.
        let draft_input = json!({ "channelIds": [w.channel], "text": "Hello fan photo" });
        refused(
            &w.outsider.client,
            docs::DRAFT_POST,
            draft_input.clone(),
            "FORBIDDEN",
            &t("customer service drafts"),
        )
        .await;
        refused(
            &w.legal.client,
            docs::DRAFT_POST,
            draft_input.clone(),
            "FORBIDDEN",
            &t("legal drafts"),
        )
        .await;
        let id = draft(&w, "Hello fan photo").await;
        let edit = json!({ "postId": id, "text": "Hello again, fan photo" });
        refused(
            &w.outsider.client,
            docs::EDIT_POST,
            edit.clone(),
            "FORBIDDEN",
            &t("outsider edits"),
        )
        .await;
        refused(
            &w.manager2.client,
            docs::EDIT_POST,
            edit.clone(),
            "NOT_AUTHOR",
            &t("another author edits"),
        )
        .await;
        ok(&w.author.client, docs::EDIT_POST, edit, &t("author edits")).await;
        let when =
            json!({ "postId": id, "scheduledAt": chrono::Utc::now() + chrono::Duration::days(2) });
        refused(
            &w.outsider.client,
            docs::SCHEDULE_POST,
            when.clone(),
            "FORBIDDEN",
            &t("outsider schedules"),
        )
        .await;
        ok(
            &w.author.client,
            docs::SCHEDULE_POST,
            when,
            &t("author schedules"),
        )
        .await;
        let action = json!({ "postId": id });
        refused(
            &w.outsider.client,
            docs::SUBMIT_POST,
            action.clone(),
            "FORBIDDEN",
            &t("outsider submits"),
        )
        .await;
        ok(
            &w.author.client,
            docs::SUBMIT_POST,
            action.clone(),
            &t("author submits"),
        )
        .await;
        refused(
            &w.outsider.client,
            docs::WITHDRAW_POST,
            action.clone(),
            "FORBIDDEN",
            &t("outsider withdraws"),
        )
        .await;
        ok(
            &w.author.client,
            docs::WITHDRAW_POST,
            action.clone(),
            &t("author withdraws"),
        )
        .await;
        ok(
            &w.author.client,
            docs::SUBMIT_POST,
            action.clone(),
            &t("author resubmits"),
        )
        .await;

        // Signing: as the policy step says.
        refused(
            &w.outsider.client,
            docs::APPROVE_POST,
            action.clone(),
            "NOT_ENTITLED",
            &t("outsider approves"),
        )
        .await;
        refused(
            &w.manager2.client,
            docs::APPROVE_POST,
            action.clone(),
            "NOT_ENTITLED",
            &t("marketing approves"),
        )
        .await;
        ok(
            &w.manager1.client,
            docs::APPROVE_POST,
            action.clone(),
            &t("manager approves"),
        )
        .await;
        let reject = json!({ "postId": id, "comment": "needs a release" });
        refused(
            &w.outsider.client,
            docs::REJECT_POST,
            reject.clone(),
            "NOT_ENTITLED",
            &t("outsider rejects"),
        )
        .await;
        ok(
            &w.legal.client,
            docs::REJECT_POST,
            reject,
            &t("legal rejects"),
        )
        .await;

        // Legal reviews: legal only.
        let review = json!({ "subjectKind": "POST", "subjectId": id, "kind": "UGC_RIGHTS", "outcome": "CLEARED" });
        refused(
            &w.author.client,
            docs::LOG_LEGAL_REVIEW,
            review.clone(),
            "FORBIDDEN",
            &t("author reviews"),
        )
        .await;
        refused(
            &admin,
            docs::LOG_LEGAL_REVIEW,
            review.clone(),
            "FORBIDDEN",
            &t("admin reviews"),
        )
        .await;
        ok(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            review,
            &t("legal reviews"),
        )
        .await;

        // Publishing: social media role holders or integrators with content:publish.
        let plain = draft(&w, "Good morning").await;
        ok(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": plain }),
            &t("submit plain"),
        )
        .await;
        ok(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "postId": plain }),
            &t("approve plain"),
        )
        .await;
        let publish = json!({ "postId": plain, "networkPostId": "42", "url": "https://x.com/acme/status/42" });
        refused(
            &w.manager2.client,
            docs::MARK_PUBLISHED,
            publish.clone(),
            "FORBIDDEN",
            &t("marketing publishes"),
        )
        .await;
        let reader = app.client(Some(&app.token_for_service(&["teams:read"]).await));
        refused(
            &reader,
            docs::MARK_PUBLISHED,
            publish.clone(),
            "FORBIDDEN",
            &t("integrator without scope"),
        )
        .await;
        let integrator = app.client(Some(&app.token_for_service(&["content:publish"]).await));
        let published = ok(
            &integrator,
            docs::MARK_PUBLISHED,
            publish,
            &t("integrator publishes"),
        )
        .await;
        assert_eq!(published["markPublished"]["post"]["status"], "PUBLISHED");
        let retract = json!({ "postId": plain, "reason": "typo" });
        refused(
            &w.outsider.client,
            docs::RETRACT_POST,
            retract.clone(),
            "FORBIDDEN",
            &t("outsider retracts"),
        )
        .await;
        ok(
            &w.author.client,
            docs::RETRACT_POST,
            retract,
            &t("social media retracts"),
        )
        .await;

        // Retiring a policy: legal or admins.
        refused(
            &w.outsider.client,
            docs::RETIRE_APPROVAL_POLICY,
            json!({ "policyId": policy_id }),
            "FORBIDDEN",
            &t("outsider retires"),
        )
        .await;
        ok(
            &w.legal.client,
            docs::RETIRE_APPROVAL_POLICY,
            json!({ "policyId": policy_id }),
            &t("legal retires"),
        )
        .await;
        app.stop().await;
    }
}

backend_tests! {
    async fn content_is_confined_to_the_callers_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let id = draft(&w, "Internal news").await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let t = |what: &str| format!("[{backend:?}] {what}");
        let seen = expect_data(
            &other.client,
            "query($id: ID!) { post(id: $id) { id } }",
            json!({ "id": id }),
            &t("foreign post"),
        )
        .await;
        assert!(
            seen["post"].is_null(),
            "{}",
            t("another organization's post is invisible")
        );
        refused(
            &other.client,
            docs::RETRACT_POST,
            json!({ "postId": id, "reason": "x" }),
            "NOT_FOUND",
            &t("foreign retract"),
        )
        .await;
        refused(&other.client, docs::LOG_LEGAL_REVIEW, json!({ "subjectKind": "POST", "subjectId": id, "kind": "PRIVACY", "outcome": "BLOCKED" }), "FORBIDDEN", &t("foreign review")).await;
        let list = expect_data(&other.client, "{ approvals { edges { cursor } } delegatedPublications { edges { cursor } } legalReviews { edges { cursor } } }", json!({}), &t("foreign lists")).await;
        assert_eq!(list["approvals"]["edges"], json!([]));
        app.stop().await;
    }
}

async fn bad(app: &TestApp, client: &ChorusClient, doc: &str, input: Value, field: &str) {
    let before = app.event_count().await;
    expect_error(
        client,
        doc,
        json!({ "input": input }),
        "BAD_USER_INPUT",
        Some(field),
        &format!("[{:?}] {field}", app.backend),
    )
    .await;
    assert_eq!(
        app.event_count().await,
        before,
        "[{:?}] {field}: nothing written",
        app.backend
    );
}

backend_tests! {
    async fn bad_content_input_names_the_field_and_writes_nothing(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let a = &w.author.client;
        let c = &w.channel;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": [c], "text": "   " }),
            "text",
        )
        .await;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": [], "text": "hi" }),
            "channelIds",
        )
        .await;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": [c, c], "text": "hi" }),
            "channelIds",
        )
        .await;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": ["nope"], "text": "hi" }),
            "channelIds[0]",
        )
        .await;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": [c], "text": "hi", "mediaUrls": ["ftp://x"] }),
            "mediaUrls[0]",
        )
        .await;
        bad(
            &app,
            a,
            docs::DRAFT_POST,
            json!({ "channelIds": [c], "text": "hi", "campaign": " " }),
            "campaign",
        )
        .await;
        let l = &w.legal.client;
        let step = |required: i64, signers: Value| json!({ "scope": { "kind": "ORGANIZATION" }, "steps": [{ "name": "s", "signers": signers, "requiredSignatures": required }] });
        bad(
            &app,
            l,
            docs::DEFINE_APPROVAL_POLICY,
            step(0, json!([{ "function": "LEGAL" }])),
            "steps[0].requiredSignatures",
        )
        .await;
        bad(
            &app,
            l,
            docs::DEFINE_APPROVAL_POLICY,
            step(-1, json!([{ "function": "LEGAL" }])),
            "steps[0].requiredSignatures",
        )
        .await;
        bad(
            &app,
            l,
            docs::DEFINE_APPROVAL_POLICY,
            step(1, json!([])),
            "steps[0].signers",
        )
        .await;
        bad(
            &app,
            l,
            docs::DEFINE_APPROVAL_POLICY,
            json!({ "scope": { "kind": "ORGANIZATION", "id": c }, "steps": [] }),
            "scope.id",
        )
        .await;
        bad(
            &app,
            l,
            docs::DEFINE_APPROVAL_POLICY,
            json!({ "scope": { "kind": "TEAM" }, "steps": [] }),
            "scope.id",
        )
        .await;
        bad(
            &app,
            l,
            docs::ADD_LEXICON_TERM,
            json!({ "flag": "MENTIONS_PRICING", "term": "!!!" }),
            "term",
        )
        .await;
        bad(
            &app,
            l,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "POST", "kind": "PRIVACY", "outcome": "CLEARED" }),
            "subjectId",
        )
        .await;
        bad(&app, l, docs::LOG_LEGAL_REVIEW, json!({ "subjectKind": "CONTRACT", "subjectReference": "C-1", "kind": "CONTRACT", "outcome": "CLEARED_WITH_CONDITIONS" }), "conditions").await;
        let id = draft(&w, "Hello").await;
        bad(
            &app,
            a,
            docs::EDIT_POST,
            json!({ "postId": id, "text": "" }),
            "text",
        )
        .await;
        bad(
            &app,
            a,
            docs::EDIT_POST,
            json!({ "postId": "bad", "text": "x" }),
            "postId",
        )
        .await;
        bad(
            &app,
            &w.manager1.client,
            docs::REJECT_POST,
            json!({ "postId": id, "comment": "  " }),
            "comment",
        )
        .await;
        bad(
            &app,
            a,
            docs::MARK_PUBLISHED,
            json!({ "postId": id, "networkPostId": "1", "url": "x.com/1" }),
            "url",
        )
        .await;
        let before = app.event_count().await;
        expect_error(
            a,
            docs::SCHEDULE_POST,
            json!({ "input": { "postId": id, "scheduledAt": "2001-01-01T00:00:00Z" } }),
            "SCHEDULE_IN_PAST",
            None,
            "past schedule",
        )
        .await;
        assert_eq!(app.event_count().await, before);
        expect_error(a, "{ contentCalendar(from: \"2030-01-02T00:00:00Z\", to: \"2030-01-01T00:00:00Z\") { edges { cursor } } }", json!({}), "BAD_USER_INPUT", Some("to"), "calendar range").await;
        expect_error(
            a,
            "{ approvals(first: -1) { edges { cursor } } }",
            json!({}),
            "BAD_USER_INPUT",
            Some("first"),
            "page cap",
        )
        .await;
        expect_error(
            a,
            "{ approvals(after: \"garbage\") { edges { cursor } } }",
            json!({}),
            "BAD_USER_INPUT",
            Some("after"),
            "bad cursor",
        )
        .await;
        app.stop().await;
    }
}
