//! Intake from the three doors, routing by the defaults and by an organization's rules,
//! idempotent redelivery, joining and reopening, the queue and a case at a past instant.

use chorus_tests::{backend_tests, case_docs, expect_data, spawn_app, TestBackend};
use serde_json::json;

backend_tests! {
    /// A channel message opens a case routed by the built-in defaults, recording rule,
    /// version and matched term; redelivery changes nothing; the author's next message
    /// joins the case; working it through to resolution; a message within the reopen
    /// window reopens it.
    async fn a_channel_message_becomes_a_routed_case_worked_to_resolution(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let case = app
            .channel_message(&w, "m-1", "@jane", "Is there a discount on the new model?", "PUBLIC")
            .await;
        let id = case["id"].as_str().expect("case id").to_owned();
        assert_eq!(case["status"], "QUEUED", "[{backend:?}] {case}");
        assert_eq!(case["function"], "SALES");
        assert_eq!(case["category"], "PRICING_QUESTION");
        assert_eq!(case["door"], "CHANNEL_MESSAGE");
        assert_eq!(case["team"]["id"], json!(w.care), "routed to the channel's team");
        assert_eq!(case["routing"]["rulesVersion"], 0);
        assert_eq!(case["routing"]["matchedTerm"], "discount");
        assert_eq!(case["firstMessage"], "Is there a discount on the new model?");

        let before = app.event_count().await;
        let again = app
            .channel_message(&w, "m-1", "@jane", "Is there a discount on the new model?", "PUBLIC")
            .await;
        assert_eq!(again["id"], json!(id), "[{backend:?}] the same case");
        app.assert_event_count(before, "a redelivered message writes nothing").await;

        let joined = app.channel_message(&w, "m-2", "@Jane", "Any news?", "PRIVATE").await;
        assert_eq!(joined["id"], json!(id), "[{backend:?}] the author's next message joins the case");

        let assigned = app
            .case_change(&w.seller.client, "assignCase", "AssignCaseInput", json!({ "caseId": id }))
            .await;
        assert_eq!(assigned["status"], "ASSIGNED");
        assert_eq!(assigned["assignee"]["id"], json!(w.seller.id));
        let replied = app
            .case_change(
                &w.seller.client,
                "replyToCase",
                "ReplyToCaseInput",
                json!({ "caseId": id, "text": "Yes: 10% until Friday.", "visibility": "PUBLIC" }),
            )
            .await;
        assert!(replied["firstResponseAt"].is_string(), "[{backend:?}] {replied}");
        let waiting = app
            .case_change(&w.seller.client, "waitOnContact", "CaseActionInput", json!({ "caseId": id }))
            .await;
        assert_eq!(waiting["status"], "WAITING_ON_CONTACT");
        let back = app.channel_message(&w, "m-3", "@jane", "Great, thanks", "PRIVATE").await;
        assert_eq!(back["status"], "ASSIGNED", "[{backend:?}] the contact's reply ends the wait");
        let resolved = app
            .case_change(
                &w.seller.client,
                "resolveCase",
                "ResolveCaseInput",
                json!({ "caseId": id, "resolutionCode": "ANSWERED" }),
            )
            .await;
        assert_eq!(resolved["status"], "RESOLVED");
        assert_eq!(resolved["resolutionCode"], "ANSWERED");
        let reopened = app.channel_message(&w, "m-4", "@jane", "It did not work", "PRIVATE").await;
        assert_eq!(reopened["id"], json!(id), "[{backend:?}] reopened, not a new case");
        assert_eq!(reopened["status"], "ASSIGNED");
        assert!(reopened["resolvedAt"].is_null());

        let full = app.read_case(&w.seller.client, &id).await;
        let kinds: Vec<&str> = full["timeline"]["edges"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|e| e["node"]["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "CaseOpened",
                "ContactMessageReceived",
                "CaseAssigned",
                "ReplySent",
                "CaseAwaitingContact",
                "ContactMessageReceived",
                "CaseResolved",
                "CaseReopened",
                "ContactMessageReceived",
            ],
            "[{backend:?}] the full timeline"
        );
        let contact = expect_data(
            &w.seller.client,
            "query($id: ID!) { contact(id: $id) { handles { network handle } cases(first: 5) { edges { node { id } } } } }",
            json!({ "id": case["contact"]["id"] }),
            "contact",
        )
        .await;
        assert_eq!(contact["contact"]["handles"], json!([{ "network": "X", "handle": "@jane" }]));
        assert_eq!(contact["contact"]["cases"]["edges"][0]["node"]["id"], json!(id));
        app.stop().await;
    }

    /// The defaults route a crisis to PR escalated to senior management, a legal threat
    /// to LEGAL, a common question to SOCIAL_MEDIA; the queue lists a team's open cases by
    /// next deadline; a case at a past instant shows what stood then.
    async fn the_defaults_route_each_category_and_the_queue_lists_them(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let crisis = app.channel_message(&w, "c-1", "@angry", "We will boycott you after this scandal", "PUBLIC").await;
        assert_eq!(crisis["function"], "PUBLIC_RELATIONS", "[{backend:?}] {crisis}");
        assert_eq!(crisis["priority"], "URGENT");
        assert_eq!(crisis["escalatedTo"], json!(["SENIOR_MANAGEMENT"]));
        let legal = app.channel_message(&w, "l-1", "@lawyerly", "My lawyer will sue you", "PUBLIC").await;
        assert_eq!(legal["function"], "LEGAL");
        assert_eq!(legal["category"], "LEGAL_THREAT");
        let question = app.channel_message(&w, "q-1", "@curious", "When do you open?", "PUBLIC").await;
        assert_eq!(question["function"], "SOCIAL_MEDIA");
        assert_eq!(question["category"], "COMMON_QUESTION");

        // Senior management works the escalated crisis.
        let held = app
            .case_change(&w.senior.client, "assignCase", "AssignCaseInput", json!({ "caseId": crisis["id"] }))
            .await;
        assert_eq!(held["assignee"]["id"], json!(w.senior.id));

        let queue = expect_data(
            &w.reader,
            &case_docs::queue_query(),
            json!({ "filter": { "teamId": w.care }, "first": 2 }),
            "queue",
        )
        .await;
        let edges = queue["caseQueue"]["edges"].as_array().expect("edges").clone();
        assert_eq!(edges.len(), 2, "[{backend:?}] one page of two: {queue}");
        assert_eq!(queue["caseQueue"]["pageInfo"]["hasNextPage"], true);
        let rest = expect_data(
            &w.reader,
            &case_docs::queue_query(),
            json!({ "filter": { "teamId": w.care }, "first": 2, "after": queue["caseQueue"]["pageInfo"]["endCursor"] }),
            "queue page 2",
        )
        .await;
        let mut ids: Vec<String> = edges
            .iter()
            .chain(rest["caseQueue"]["edges"].as_array().expect("edges"))
            .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        let mut expected: Vec<String> = [&crisis, &legal, &question]
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect();
        expected.sort();
        assert_eq!(ids, expected, "[{backend:?}] every open case of the team, once");
        let by_function = expect_data(
            &w.reader,
            &case_docs::queue_query(),
            json!({ "filter": { "function": "LEGAL" } }),
            "queue by function",
        )
        .await;
        let legal_only: Vec<&serde_json::Value> = by_function["caseQueue"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| &e["node"]["id"])
            .collect();
        assert_eq!(legal_only, [&legal["id"]]);

        let opened_at = crisis["openedAt"].as_str().expect("openedAt").to_owned();
        let then = expect_data(
            &w.reader,
            "query($id: ID!, $at: DateTime!) { caseAsOf(id: $id, at: $at) { status assignee { id } escalatedTo } }",
            json!({ "id": crisis["id"], "at": opened_at }),
            "caseAsOf",
        )
        .await;
        assert_eq!(then["caseAsOf"]["status"], "QUEUED", "[{backend:?}] {then}");
        assert!(then["caseAsOf"]["assignee"].is_null(), "[{backend:?}] not yet assigned then");
        app.stop().await;
    }

    /// The queue page is kept in memory between changes (a portal refreshes it far more
    /// often than its cases change), and every change shows at once: a new case, a
    /// resolved one, a contact renamed.
    async fn the_queue_page_shows_every_change_at_once(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let queue = || async {
            let page = expect_data(
                &w.reader,
                &case_docs::queue_query(),
                json!({ "filter": { "teamId": w.care }, "first": 10 }),
                "queue",
            )
            .await;
            page["caseQueue"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| (e["node"]["id"].clone(), e["node"]["contact"]["displayName"].clone()))
                .collect::<Vec<_>>()
        };
        let first = app.channel_message(&w, "k-1", "@kim", "When do you open?", "PUBLIC").await;
        assert_eq!(queue().await, [(first["id"].clone(), json!(null))], "[{backend:?}]");
        // Asked again unchanged (kept), then after each change.
        assert_eq!(queue().await.len(), 1);
        let second = app.channel_message(&w, "k-2", "@lee", "Do you ship abroad?", "PUBLIC").await;
        let ids: Vec<serde_json::Value> = queue().await.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 2, "[{backend:?}] the new case is on the page: {ids:?}");
        assert!(ids.contains(&second["id"]));
        expect_data(
            &w.agent.client,
            "mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { displayName } } }",
            json!({ "input": { "contactId": second["contact"]["id"], "displayName": "Lee Park" } }),
            "updateContact",
        )
        .await;
        assert!(
            queue().await.contains(&(second["id"].clone(), json!("Lee Park"))),
            "[{backend:?}] the renamed contact shows on the page"
        );
        let held = app
            .case_change(&w.social.client, "assignCase", "AssignCaseInput", json!({ "caseId": first["id"] }))
            .await;
        assert_eq!(held["assignee"]["id"], json!(w.social.id));
        app.case_change(
            &w.social.client,
            "resolveCase",
            "ResolveCaseInput",
            json!({ "caseId": first["id"], "resolutionCode": "ANSWERED" }),
        )
        .await;
        assert_eq!(
            queue().await,
            [(second["id"].clone(), json!("Lee Park"))],
            "[{backend:?}] the resolved case left the page"
        );
        app.stop().await;
    }

    /// A CRM's case: a second delivery of the same system and id answers with the same
    /// case and writes nothing; its category routes it; with no channel it waits in the
    /// organization's own queue. An organization's own rules decide, recording version 1.
    async fn external_cases_are_idempotent_and_an_organizations_rules_decide(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let doc = case_docs::case_mutation("receiveExternalCase", "ReceiveExternalCaseInput");
        let input = json!({ "input": {
            "system": "zendesk", "externalCaseId": "ZD-1", "crmId": "crm-42",
            "displayName": "Jo Customer", "text": "The parcel never came", "category": "COMPLAINT",
        }});
        let first = expect_data(&w.intake, &doc, input.clone(), "external case").await;
        let case = &first["receiveExternalCase"]["case"];
        assert_eq!(case["function"], "CUSTOMER_SERVICE", "[{backend:?}] {case}");
        assert_eq!(case["handledPrivately"], true);
        assert!(case["team"].is_null(), "no channel, no rule team: the organization's queue");
        let before = app.event_count().await;
        let second = expect_data(&w.intake, &doc, input, "external case again").await;
        assert_eq!(second["receiveExternalCase"]["case"]["id"], case["id"]);
        app.assert_event_count(before, "a second delivery writes nothing").await;
        let org_queue = expect_data(
            &w.reader,
            &case_docs::queue_query(),
            json!({ "filter": { "organizationQueue": true } }),
            "organization queue",
        )
        .await;
        assert_eq!(org_queue["caseQueue"]["edges"][0]["node"]["id"], case["id"]);

        let set = expect_data(
            &w.legal.client,
            "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version rules { name } } } }",
            json!({ "input": { "rules": [
                { "name": "VIPs", "conditions": { "vip": true },
                  "actions": { "function": "CUSTOMER_SERVICE", "priority": "URGENT" } },
                { "name": "Shipping", "conditions": { "terms": ["parcel", "delivery"] },
                  "actions": { "function": "CUSTOMER_SERVICE", "teamId": w.care, "priority": "HIGH", "category": "COMPLAINT" } },
                { "name": "Everything else", "actions": { "function": "SOCIAL_MEDIA" } },
            ]}}),
            "setRoutingRules",
        )
        .await;
        assert_eq!(set["setRoutingRules"]["routingRules"]["version"], 1, "[{backend:?}] {set}");
        let vip = expect_data(
            &w.agent.client,
            "mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { vip crmId } } }",
            json!({ "input": { "contactId": case["contact"]["id"], "vip": true } }),
            "updateContact",
        )
        .await;
        assert_eq!(vip["updateContact"]["contact"]["vip"], true, "[{backend:?}] {vip}");
        let again = expect_data(&w.intake, &doc, json!({ "input": {
            "system": "zendesk", "externalCaseId": "ZD-2", "crmId": "crm-42", "text": "Where is my parcel?" } }),
            "a VIP's next case").await;
        let routed_vip = &again["receiveExternalCase"]["case"];
        assert_eq!(routed_vip["routing"]["ruleName"], "VIPs", "[{backend:?}] {routed_vip}");
        assert_eq!(routed_vip["priority"], "URGENT");
        let routed = app.channel_message(&w, "s-1", "@waiting", "Where is my parcel??", "PUBLIC").await;
        assert_eq!(routed["routing"]["rulesVersion"], 1, "[{backend:?}] {routed}");
        assert_eq!(routed["routing"]["ruleName"], "Shipping");
        assert_eq!(routed["routing"]["matchedTerm"], "parcel");
        assert_eq!(routed["priority"], "HIGH");
        assert_eq!(routed["team"]["id"], json!(w.care));
        app.stop().await;
    }
}
