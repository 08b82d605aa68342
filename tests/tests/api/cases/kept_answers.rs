//! Whole answers to the case queue are kept in memory and sent again while nothing they
//! were read from changes (`chorus_api::responses`): every change shows at once, a caller
//! never gets another caller's answer or one they lost the right to, and an answer that
//! reads the clock or another context's fields is executed each time.
//!
//! `/metrics` counts the answers sent from memory; counts are asserted only when the test
//! runs alone in its process (nextest), where the counters are its server's alone.

use chorus_tests::statements::alone_in_process;
use chorus_tests::{backend_tests, expect_data, first_code, spawn_app, TestApp, TestBackend};
use serde_json::{json, Value};

/// A page with only fields of the cases read models: keepable.
const PAGE: &str = "query Queue($team: ID!) { caseQueue(filter: { teamId: $team }, first: 10) { \
    edges { node { id status priority category firstMessage breached \
    contact { id displayName handles { network handle } } routing { ruleName } } } \
    pageInfo { hasNextPage endCursor } } }";

/// The same page with each case's assignee (a person of the teams context, whose fields
/// are not declared keepable).
const WITH_ASSIGNEE: &str =
    "query($team: ID!) { caseQueue(filter: { teamId: $team }, first: 10) { \
    edges { node { id assignee { id displayName } } } } }";

/// A page filtered by the clock.
const BREACHING: &str = "query($team: ID!) { caseQueue(filter: { teamId: $team, \
    breachWithinMinutes: 525600 }, first: 10) { edges { node { id } } } }";

/// The page and another root field.
const WITH_SETTINGS: &str =
    "query($team: ID!) { caseQueue(filter: { teamId: $team }, first: 10) { \
    edges { node { id } } } caseQueueSettings(teamId: $team) { strategy } }";

/// The answers this process has sent from memory so far.
async fn served(app: &TestApp) -> u64 {
    let body = reqwest::get(format!("{}/metrics", app.address))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics body");
    body.lines()
        .find_map(|line| line.strip_prefix("chorus_kept_responses_served_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no served count in {body}"))
}

/// Asserts `after - before == expected` when the counter is this test's alone.
fn assert_served(before: u64, after: u64, expected: u64, what: &str) {
    if alone_in_process() {
        assert_eq!(after - before, expected, "answers sent from memory: {what}");
    }
}

async fn page(app: &TestApp, client: &chorus_client::ChorusClient, doc: &str, team: &str) -> Value {
    expect_data(
        client,
        doc,
        json!({ "team": team }),
        &format!("[{:?}] queue", app.backend),
    )
    .await
}

backend_tests! {
    /// The second identical request is answered from memory with the same answer; a
    /// change to a case or a contact shows in the next answer, which is then kept again.
    async fn a_kept_queue_answer_is_sent_until_an_event_changes_it(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let case = app.channel_message(&w, "k-1", "@kim", "When do you open?", "PUBLIC").await;
        app.channel_message(&w, "k-2", "@lee", "Do you ship abroad?", "PUBLIC").await;
        let first = page(&app, &w.reader, PAGE, &w.care).await;
        let before = served(&app).await;
        let second = page(&app, &w.reader, PAGE, &w.care).await;
        assert_eq!(second, first, "[{backend:?}]");
        assert_served(before, served(&app).await, 1, "the same request again");

        expect_data(
            &w.agent.client,
            "mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { displayName } } }",
            json!({ "input": { "contactId": case["contact"]["id"], "displayName": "Kim Lee" } }),
            "updateContact",
        )
        .await;
        let renamed = page(&app, &w.reader, PAGE, &w.care).await;
        let names: Vec<&Value> = renamed["caseQueue"]["edges"].as_array().expect("edges")
            .iter().map(|e| &e["node"]["contact"]["displayName"]).collect();
        assert!(names.contains(&&json!("Kim Lee")), "[{backend:?}] the rename shows: {renamed}");

        let status = |answer: &Value| {
            answer["caseQueue"]["edges"].as_array().expect("edges").iter()
                .find(|e| e["node"]["id"] == case["id"]).map(|e| e["node"]["status"].clone())
        };
        let was = status(&renamed);
        app.case_change(&w.social.client, "assignCase", "AssignCaseInput",
            json!({ "caseId": case["id"] })).await;
        let before = served(&app).await;
        let assigned = page(&app, &w.reader, PAGE, &w.care).await;
        assert_ne!(status(&assigned), was, "[{backend:?}] the assignment shows: {assigned}");
        assert_served(before, served(&app).await, 0, "the first request after a change");
        let before = served(&app).await;
        assert_eq!(page(&app, &w.reader, PAGE, &w.care).await, assigned, "[{backend:?}]");
        assert_served(before, served(&app).await, 1, "the changed answer, asked again");
        app.stop().await;
    }

    /// A kept answer is its caller's: another caller asking the same document gets their
    /// own answer (here a refusal), and a caller whose role was revoked is refused.
    async fn a_kept_answer_is_given_only_to_its_caller_while_they_may_read(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        app.channel_message(&w, "k-1", "@kim", "When do you open?", "PUBLIC").await;
        let agents = page(&app, &w.agent.client, PAGE, &w.care).await;
        assert_eq!(page(&app, &w.agent.client, PAGE, &w.care).await, agents);
        let vars = json!({ "team": w.care });
        let refused = w.marketer.client.raw(PAGE, vars.clone()).await.expect("marketer's answer");
        assert_eq!(first_code(&refused).as_deref(), Some("FORBIDDEN"), "[{backend:?}] {refused}");
        assert!(refused["data"]["caseQueue"].is_null(), "[{backend:?}] {refused}");

        let roles = expect_data(
            &app.admin(),
            "query($id: ID!) { node(id: $id) { ... on Person { roles { edges { node { id function } } } } } }",
            json!({ "id": w.agent.id }),
            "agent's roles",
        )
        .await;
        let role = roles["node"]["roles"]["edges"][0]["node"]["id"].clone();
        expect_data(
            &app.admin(),
            "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { position } }",
            json!({ "input": { "roleAssignmentId": role, "reason": "moved to sales" } }),
            "revokeRole",
        )
        .await;
        let after = w.agent.client.raw(PAGE, vars).await.expect("revoked agent's answer");
        assert_eq!(first_code(&after).as_deref(), Some("FORBIDDEN"), "[{backend:?}] {after}");
        app.stop().await;
    }

    /// An answer whose fields may change without an event of the cases context (a
    /// person's, the clock's) or that holds another root field is executed every time.
    async fn answers_reading_the_clock_or_other_contexts_are_executed_each_time(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let case = app.channel_message(&w, "k-1", "@kim", "When do you open?", "PUBLIC").await;
        app.case_change(&w.social.client, "assignCase", "AssignCaseInput",
            json!({ "caseId": case["id"] })).await;
        for doc in [WITH_ASSIGNEE, BREACHING, WITH_SETTINGS] {
            let first = page(&app, &w.agent.client, doc, &w.care).await;
            let before = served(&app).await;
            for _ in 0..3 {
                assert_eq!(page(&app, &w.agent.client, doc, &w.care).await, first, "[{backend:?}] {doc}");
            }
            assert_served(before, served(&app).await, 0, doc);
        }
        // The keepable page, for contrast, is kept.
        page(&app, &w.agent.client, PAGE, &w.care).await;
        let before = served(&app).await;
        page(&app, &w.agent.client, PAGE, &w.care).await;
        assert_served(before, served(&app).await, 1, "the keepable page");
        app.stop().await;
    }
}
