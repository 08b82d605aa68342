//! The content context end to end over HTTP: a policy with a legal step for
//! user-generated content, a lexicon that flags it, the approval of a post by entitled
//! signers (four eyes, one signature per step), publication, the auditor's queries,
//! racing last approvals, delegated publication and legal blocks.

use chorus_tests::client::ChorusClient;
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, spawn_app, ContentWorld, TestBackend,
};
use serde_json::{json, Value};

/// The policy of the tests: two managers (social media managers or marketing) sign
/// every post; a legal-role holder signs posts with user-generated content; social
/// media managers may publish flag-free posts under delegated authority.
fn policy_input() -> Value {
    json!({
        "scope": { "kind": "ORGANIZATION" },
        "steps": [
            {
                "name": "managers",
                "signers": [
                    { "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" },
                    { "function": "MARKETING" }
                ],
                "requiredSignatures": 2
            },
            {
                "name": "legal",
                "conditions": { "flagsAny": ["CONTAINS_USER_GENERATED_CONTENT", "CONTEST_OR_PROMOTION"] },
                "signers": [{ "function": "LEGAL" }],
                "requiredSignatures": 1
            }
        ],
        "delegation": { "holders": [{ "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" }] }
    })
}

async fn setup(app: &chorus_tests::TestApp) -> ContentWorld {
    let world = app.content_world().await;
    expect_data(
        &world.legal.client,
        docs::ADD_LEXICON_TERM,
        json!({ "input": { "flag": "CONTAINS_USER_GENERATED_CONTENT", "term": "  Fan PHOTO " } }),
        "addLexiconTerm",
    )
    .await;
    expect_data(
        &world.legal.client,
        docs::DEFINE_APPROVAL_POLICY,
        json!({ "input": policy_input() }),
        "defineApprovalPolicy",
    )
    .await;
    world
}

async fn draft(client: &ChorusClient, world: &ContentWorld, text: &str) -> String {
    let data = expect_data(
        client,
        docs::DRAFT_POST,
        json!({ "input": { "channelIds": [world.channel], "text": text } }),
        "draftPost",
    )
    .await;
    data["draftPost"]["post"]["id"]
        .as_str()
        .expect("post id")
        .to_owned()
}

async fn act(client: &ChorusClient, doc: &str, input: Value, what: &str) -> Value {
    expect_data(client, doc, json!({ "input": input }), what).await
}

async fn post(client: &ChorusClient, id: &str) -> Value {
    let query = format!(
        "query($id: ID!) {{ post(id: $id) {{ {} timeline(first: 100) {{ edges {{ node {{ eventType policyVersion function actor {{ id }} }} }} }} }} }}",
        docs::POST_FIELDS
    );
    expect_data(client, &query, json!({ "id": id }), "post").await["post"].clone()
}

