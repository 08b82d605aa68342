//! Replies: a complaint handled privately refuses a public reply; replies that need
//! approval wait for a second holder (four-eyes); a manager with delegated authority
//! replies without waiting; integrations report the outbound message; duplicates merge.

use chorus_tests::{
    backend_tests, case_docs, expect_data, spawn_app, CaseWorld, TestApp, TestBackend,
};
use serde_json::{json, Value};

/// Routing rules under which complaints need a second CUSTOMER_SERVICE holder's approval
/// and pricing replies need PUBLIC_RELATIONS' approval.
async fn set_approval_rules(app: &TestApp, w: &CaseWorld) {
    expect_data(
        &w.legal.client,
        "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }",
        json!({ "input": { "rules": [
            { "name": "Complaints", "conditions": { "terms": ["refund", "broken"] },
              "actions": { "function": "CUSTOMER_SERVICE", "category": "COMPLAINT", "handlePrivately": true,
                           "replyApprover": "CUSTOMER_SERVICE" } },
            { "name": "Pricing", "conditions": { "terms": ["price"] },
              "actions": { "function": "SALES", "replyApprover": "PUBLIC_RELATIONS" } },
            { "name": "Rest", "actions": { "function": "SOCIAL_MEDIA" } },
        ]}}),
        &format!("[{:?}] setRoutingRules", app.backend),
    )
    .await;
}

