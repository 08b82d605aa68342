//! Who must approve a reply: a team's queue may name a reply approver (a routing rule's
//! wins over it); the lexicon's flags hold a reply for approval even when nothing is
//! configured, and delegated authority does not cover a flagged reply.

use chorus_tests::{backend_tests, case_docs, docs, expect_data, spawn_app, TestBackend};
use serde_json::{json, Value};

const CONFIGURE_QUEUE: &str =
    "mutation($input: ConfigureCaseQueueInput!) { configureCaseQueue(input: $input) { \
    queue { teamId strategy replyApprover version } } }";

fn id_of(case: &Value) -> String {
    case["id"].as_str().expect("case id").to_owned()
}

backend_tests! {
    /// A team's queue names SENIOR_MANAGEMENT as its reply approver: a seller's reply to
    /// the team's case waits for it, unless the case's rule names its own approver (the
    /// rule's wins) or the responder holds SENIOR_MANAGEMENT (delegated authority).
    async fn a_teams_reply_approver_holds_replies_whose_rule_names_none(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let configured = expect_data(&app.admin(), CONFIGURE_QUEUE,
            json!({ "input": { "teamId": w.care, "strategy": "MANUAL", "replyApprover": "SENIOR_MANAGEMENT" } }),
            "configure the queue").await;
        assert_eq!(configured["configureCaseQueue"]["queue"]["replyApprover"], "SENIOR_MANAGEMENT", "[{backend:?}] {configured}");
        let settings = expect_data(&w.seller.client,
            "query($team: ID!) { caseQueueSettings(teamId: $team) { replyApprover version } }",
            json!({ "team": w.care }), "read the queue settings").await;
        assert_eq!(settings["caseQueueSettings"]["replyApprover"], "SENIOR_MANAGEMENT", "[{backend:?}] {settings}");
        app.set_routing_rules(&w, json!([
            { "name": "Pricing", "conditions": { "terms": ["price"] },
              "actions": { "function": "SALES", "replyApprover": "PUBLIC_RELATIONS" } },
            { "name": "Shipping", "conditions": { "terms": ["ship"] }, "actions": { "function": "SALES" } },
            { "name": "Rest", "actions": { "function": "SOCIAL_MEDIA" } },
        ])).await;

        let shipping = app.channel_message(&w, "t-1", "@abroad", "Do you ship to Norway?", "PUBLIC").await;
        assert_eq!(shipping["team"]["id"], json!(w.care), "[{backend:?}] {shipping}");
        let held = app.reply_to_case(&w.seller.client, &id_of(&shipping), "Yes, in 3 days.").await;
        assert_eq!(held[0]["status"], "PENDING", "[{backend:?}] the team's approver applies: {held:?}");
        assert_eq!(held[0]["approverFunction"], "SENIOR_MANAGEMENT");
        let approve = case_docs::case_mutation("approveCaseReply", "CaseReplyActionInput");
        let approved = expect_data(&w.senior.client, &approve,
            json!({ "input": { "caseId": shipping["id"], "replyId": held[0]["id"] } }), "senior approves").await;
        assert!(approved["approveCaseReply"]["case"]["firstResponseAt"].is_string(), "[{backend:?}] {approved}");

        let pricing = app.channel_message(&w, "t-2", "@buyer", "What is the price?", "PUBLIC").await;
        let ruled = app.reply_to_case(&w.seller.client, &id_of(&pricing), "It is 99 EUR.").await;
        assert_eq!(ruled[0]["approverFunction"], "PUBLIC_RELATIONS", "[{backend:?}] the rule's approver wins: {ruled:?}");

        let (manager_id, manager) = app.person_with_role("Meg Manager", "SALES", None, "TEAM", Some(&w.care)).await;
        app.assign_role_raw(&manager_id, "SENIOR_MANAGEMENT", None, "ORGANIZATION", None).await;
        let other = app.channel_message(&w, "t-3", "@abroad2", "Do you ship to Chile?", "PUBLIC").await;
        let sent = app.reply_to_case(&manager, &id_of(&other), "Yes, in 9 days.").await;
        assert_eq!(sent[0]["status"], "SENT", "[{backend:?}] delegated authority: {sent:?}");
        assert_eq!(sent[0]["delegated"], true);
        app.stop().await;
    }

    /// The lexicon flags a reply that mentions a discount: it waits for a second holder of
    /// the case's function though neither rule nor team asks for approval, and a manager
    /// whose delegated authority spares them the rule's approver still waits for it.
    async fn a_reply_the_lexicon_flags_waits_for_approval(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        expect_data(&app.admin(), docs::ADD_LEXICON_TERM,
            json!({ "input": { "flag": "MENTIONS_PRICING", "term": "discount" } }), "add a lexicon term").await;
        let (_, second_seller) = app.person_with_role("Sid Second", "SALES", None, "TEAM", Some(&w.care)).await;

        let plain = app.channel_message(&w, "l-1", "@asks", "Any promo code?", "PUBLIC").await;
        let sent = app.reply_to_case(&w.seller.client, &id_of(&plain), "Not this week, sorry.").await;
        assert_eq!(sent[0]["status"], "SENT", "[{backend:?}] an unflagged reply goes out: {sent:?}");

        let flagged_case = app.channel_message(&w, "l-2", "@asks2", "Is there a discount?", "PUBLIC").await;
        assert_eq!(flagged_case["routing"]["replyApprover"], Value::Null, "[{backend:?}] {flagged_case}");
        let held = app.reply_to_case(&w.seller.client, &id_of(&flagged_case), "A 10% discount today.").await;
        assert_eq!(held[0]["status"], "PENDING", "[{backend:?}] a flagged reply waits: {held:?}");
        assert_eq!(held[0]["approverFunction"], "SALES");
        let approve = case_docs::case_mutation("approveCaseReply", "CaseReplyActionInput");
        let decision = json!({ "input": { "caseId": flagged_case["id"], "replyId": held[0]["id"] } });
        app.expect_refused_unwritten(&w.seller.client, &approve, decision.clone(), ("FOUR_EYES", None),
            "the responder approves their flagged reply").await;
        expect_data(&second_seller, &approve, decision, "a second seller approves").await;

        app.set_routing_rules(&w, json!([
            { "name": "Pricing", "conditions": { "terms": ["price"] },
              "actions": { "function": "SALES", "replyApprover": "PUBLIC_RELATIONS" } },
            { "name": "Rest", "actions": { "function": "SOCIAL_MEDIA" } },
        ])).await;
        let (manager_id, manager) = app.person_with_role("Max Manager", "SALES", None, "TEAM", Some(&w.care)).await;
        app.assign_role_raw(&manager_id, "PUBLIC_RELATIONS", None, "ORGANIZATION", None).await;
        let pricing = app.channel_message(&w, "l-3", "@buyer", "What is the price?", "PUBLIC").await;
        let delegated = app.reply_to_case(&manager, &id_of(&pricing), "99 EUR, with a discount today.").await;
        assert_eq!(delegated[0]["status"], "PENDING", "[{backend:?}] delegation does not cover a flagged reply: {delegated:?}");
        assert_eq!(delegated[0]["approverFunction"], "PUBLIC_RELATIONS");
        assert_eq!(delegated[0]["delegated"], false);
        app.stop().await;
    }
}