async fn inbox(client: &ChorusClient) -> Vec<String> {
    let data = expect_data(client, docs::APPROVAL_INBOX, json!({}), "approvalInbox").await;
    data["approvalInbox"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .collect()
}

fn events(post: &Value) -> Vec<String> {
    post["timeline"]["edges"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["node"]["eventType"].as_str().expect("type").to_owned())
        .collect()
}

backend_tests! {
    async fn a_flagged_post_is_approved_by_entitled_signers_and_published(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let before_draft = chrono::Utc::now();

        // The lexicon flags the post and records the term.
        let id = draft(&w.author.client, &w, "Look at this fan\nphoto, thanks!").await;
        let p = post(&w.author.client, &id).await;
        assert_eq!(p["status"], "DRAFT", "{}", tag("drafted"));
        assert_eq!(
            p["flags"],
            json!([{ "flag": "CONTAINS_USER_GENERATED_CONTENT", "source": "LEXICON", "term": "fan photo", "lexiconVersion": 1 }]),
            "{}",
            tag("lexicon flag")
        );
        let after_draft = chrono::Utc::now();

        let submitted = act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": id }),
            "submit",
        )
        .await;
        assert_eq!(submitted["submitPost"]["post"]["status"], "IN_REVIEW");
        assert_eq!(
            submitted["submitPost"]["post"]["openSteps"],
            json!([{ "step": "managers" }, { "step": "legal" }]),
            "{}",
            tag("open steps")
        );

        // The inbox shows it to entitled signers only.
        for (who, client, expected) in [
            ("manager1 (ancestor team)", &w.manager1.client, true),
            ("manager2 (channel scope)", &w.manager2.client, true),
            ("legal", &w.legal.client, true),
            ("outsider", &w.outsider.client, false),
            ("author", &w.author.client, false),
        ] {
            assert_eq!(inbox(client).await.contains(&id), expected, "{}", tag(who));
        }

        // Four eyes; a signer without the role; a step signed once per person.
        expect_error(
            &w.author.client,
            docs::APPROVE_POST,
            json!({ "input": { "postId": id } }),
            "FOUR_EYES",
            None,
            &tag("author approves"),
        )
        .await;
        expect_error(
            &w.outsider.client,
            docs::APPROVE_POST,
            json!({ "input": { "postId": id } }),
            "NOT_ENTITLED",
            None,
            &tag("outsider approves"),
        )
        .await;
        act(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "postId": id, "comment": "ok" }),
            "manager1 approves",
        )
        .await;
        expect_error(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "input": { "postId": id } }),
            "ALREADY_SIGNED",
            None,
            &tag("manager1 again"),
        )
        .await;
        assert!(
            !inbox(&w.manager1.client).await.contains(&id),
            "{}",
            tag("signed: out of the inbox")
        );
        let legal = act(
            &w.legal.client,
            docs::APPROVE_POST,
            json!({ "postId": id }),
            "legal approves",
        )
        .await;
        assert_eq!(legal["approvePost"]["post"]["status"], "IN_REVIEW");
        let last = act(
            &w.manager2.client,
            docs::APPROVE_POST,
            json!({ "postId": id }),
            "manager2 approves",
        )
        .await;
        assert_eq!(
            last["approvePost"]["post"]["status"],
            "APPROVED",
            "{}",
            tag("approved")
        );

        let published = act(
            &w.author.client,
            docs::MARK_PUBLISHED,
            json!({ "postId": id, "networkPostId": "1789", "url": "https://x.com/acme/status/1789" }),
            "markPublished",
        )
        .await;
        assert_eq!(published["markPublished"]["post"]["status"], "PUBLISHED");
        assert!(published["markPublished"]["post"]["publication"]["delegatedAuthority"].is_null());

        let p = post(&w.legal.client, &id).await;
        let types = events(&p);
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
            ],
            "{}",
            tag("timeline")
        );
        let signed: Vec<&Value> = p["timeline"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .filter(|e| e["node"]["eventType"] == "PostSigned")
            .collect();
        assert!(signed
            .iter()
            .all(|e| e["node"]["policyVersion"] == 1 && !e["node"]["function"].is_null()));

        // The auditor's view.
        let approvals = expect_data(
            &app.admin(),
            "query($f: ApprovalFilterInput) { approvals(filter: $f) { edges { node { postId step policyVersion function approver { id } assignment { id active } } } } }",
            json!({ "f": { "approverId": w.manager1.id, "policyVersion": 1, "channelId": w.channel, "teamId": w.social } }),
            "approvals",
        )
        .await;
        let edges = approvals["approvals"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 1, "{}", tag("approvals by approver"));
        assert_eq!(edges[0]["node"]["step"], "managers");
        assert_eq!(edges[0]["node"]["function"], "SOCIAL_MEDIA");
        assert_eq!(edges[0]["node"]["assignment"]["active"], true);
        let all = expect_data(
            &app.admin(),
            "{ approvals(first: 2) { edges { cursor } pageInfo { hasNextPage endCursor } } }",
            json!({}),
            "approvals page",
        )
        .await;
        assert_eq!(all["approvals"]["pageInfo"]["hasNextPage"], true);
        let cursor = all["approvals"]["pageInfo"]["endCursor"].clone();
        let rest = expect_data(
            &app.admin(),
            "query($a: String) { approvals(first: 10, after: $a) { edges { cursor } } }",
            json!({ "a": cursor }),
            "approvals page 2",
        )
        .await;
        assert_eq!(
            rest["approvals"]["edges"].as_array().map(Vec::len),
            Some(1),
            "{}",
            tag("second page")
        );

        let violations = expect_data(
            &app.admin(),
            "{ complianceViolations { edges { node { reasons } } } }",
            json!({}),
            "violations",
        )
        .await;
        assert_eq!(
            violations["complianceViolations"]["edges"],
            json!([]),
            "{}",
            tag("no violations")
        );

        // Time travel.
        let as_of = |at: chrono::DateTime<chrono::Utc>| {
            let client = app.admin();
            let id = id.clone();
            async move {
                expect_data(
                    &client,
                    "query($id: ID!, $at: DateTime!) { postAsOf(id: $id, at: $at) { status } }",
                    json!({ "id": id, "at": at }),
                    "postAsOf",
                )
                .await["postAsOf"]["status"]
                    .clone()
            }
        };
        assert_eq!(
            as_of(before_draft - chrono::Duration::seconds(1)).await,
            Value::Null,
            "{}",
            tag("before it existed")
        );
        assert_eq!(
            as_of(after_draft).await,
            "DRAFT",
            "{}",
            tag("as of after draft")
        );
        assert_eq!(
            as_of(chrono::Utc::now()).await,
            "PUBLISHED",
            "{}",
            tag("as of now")
        );
        let policies = expect_data(
            &app.admin(),
            "query($at: DateTime!) { policyAsOf(scope: { kind: ORGANIZATION }, at: $at) { version steps { name } } }",
            json!({ "at": chrono::Utc::now() }),
            "policyAsOf",
        )
        .await;
        assert_eq!(
            policies["policyAsOf"][0]["version"],
            1,
            "{}",
            tag("policy in force")
        );
        let earlier = expect_data(
            &app.admin(),
            "query($at: DateTime!) { policyAsOf(scope: { kind: ORGANIZATION }, at: $at) { version } }",
            json!({ "at": "2000-01-01T00:00:00Z" }),
            "policyAsOf past",
        )
        .await;
        assert_eq!(
            earlier["policyAsOf"],
            json!([]),
            "{}",
            tag("no policy in 2000")
        );

        // Calendar: nothing scheduled in that range.
        let calendar = expect_data(
            &app.admin(),
            "query($from: DateTime!, $to: DateTime!, $t: ID) { contentCalendar(from: $from, to: $to, teamId: $t) { edges { node { status post { id } channel { id } } } } }",
            json!({ "from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z", "t": w.social }),
            "calendar",
        )
        .await;
        assert_eq!(
            calendar["contentCalendar"]["edges"],
            json!([]),
            "{}",
            tag("nothing scheduled")
        );
        app.stop().await;
    }
}