fn replies(case: &Value) -> Vec<Value> {
    case["replies"]["edges"]
        .as_array()
        .expect("replies")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

backend_tests! {
    async fn a_reply_that_needs_approval_waits_for_a_second_holder(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        set_approval_rules(&app, &w).await;
        let (agent2, agent2_client) = app
            .person_with_role("Abe Agent", "CUSTOMER_SERVICE", None, "TEAM", Some(&w.care))
            .await;
        let case = app.channel_message(&w, "r-1", "@upset", "It arrived broken, I want a refund", "PUBLIC").await;
        let id = case["id"].as_str().expect("id").to_owned();
        assert_eq!(case["handledPrivately"], true, "[{backend:?}] {case}");
        let reply = case_docs::case_mutation("replyToCase", "ReplyToCaseInput");
        app.expect_refused_unwritten(
            &w.agent.client,
            &reply,
            json!({ "input": { "caseId": id, "text": "Sorry!", "visibility": "PUBLIC" } }),
            ("REPLY_MUST_BE_PRIVATE", None),
            "a public reply to a private complaint",
        )
        .await;
        let submitted = app
            .case_change(&w.agent.client, "replyToCase", "ReplyToCaseInput",
                json!({ "caseId": id, "text": "Sorry, a replacement is on its way.", "visibility": "PRIVATE" }))
            .await;
        assert!(submitted["firstResponseAt"].is_null(), "[{backend:?}] a pending reply is not a response");
        let pending = replies(&app.read_case(&w.agent.client, &id).await);
        assert_eq!(pending[0]["status"], "PENDING", "[{backend:?}] {pending:?}");
        assert_eq!(pending[0]["approverFunction"], "CUSTOMER_SERVICE");
        let reply_id = pending[0]["id"].as_str().expect("reply id").to_owned();
        let approve = case_docs::case_mutation("approveCaseReply", "CaseReplyActionInput");
        let decision = json!({ "input": { "caseId": id, "replyId": reply_id } });
        app.expect_refused_unwritten(&w.agent.client, &approve, decision.clone(), ("FOUR_EYES", None), "the responder approves").await;
        app.expect_refused_unwritten(&w.eu_agent.client, &approve, decision.clone(), ("NOT_ENTITLED", None),
            "a holder in a sub-team does not cover the team's case").await;
        app.expect_refused_unwritten(&w.seller.client, &approve, decision.clone(), ("NOT_ENTITLED", None),
            "a holder of another function").await;
        let approved = expect_data(&agent2_client, &approve, decision, "approve").await;
        assert!(approved["approveCaseReply"]["case"]["firstResponseAt"].is_string());
        let sent = replies(&app.read_case(&w.agent.client, &id).await);
        assert_eq!(sent[0]["status"], "SENT");
        assert_eq!(sent[0]["decidedBy"]["id"], json!(agent2));
        assert_eq!(sent[0]["outboundStatus"], "QUEUED");

        let outbound = case_docs::case_mutation("recordOutboundMessage", "RecordOutboundMessageInput");
        expect_data(&w.intake, &outbound,
            json!({ "input": { "caseId": id, "replyId": reply_id, "status": "SENT", "networkMessageId": "dm-9" } }),
            "outbound status").await;
        let reported = replies(&app.read_case(&w.agent.client, &id).await);
        assert_eq!(reported[0]["outboundStatus"], "SENT");
        assert_eq!(reported[0]["networkMessageId"], "dm-9");
        app.stop().await;
    }

    async fn a_manager_with_delegated_authority_replies_without_waiting(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        set_approval_rules(&app, &w).await;
        let case = app.channel_message(&w, "p-1", "@buyer", "What is the price?", "PUBLIC").await;
        let id = case["id"].as_str().expect("id").to_owned();
        // The seller alone needs PR's approval.
        app.case_change(&w.seller.client, "replyToCase", "ReplyToCaseInput",
            json!({ "caseId": id, "text": "It is 99 EUR.", "visibility": "PUBLIC" })).await;
        let first = replies(&app.read_case(&w.seller.client, &id).await);
        assert_eq!(first[0]["status"], "PENDING", "[{backend:?}] {first:?}");
        // A seller who also holds PR replies under delegated authority.
        let (manager_id, manager) = app.person_with_role("Max Manager", "SALES", None, "TEAM", Some(&w.care)).await;
        app.assign_role_raw(&manager_id, "PUBLIC_RELATIONS", None, "ORGANIZATION", None).await;
        let withdrawn = case_docs::case_mutation("withdrawCaseReply", "CaseReplyActionInput");
        app.expect_refused_unwritten(&manager, &withdrawn,
            json!({ "input": { "caseId": id, "replyId": first[0]["id"] } }),
            ("NOT_RESPONDER", None), "someone else withdraws the seller's reply").await;
        expect_data(&w.seller.client, &withdrawn,
            json!({ "input": { "caseId": id, "replyId": first[0]["id"] } }), "withdraw").await;
        let replied = app.case_change(&manager, "replyToCase", "ReplyToCaseInput",
            json!({ "caseId": id, "text": "99 EUR, and 10% off today.", "visibility": "PUBLIC" })).await;
        assert!(replied["firstResponseAt"].is_string(), "[{backend:?}] {replied}");
        let all = replies(&app.read_case(&w.seller.client, &id).await);
        assert_eq!(all[0]["status"], "WITHDRAWN");
        assert_eq!(all[1]["status"], "SENT");
        assert_eq!(all[1]["delegated"], true);
        app.stop().await;
    }

    async fn a_duplicate_merges_into_the_case_it_repeats(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let a = app.channel_message(&w, "d-1", "@twice", "When do you open?", "PUBLIC").await;
        let b = app.channel_message(&w, "d-2", "@twice-too", "What are your hours?", "PUBLIC").await;
        let merge = case_docs::case_mutation("mergeCase", "MergeCaseInput");
        app.expect_refused_unwritten(&w.social.client, &merge,
            json!({ "input": { "caseId": b["id"], "targetCaseId": b["id"] } }),
            ("MERGE_INTO_ITSELF", None), "merge into itself").await;
        let merged = expect_data(&w.social.client, &merge,
            json!({ "input": { "caseId": b["id"], "targetCaseId": a["id"] } }), "merge").await;
        assert_eq!(merged["mergeCase"]["case"]["status"], "MERGED", "[{backend:?}] {merged}");
        assert_eq!(merged["mergeCase"]["case"]["mergedInto"]["id"], a["id"]);
        let target = app.read_case(&w.social.client, a["id"].as_str().expect("id")).await;
        let last = target["timeline"]["edges"].as_array().expect("timeline").last().cloned().expect("entry");
        assert_eq!(last["node"]["kind"], "DuplicateAbsorbed", "[{backend:?}] {target}");
        app.stop().await;
    }
}
