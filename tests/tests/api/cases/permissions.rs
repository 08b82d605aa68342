//! Who may do what with cases, and organization confinement.

use chorus_tests::{backend_tests, case_docs, expect_data, expect_error, spawn_app, TestBackend};
use serde_json::json;

backend_tests! {
    /// The permission matrix: intake needs `cases:intake` or an admin; reading needs a
    /// working function, an admin or `cases:read`; working a case needs its function (or
    /// one it was escalated to) covering it; configuration needs LEGAL or an admin.
    async fn case_permissions_come_from_role_assignments_and_scopes(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let intake = case_docs::case_mutation("receiveChannelMessage", "ReceiveChannelMessageInput");
        let message = json!({ "input": { "channelId": w.channel, "externalMessageId": "p-1",
            "authorHandle": "@x", "text": "Is there a discount?", "visibility": "PUBLIC" } });
        for (who, client) in [("a cases:read token", &w.reader), ("a seller", &w.seller.client)] {
            app.expect_refused_unwritten(client, &intake, message.clone(), ("FORBIDDEN", None),
                &format!("[{backend:?}] intake by {who}")).await;
        }
        let case = app.channel_message(&w, "p-1", "@x", "Is there a discount?", "PUBLIC").await;
        let id = case["id"].clone();

        let queue = case_docs::queue_query();
        expect_error(&w.marketer.client, &queue, json!({}), "FORBIDDEN", None, "a marketer reads the queue").await;
        let no_scope = app.client(Some(&app.token_for_service(&["teams:read"]).await));
        expect_error(&no_scope, &queue, json!({}), "FORBIDDEN", None, "a teams:read token reads the queue").await;
        for client in [&w.reader, &w.seller.client, &w.agent.client, &app.admin()] {
            expect_data(client, &queue, json!({}), "a case reader reads the queue").await;
        }
        let node = expect_data(&w.reader, "query($id: ID!) { node(id: $id) { id ... on Case { status } } }",
            json!({ "id": id }), "node").await;
        assert_eq!(node["node"]["status"], "QUEUED", "[{backend:?}] Case is a Node: {node}");
        expect_error(&w.marketer.client, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id }),
            "FORBIDDEN", None, "a marketer reads a case by node").await;

        let assign = case_docs::case_mutation("assignCase", "AssignCaseInput");
        for (who, client) in [("an agent", &w.agent.client), ("PR before an escalation", &w.pr.client), ("a reader token", &w.reader)] {
            app.expect_refused_unwritten(client, &assign, json!({ "input": { "caseId": id } }),
                ("FORBIDDEN", None), &format!("[{backend:?}] {who} takes a sales case")).await;
        }
        app.expect_refused_unwritten(&app.admin(), &assign,
            json!({ "input": { "caseId": id, "assigneeId": w.agent.id } }),
            ("NOT_ENTITLED", None), "an admin assigns it to someone without the function").await;
        let given = expect_data(&app.admin(), &assign,
            json!({ "input": { "caseId": id, "assigneeId": w.seller.id } }), "an admin assigns it to a seller").await;
        assert_eq!(given["assignCase"]["case"]["assignee"]["id"], json!(w.seller.id));
        app.case_change(&w.seller.client, "escalateCase", "EscalateCaseInput",
            json!({ "caseId": id, "to": "PUBLIC_RELATIONS", "reason": "an influencer" })).await;
        let taken = app.case_change(&w.pr.client, "assignCase", "AssignCaseInput", json!({ "caseId": id })).await;
        assert_eq!(taken["assignee"]["id"], json!(w.pr.id), "[{backend:?}] PR works it once escalated");

        let rules = "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }";
        let one_rule = json!({ "input": { "rules": [{ "name": "All", "actions": { "function": "SOCIAL_MEDIA" } }] } });
        for (who, client) in [("a seller", &w.seller.client), ("a reader token", &w.reader)] {
            app.expect_refused_unwritten(client, rules, one_rule.clone(), ("FORBIDDEN", None),
                &format!("[{backend:?}] {who} sets routing rules")).await;
        }
        expect_data(&app.admin(), rules, one_rule, "an admin sets routing rules").await;

        let open = case_docs::case_mutation("openCase", "OpenCaseInput");
        let by_hand = json!({ "input": { "crmId": "c-1", "text": "Called about an invoice" } });
        app.expect_refused_unwritten(&w.marketer.client, &open, by_hand.clone(), ("FORBIDDEN", None), "a marketer opens a case").await;
        let opened = expect_data(&w.agent.client, &open, by_hand, "an agent opens a case").await;
        assert_eq!(opened["openCase"]["case"]["door"], "MANUAL", "[{backend:?}] {opened}");
        app.stop().await;
    }

    /// Another organization's cases and contacts are not found, and its people cannot act
    /// on them.
    async fn cases_are_confined_to_their_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let case = app.channel_message(&w, "o-1", "@private", "My refund please", "PRIVATE").await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let read = expect_data(&other.client, "query($id: ID!) { case(id: $id) { id } node(id: $id) { id } }",
            json!({ "id": case["id"] }), "another organization reads the case").await;
        assert!(read["case"].is_null() && read["node"].is_null(), "[{backend:?}] {read}");
        let contact = expect_data(&other.client, "query($id: ID!) { contact(id: $id) { id } }",
            json!({ "id": case["contact"]["id"] }), "another organization reads the contact").await;
        assert!(contact["contact"].is_null());
        let queue = expect_data(&other.client, &case_docs::queue_query(), json!({}), "another organization's queue").await;
        assert_eq!(queue["caseQueue"]["edges"], json!([]), "[{backend:?}] {queue}");
        app.expect_refused_unwritten(&other.client, &case_docs::case_mutation("resolveCase", "ResolveCaseInput"),
            json!({ "input": { "caseId": case["id"], "resolutionCode": "X" } }),
            ("NOT_FOUND", None), "another organization resolves the case").await;
        app.stop().await;
    }
}