backend_tests! {
    async fn racing_last_approvals_produce_one_approval(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let id = draft(&w.author.client, &w, "Our fan photo of the week").await;
        act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": id }),
            "submit",
        )
        .await;
        act(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "postId": id }),
            "manager1",
        )
        .await;
        act(
            &w.legal.client,
            docs::APPROVE_POST,
            json!({ "postId": id }),
            "legal",
        )
        .await;
        // manager2 and manager3 both complete the last step at once.
        let request = |client: ChorusClient| {
            let id = id.clone();
            async move {
                client
                    .raw(docs::APPROVE_POST, json!({ "input": { "postId": id } }))
                    .await
                    .expect("request")
            }
        };
        // Both are decided on the same state before either appends (the store holds them
        // until both are decided): the race is certain, and the loser loses it with CONFLICT.
        app.state().store.hold_decided_commands(2);
        let (a, b) = tokio::join!(
            request(w.manager2.client.clone()),
            request(w.manager3.client.clone())
        );
        app.state().store.hold_decided_commands(0);
        let ok = [&a, &b]
            .iter()
            .filter(|r| r.get("errors").is_none_or(Value::is_null))
            .count();
        assert_eq!(ok, 1, "{}: {a} {b}", tag("exactly one signature counts"));
        let lost: Vec<String> = [&a, &b]
            .iter()
            .filter_map(|r| chorus_tests::first_code(r))
            .collect();
        assert_eq!(lost, ["CONFLICT"], "{}: {a} {b}", tag("the loser's code"));
        let p = post(&w.author.client, &id).await;
        assert_eq!(p["status"], "APPROVED", "{}", tag("approved"));
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
        let id = draft(&w.author.client, &w, "Thanks for the kind words!").await;
        // The author holds SOCIAL_MEDIA without the manager responsibility: no delegation.
        expect_error(
            &w.author.client,
            docs::MARK_PUBLISHED,
            json!({ "input": { "postId": id, "networkPostId": "1", "url": "https://x.com/acme/status/1" } }),
            "NOT_APPROVED",
            None,
            &tag("author has no delegated authority"),
        )
        .await;
        let published = act(
            &w.manager3.client,
            docs::MARK_PUBLISHED,
            json!({ "postId": id, "networkPostId": "2", "url": "https://x.com/acme/status/2" }),
            "delegated publish",
        )
        .await;
        let publication = &published["markPublished"]["post"]["publication"];
        assert_eq!(published["markPublished"]["post"]["status"], "PUBLISHED");
        assert_eq!(
            publication["delegatedAuthority"]["policyVersion"],
            1,
            "{}",
            tag("delegation recorded")
        );
        assert_eq!(
            publication["delegatedAuthority"]["function"],
            "SOCIAL_MEDIA"
        );

        // A flagged draft cannot go out under delegation.
        let flagged = draft(&w.author.client, &w, "Another fan photo").await;
        expect_error(
            &w.manager3.client,
            docs::MARK_PUBLISHED,
            json!({ "input": { "postId": flagged, "networkPostId": "3", "url": "https://x.com/acme/status/3" } }),
            "NOT_APPROVED",
            None,
            &tag("flagged post needs approval"),
        )
        .await;

        let delegated = expect_data(&app.admin(), "{ delegatedPublications { edges { node { id publication { delegatedAuthority { policyId } } } } } }", json!({}), "delegatedPublications").await;
        let edges = delegated["delegatedPublications"]["edges"]
            .as_array()
            .expect("edges");
        assert_eq!(edges.len(), 1, "{}", tag("one delegated publication"));
        assert_eq!(edges[0]["node"]["id"], json!(id));
        let violations = expect_data(
            &app.admin(),
            "{ complianceViolations { edges { node { reasons } } } }",
            json!({}),
            "violations",
        )
        .await;
        assert_eq!(
            violations["complianceViolations"]["edges"],
            json!([]),
            "{}",
            tag("no violations")
        );
        app.stop().await;
    }
}

