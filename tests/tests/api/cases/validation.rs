//! Bad input gets BAD_USER_INPUT naming the field and the rule, and writes nothing.

use chorus_tests::{backend_tests, case_docs, spawn_app, TestBackend};
use serde_json::json;

backend_tests! {
    async fn bad_case_input_names_the_field_and_writes_nothing(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let intake = case_docs::case_mutation("receiveChannelMessage", "ReceiveChannelMessageInput");
        let message = |text: &str, handle: &str| json!({ "input": {
            "channelId": w.channel, "externalMessageId": "x-1", "authorHandle": handle,
            "text": text, "visibility": "PUBLIC",
        }});
        app.expect_bad_input(&w.intake, &intake, message("   ", "@a"), "text", "empty text").await;
        app.expect_bad_input(&w.intake, &intake, message("hi", "@a\u{202e}b"), "authorHandle", "a bidi override in a handle").await;
        app.expect_bad_input(&w.intake, &intake, message(&"x".repeat(10_001), "@a"), "text", "text over 10,000 characters").await;
        app.expect_refused_unwritten(
            &w.intake,
            &intake,
            json!({ "input": { "channelId": w.care, "externalMessageId": "x", "authorHandle": "@a", "text": "hi", "visibility": "PUBLIC" } }),
            ("BAD_USER_INPUT", Some("channelId")),
            "a team's id as a channel id",
        )
        .await;
        app.expect_bad_input(
            &w.intake,
            &intake,
            json!({ "input": { "channelId": w.channel, "externalMessageId": "x", "authorHandle": "@a", "text": "hi",
                    "visibility": "PUBLIC", "receivedAt": "2999-01-01T00:00:00Z" } }),
            "receivedAt",
            "a message received in the future",
        )
        .await;
        let external = case_docs::case_mutation("receiveExternalCase", "ReceiveExternalCaseInput");
        app.expect_bad_input(&w.intake, &external,
            json!({ "input": { "system": "zendesk", "externalCaseId": "1" } }), "crmId", "no contact at all").await;
        app.expect_bad_input(&w.intake, &external,
            json!({ "input": { "system": "zendesk", "externalCaseId": "1", "handle": "@a" } }), "network", "a handle without its network").await;

        let rules = "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }";
        app.expect_bad_input(&w.legal.client, rules,
            json!({ "input": { "rules": [{ "name": "Bad", "actions": { "function": "SALES", "escalateTo": "MARKETING" } }] } }),
            "rules.actions.escalateTo", "escalation to marketing").await;
        app.expect_bad_input(&w.legal.client, rules, json!({ "input": { "rules": [] } }), "rules", "no rules").await;
        app.expect_bad_input(&w.legal.client, rules,
            json!({ "input": { "rules": [{ "name": " ", "actions": { "function": "SALES" } }] } }),
            "rules[0].name", "an empty rule name").await;

        let calendar = "mutation($input: DefineBusinessCalendarInput!) { defineBusinessCalendar(input: $input) { businessCalendar { id } } }";
        let hours = |zone: &str, start: &str| json!({ "input": { "name": "Office", "calendar": {
            "timeZone": zone, "weekly": [{ "day": "MONDAY", "start": start, "end": "17:00" }] } } });
        app.expect_bad_input(&w.legal.client, calendar, hours("Mars/Olympus", "09:00"), "calendar.timeZone", "an unknown time zone").await;
        app.expect_bad_input(&w.legal.client, calendar, hours("Europe/Paris", "25:00"), "calendar.weekly[0].start", "hour 25").await;
        app.expect_bad_input(&w.legal.client, calendar, hours("Europe/Paris", "18:00"), "calendar.weekly", "start after end").await;
        let policy = "mutation($input: DefineSlaPolicyInput!) { defineSlaPolicy(input: $input) { slaPolicy { id } } }";
        app.expect_bad_input(&w.legal.client, policy,
            json!({ "input": { "name": "Fast", "policy": { "targets": [{ "priority": "NORMAL", "firstResponseMinutes": 30 }], "warningLeadMinutes": 30 } } }),
            "policy.warningLeadMinutes", "a warning lead as long as the target").await;

        let case = app.channel_message(&w, "ok-1", "@fine", "When do you open?", "PUBLIC").await;
        let resolve = case_docs::case_mutation("resolveCase", "ResolveCaseInput");
        app.expect_bad_input(&w.social.client, &resolve,
            json!({ "input": { "caseId": case["id"], "resolutionCode": "" } }), "resolutionCode", "an empty resolution code").await;
        let escalate = case_docs::case_mutation("escalateCase", "EscalateCaseInput");
        app.expect_bad_input(&w.social.client, &escalate,
            json!({ "input": { "caseId": case["id"], "to": "MARKETING", "reason": "why not" } }), "to", "escalation to marketing").await;
        app.expect_bad_input(&w.social.client, &escalate,
            json!({ "input": { "caseId": "not-an-id", "to": "LEGAL", "reason": "x" } }), "caseId", "a malformed id").await;
        app.stop().await;
    }
}
