//! The approver's inbox: `replyApprovalInbox` lists what the viewer may approve, never
//! their own reply, another organization's or one whose case their roles do not cover.

use chorus_tests::{
    backend_tests, case_docs, docs, expect_data, expect_error, spawn_app, uuid_of, TestBackend,
};
use serde_json::{json, Value};

const INBOX: &str = "query($first: Int, $after: String) { replyApprovalInbox(first: $first, after: $after) { \
    pageInfo { hasNextPage endCursor } edges { node { id text status approverFunction responder { id } case { id } } } } }";

/// The inbox `client` sees: (reply text, case id) pairs, oldest first.
async fn inbox(client: &chorus_tests::client::ChorusClient, what: &str) -> Vec<String> {
    let data = expect_data(client, INBOX, json!({ "first": 50 }), what).await;
    data["replyApprovalInbox"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["text"].as_str().expect("text").to_owned())
        .collect()
}

fn id_of(case: &Value) -> String {
    case["id"].as_str().expect("case id").to_owned()
}

backend_tests! {
    /// Each viewer's inbox lists the pending replies they may approve, oldest first and
    /// paginated: not their own, not another function's, not a case their roles do not
    /// cover, not another organization's; a decided reply leaves it.
    async fn the_reply_approval_inbox_lists_what_the_viewer_may_approve(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let rules = json!([
            { "name": "Complaints", "conditions": { "terms": ["refund"] },
              "actions": { "function": "CUSTOMER_SERVICE", "category": "COMPLAINT", "handlePrivately": true,
                           "replyApprover": "CUSTOMER_SERVICE" } },
            { "name": "Pricing", "conditions": { "terms": ["price"] },
              "actions": { "function": "SALES", "replyApprover": "PUBLIC_RELATIONS" } },
            { "name": "Rest", "actions": { "function": "SOCIAL_MEDIA" } },
        ]);
        app.set_routing_rules(&w, rules.clone()).await;
        let (_, agent2) = app.person_with_role("Abe Agent", "CUSTOMER_SERVICE", None, "TEAM", Some(&w.care)).await;

        // Another organization's reply awaiting PUBLIC_RELATIONS, which must not leak.
        let other = app.second_org("Globex", "admin@globex.example").await;
        expect_data(&other.client,
            "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }",
            json!({ "input": { "rules": rules } }), "Globex sets its rules").await;
        let globex_agent = expect_data(&other.client, docs::ADD_PERSON,
            json!({ "input": { "displayName": "Gus Globex", "email": "gus@globex.example", "affiliation": "INTERNAL" } }), "Globex adds a person").await;
        let globex_agent = globex_agent["addPerson"]["person"]["id"].as_str().expect("id").to_owned();
        expect_data(&other.client, docs::ASSIGN_ROLE, json!({ "input": { "personId": globex_agent, "function": "SALES",
            "scope": { "kind": "ORGANIZATION" }, "reason": "test setup" } }), "Globex assigns SALES").await;
        let globex_client = app.client(Some(&app.token_for(other.organization_id,
            chorus_kernel::Actor::person(uuid_of(&globex_agent)), &[])));
        let opened = expect_data(&globex_client, &case_docs::case_mutation("openCase", "OpenCaseInput"),
            json!({ "input": { "crmId": "g-1", "text": "What is the price?" } }), "Globex opens a case").await;
        let globex_case = id_of(&opened["openCase"]["case"]);
        let globex_reply = app.reply_to_case(&globex_client, &globex_case, "Globex: 10 USD.").await;
        assert_eq!(globex_reply[0]["status"], "PENDING", "[{backend:?}] {globex_reply:?}");

        let complaint = app.channel_message(&w, "i-1", "@upset", "I want a refund", "PRIVATE").await;
        app.case_change(&w.agent.client, "replyToCase", "ReplyToCaseInput",
            json!({ "caseId": complaint["id"], "text": "Refund on its way.", "visibility": "PRIVATE" })).await;
        let first = app.channel_message(&w, "i-2", "@buyer", "What is the price?", "PUBLIC").await;
        app.reply_to_case(&w.seller.client, &id_of(&first), "It is 99 EUR.").await;
        let second = app.channel_message(&w, "i-3", "@buyer2", "The price of the blue one?", "PUBLIC").await;
        app.reply_to_case(&w.seller.client, &id_of(&second), "It is 89 EUR.").await;

        assert_eq!(inbox(&agent2, "a second agent's inbox").await, vec!["Refund on its way."], "[{backend:?}]");
        assert!(inbox(&w.agent.client, "the responder's inbox").await.is_empty(), "[{backend:?}] never one's own reply");
        assert!(inbox(&w.eu_agent.client, "a sub-team agent's inbox").await.is_empty(),
            "[{backend:?}] a sub-team's holder does not cover the team's case");
        assert!(inbox(&w.seller.client, "the seller's inbox").await.is_empty(), "[{backend:?}] not the seller's function");
        assert_eq!(inbox(&w.pr.client, "PR's inbox").await, vec!["It is 99 EUR.", "It is 89 EUR."], "[{backend:?}]");

        let page = expect_data(&w.pr.client, INBOX, json!({ "first": 1 }), "PR's first page").await;
        let page = &page["replyApprovalInbox"];
        assert_eq!(page["pageInfo"]["hasNextPage"], true, "[{backend:?}] {page}");
        assert_eq!(page["edges"][0]["node"]["case"]["id"], first["id"]);
        assert_eq!(page["edges"][0]["node"]["responder"]["id"], json!(w.seller.id));
        let next = expect_data(&w.pr.client, INBOX, json!({ "first": 1, "after": page["pageInfo"]["endCursor"] }),
            "PR's second page").await;
        let next = &next["replyApprovalInbox"];
        assert_eq!(next["edges"][0]["node"]["text"], "It is 89 EUR.", "[{backend:?}] {next}");
        assert_eq!(next["pageInfo"]["hasNextPage"], false);

        let reject = case_docs::case_mutation("rejectCaseReply", "CaseReplyActionInput");
        expect_data(&w.pr.client, &reject, json!({ "input": { "caseId": first["id"],
            "replyId": page["edges"][0]["node"]["id"], "note": "Quote the sale price" } }), "PR rejects").await;
        assert_eq!(inbox(&w.pr.client, "PR's inbox after the rejection").await, vec!["It is 89 EUR."], "[{backend:?}]");
        expect_error(&w.reader, INBOX, json!({}), "FORBIDDEN", None, "a service account's inbox").await;
        expect_error(&w.pr.client, INBOX, json!({ "after": "bm90LWEtY3Vyc29y" }), "BAD_USER_INPUT", Some("after"),
            "a cursor the API did not return").await;
        app.stop().await;
    }
}