backend_tests! {
    async fn a_blocking_legal_review_stops_approval_until_cleared(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = setup(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let id = draft(&w.author.client, &w, "Fan photo contest!").await;
        act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": id }),
            "submit",
        )
        .await;
        let blocked = act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "POST", "subjectId": id, "kind": "UGC_RIGHTS", "outcome": "BLOCKED", "notes": "no release", "idempotencyKey": "block-1" }),
            "block",
        )
        .await;
        assert_eq!(
            blocked["logLegalReview"]["post"]["legallyBlocked"],
            true,
            "{}",
            tag("blocked")
        );
        assert_eq!(
            blocked["logLegalReview"]["legalReview"]["outcome"],
            "BLOCKED"
        );
        // Retried with the same key: the same answer, nothing new.
        let count = app.event_count().await;
        let again = act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "POST", "subjectId": id, "kind": "UGC_RIGHTS", "outcome": "BLOCKED", "notes": "no release", "idempotencyKey": "block-1" }),
            "block again",
        )
        .await;
        assert_eq!(
            again["logLegalReview"]["replayed"],
            true,
            "{}",
            tag("replayed")
        );
        assert_eq!(
            again["logLegalReview"]["legalReview"]["id"],
            blocked["logLegalReview"]["legalReview"]["id"]
        );
        assert_eq!(
            app.event_count().await,
            count,
            "{}",
            tag("nothing appended on retry")
        );

        assert!(
            !inbox(&w.manager1.client).await.contains(&id),
            "{}",
            tag("blocked: not in inbox")
        );
        expect_error(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "input": { "postId": id } }),
            "LEGAL_BLOCK",
            None,
            &tag("approve blocked"),
        )
        .await;
        act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "POST", "subjectId": id, "kind": "UGC_RIGHTS", "outcome": "CLEARED_WITH_CONDITIONS", "conditions": "credit the fan" }),
            "clear",
        )
        .await;
        assert!(
            inbox(&w.manager1.client).await.contains(&id),
            "{}",
            tag("cleared: back in inbox")
        );
        act(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "postId": id }),
            "approve after clearance",
        )
        .await;

        let reviews = expect_data(
            &app.admin(),
            "query($f: LegalReviewFilterInput) { legalReviews(filter: $f) { edges { node { outcome reviewer { id } post { id } } } } }",
            json!({ "f": { "postId": id, "reviewerId": w.legal.id } }),
            "legalReviews",
        )
        .await;
        let outcomes: Vec<&Value> = reviews["legalReviews"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| &e["node"]["outcome"])
            .collect();
        assert_eq!(
            outcomes,
            [&json!("BLOCKED"), &json!("CLEARED_WITH_CONDITIONS")],
            "{}",
            tag("review history")
        );

        // A review of something outside Chorus.
        act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "CONTRACT", "subjectReference": "AGENCY-2026-7", "kind": "CONTRACT", "outcome": "CLEARED" }),
            "contract review",
        )
        .await;
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
        let id = draft(&w.author.client, &w, "Spring is here").await;
        w.author.submit(&id).await.expect("submit");
        w.manager1.approve(&id).await.expect("m1");
        w.manager2.approve(&id).await.expect("m2");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let before_edit = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let edited = act(
            &w.author.client,
            docs::EDIT_POST,
            json!({ "postId": id, "text": "Spring is here, fan photo inside" }),
            "edit",
        )
        .await;
        assert_eq!(
            edited["editPost"]["post"]["status"],
            "DRAFT",
            "{}",
            tag("back to draft")
        );
        // Time travel: before the edit the post had its first text and both sign-offs;
        // now it has the new text and none standing.
        let as_of = |at: chrono::DateTime<chrono::Utc>| {
            let client = app.admin();
            let id = id.clone();
            async move {
                expect_data(
                    &client,
                    "query($id: ID!, $at: DateTime!) { postAsOf(id: $id, at: $at) { status text approvals { step } } }",
                    json!({ "id": id, "at": at.to_rfc3339() }),
                    "postAsOf",
                )
                .await["postAsOf"]
                    .clone()
            }
        };
        let then = as_of(before_edit).await;
        assert_eq!(
            then["text"],
            "Spring is here",
            "{}",
            tag("text before the edit")
        );
        assert_eq!(
            then["approvals"].as_array().map(Vec::len),
            Some(2),
            "{}",
            tag("sign-offs standing then")
        );
        let now = as_of(chrono::Utc::now()).await;
        assert_eq!(
            now["text"],
            "Spring is here, fan photo inside",
            "{}",
            tag("text now")
        );
        assert_eq!(now["approvals"], json!([]), "{}", tag("voided by the edit"));
        let p = post(&w.author.client, &id).await;
        assert!(
            p["approvals"]
                .as_array()
                .expect("approvals")
                .iter()
                .all(|a| a["voided"] == true),
            "{}",
            tag("voided")
        );
        assert!(events(&p).contains(&"ApprovalsVoided".to_owned()));
        let voided = expect_data(&app.admin(), "query($f: ApprovalFilterInput) { approvals(filter: $f) { edges { node { voided voidReason } } } }", json!({ "f": { "postId": id, "includeVoided": true } }), "voided approvals").await;
        assert_eq!(
            voided["approvals"]["edges"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(
            voided["approvals"]["edges"][0]["node"]["voidReason"],
            "EDITED"
        );
        let counted = expect_data(&app.admin(), "query($f: ApprovalFilterInput) { approvals(filter: $f) { edges { node { voided } } } }", json!({ "f": { "postId": id } }), "counted approvals").await;
        assert_eq!(
            counted["approvals"]["edges"],
            json!([]),
            "{}",
            tag("voided approvals are not counted")
        );

        // Withdraw, schedule, reject.
        act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": id }),
            "resubmit",
        )
        .await;
        act(
            &w.author.client,
            docs::WITHDRAW_POST,
            json!({ "postId": id }),
            "withdraw",
        )
        .await;
        let when = chrono::Utc::now() + chrono::Duration::days(3);
        let scheduled = act(
            &w.author.client,
            docs::SCHEDULE_POST,
            json!({ "postId": id, "scheduledAt": when }),
            "schedule",
        )
        .await;
        assert!(!scheduled["schedulePost"]["post"]["scheduledAt"].is_null());
        act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": id }),
            "submit again",
        )
        .await;
        let rejected = act(
            &w.legal.client,
            docs::REJECT_POST,
            json!({ "postId": id, "comment": "no release from the fan" }),
            "reject",
        )
        .await;
        assert_eq!(
            rejected["rejectPost"]["post"]["status"],
            "REJECTED",
            "{}",
            tag("rejected")
        );
        let calendar = expect_data(
            &app.admin(),
            "query($from: DateTime!, $to: DateTime!, $c: ID) { contentCalendar(from: $from, to: $to, channelId: $c) { edges { node { status post { id } } } } }",
            json!({ "from": chrono::Utc::now(), "to": chrono::Utc::now() + chrono::Duration::days(7), "c": w.channel }),
            "calendar",
        )
        .await;
        assert_eq!(
            calendar["contentCalendar"]["edges"][0]["node"]["status"],
            "REJECTED",
            "{}",
            tag("calendar")
        );

        // Revise and retire the policy.
        let policy = expect_data(
            &app.admin(),
            "{ approvalPolicies { edges { node { id version } } } }",
            json!({}),
            "policies",
        )
        .await;
        let policy_id = policy["approvalPolicies"]["edges"][0]["node"]["id"]
            .as_str()
            .expect("policy")
            .to_owned();
        let mut revised = policy_input();
        revised["policyId"] = json!(policy_id);
        revised.as_object_mut().expect("object").remove("scope");
        revised["steps"][0]["requiredSignatures"] = json!(1);
        let r = act(
            &w.legal.client,
            docs::REVISE_APPROVAL_POLICY,
            revised,
            "revise",
        )
        .await;
        assert_eq!(
            r["reviseApprovalPolicy"]["policy"]["version"],
            2,
            "{}",
            tag("version 2")
        );
        let r = act(
            &app.admin(),
            docs::RETIRE_APPROVAL_POLICY,
            json!({ "policyId": policy_id }),
            "retire",
        )
        .await;
        assert_eq!(
            r["retireApprovalPolicy"]["policy"]["retired"],
            true,
            "{}",
            tag("retired")
        );

        // No policy in force: a submitted post needs no approval.
        let free = draft(&w.author.client, &w, "Fan photo, no policy").await;
        let s = act(
            &w.author.client,
            docs::SUBMIT_POST,
            json!({ "postId": free }),
            "submit without policy",
        )
        .await;
        assert_eq!(
            s["submitPost"]["post"]["status"],
            "APPROVED",
            "{}",
            tag("auto-approved")
        );
        let published = act(
            &w.author.client,
            docs::MARK_PUBLISHED,
            json!({ "postId": free, "networkPostId": "9", "url": "https://x.com/acme/status/9" }),
            "publish",
        )
        .await;
        assert_eq!(published["markPublished"]["post"]["status"], "PUBLISHED");
        let retracted = act(
            &w.author.client,
            docs::RETRACT_POST,
            json!({ "postId": free, "reason": "wrong photo" }),
            "retract",
        )
        .await;
        assert_eq!(
            retracted["retractPost"]["post"]["status"],
            "RETRACTED",
            "{}",
            tag("retracted")
        );
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
        let id = draft(&w.author.client, &w, "Hello world").await;
        w.author.submit(&id).await.expect("submit");
        w.manager1.approve(&id).await.expect("m1");
        w.manager2.approve(&id).await.expect("m2");
        act(
            &w.author.client,
            docs::MARK_PUBLISHED,
            json!({ "postId": id, "networkPostId": "5", "url": "https://x.com/acme/status/5" }),
            "publish",
        )
        .await;
        let query = "{ complianceViolations { edges { node { post { id } reasons } } } }";
        let clean = expect_data(&app.admin(), query, json!({}), "violations").await;
        assert_eq!(
            clean["complianceViolations"]["edges"],
            json!([]),
            "{}",
            tag("clean")
        );

        // Pretend manager2's role started only in 2100.
        let assignment = expect_data(
            &app.admin(),
            "query($id: ID!) { post(id: $id) { approvals { approverId assignmentId } } }",
            json!({ "id": id }),
            "approvals",
        )
        .await["post"]["approvals"]
            .as_array()
            .expect("approvals")
            .iter()
            .find(|a| a["approverId"] == json!(w.manager2.id))
            .map(|a| chorus_tests::uuid_of(a["assignmentId"].as_str().expect("id")))
            .expect("manager2's approval");
        let literal = match backend {
            chorus_tests::TestBackend::Postgres => format!("'{assignment}'"),
            chorus_tests::TestBackend::Sqlite => format!("X'{}'", assignment.simple()),
        };
        let future = match backend {
            chorus_tests::TestBackend::Postgres => "'2100-01-01T00:00:00Z'",
            chorus_tests::TestBackend::Sqlite => "'2100-01-01T00:00:00+00:00'",
        };
        app.execute_sql(&format!(
            "UPDATE role_assignments SET valid_from = {future} WHERE id = {literal}"
        ))
        .await;
        let found = expect_data(&app.admin(), query, json!({}), "violations after tampering").await;
        assert_eq!(
            found["complianceViolations"]["edges"],
            json!([{ "node": { "post": { "id": id }, "reasons": ["APPROVER_WITHOUT_ROLE"] } }]),
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
        let policies = expect_data(
            &app.admin(),
            "{ approvalPolicies { edges { node { id version } } } }",
            json!({}),
            "policies",
        )
        .await;
        let policy_id = policies["approvalPolicies"]["edges"][0]["node"]["id"]
            .as_str()
            .expect("policy id")
            .to_owned();
        let review = act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "CONTRACT", "subjectReference": "Agency MSA 2026", "kind": "CONTRACT", "outcome": "CLEARED" }),
            "contract review",
        )
        .await;
        let review_id = review["logLegalReview"]["legalReview"]["id"]
            .as_str()
            .expect("review id")
            .to_owned();
        let query = "query($p: ID!, $r: ID!) { approvalPolicy(id: $p) { id version } legalReview(id: $r) { id outcome kind subjectKind } }";
        let mine = expect_data(
            &app.admin(),
            query,
            json!({"p": policy_id, "r": review_id}),
            "lookups",
        )
        .await;
        assert_eq!(
            mine["approvalPolicy"]["id"],
            json!(policy_id),
            "[{backend:?}] policy by id"
        );
        assert_eq!(mine["approvalPolicy"]["version"], 1);
        assert_eq!(
            mine["legalReview"]["outcome"], "CLEARED",
            "[{backend:?}] review by id"
        );
        assert_eq!(mine["legalReview"]["subjectKind"], "CONTRACT");
        let other = app.second_org("Globex", "admin@globex.example").await;
        let theirs = expect_data(
            &other.client,
            query,
            json!({"p": policy_id, "r": review_id}),
            "other org",
        )
        .await;
        assert_eq!(
            theirs["approvalPolicy"],
            Value::Null,
            "[{backend:?}] another organization sees no policy"
        );
        assert_eq!(
            theirs["legalReview"],
            Value::Null,
            "[{backend:?}] nor the review"
        );
        app.stop().await;
    }
}
