//! The SLA timer: a case whose deadline passed records its warning and breach once, by
//! the leading process's timer, whatever the number of sweeps; the queue finds cases by
//! how soon they breach; a calendar edit recounts open cases.

use std::time::Duration;

use chorus_tests::{
    backend_tests, case_docs, expect_data, spawn_app_with, CaseWorld, TestApp, TestBackend,
};
use serde_json::{json, Value};

/// An around-the-clock SLA policy (first response 30 minutes, resolution 2 hours, warned
/// 10 minutes ahead) and routing rules sending every case to SOCIAL_MEDIA under it.
async fn timed_rules(app: &TestApp, w: &CaseWorld, calendar: Option<&str>) -> String {
    let policy = expect_data(
        &w.legal.client,
        "mutation($input: DefineSlaPolicyInput!) { defineSlaPolicy(input: $input) { slaPolicy { id version } } }",
        json!({ "input": { "name": "Standard", "policy": {
            "targets": [{ "priority": "NORMAL", "firstResponseMinutes": 30, "resolutionMinutes": 120 }],
            "warningLeadMinutes": 10, "calendarId": calendar } } }),
        &format!("[{:?}] defineSlaPolicy", app.backend),
    )
    .await;
    let policy_id = policy["defineSlaPolicy"]["slaPolicy"]["id"]
        .as_str()
        .expect("policy id")
        .to_owned();
    expect_data(
        &w.legal.client,
        "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }",
        json!({ "input": { "rules": [{ "name": "All", "actions": { "function": "SOCIAL_MEDIA", "slaPolicyId": policy_id } }] } }),
        "setRoutingRules",
    )
    .await;
    policy_id
}

fn kinds(case: &Value) -> Vec<String> {
    case["timeline"]["edges"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["node"]["kind"].as_str().map(str::to_owned))
        .collect()
}

async fn message_received_ago(w: &CaseWorld, id: &str, minutes: i64) -> Value {
    let at = chrono::Utc::now() - chrono::TimeDelta::minutes(minutes);
    let data = expect_data(
        &w.intake,
        &case_docs::case_mutation("receiveChannelMessage", "ReceiveChannelMessageInput"),
        json!({ "input": { "channelId": w.channel, "externalMessageId": id, "authorHandle": format!("@{id}"),
            "text": "Hello?", "visibility": "PUBLIC", "receivedAt": at } }),
        "receiveChannelMessage",
    )
    .await;
    data["receiveChannelMessage"]["case"].clone()
}

backend_tests! {
    async fn an_overdue_case_records_its_warning_and_breach_once(backend: TestBackend) {
        let app = spawn_app_with(backend, |config| config.cases.sla_timer_seconds = 1).await;
        let w = app.case_world().await;
        timed_rules(&app, &w, None).await;
        let late = message_received_ago(&w, "late", 45).await;
        let fresh = message_received_ago(&w, "fresh", 0).await;
        assert_eq!(late["nextDeadlineTarget"], "FIRST_RESPONSE", "[{backend:?}] {late}");
        let id = late["id"].as_str().expect("id").to_owned();
        let mut case = Value::Null;
        for _ in 0..100 {
            case = app.read_case(&w.social.client, &id).await;
            if case["breached"] == true {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(case["breached"], true, "[{backend:?}] the timer recorded the breach: {case}");
        // More sweeps, two at once as two replicas' timers would: nothing more.
        let runtime = app.state().runtime.clone();
        let (a, b) = tokio::join!(
            chorus_cases::sla_timer::sweep(&runtime),
            chorus_cases::sla_timer::sweep(&runtime)
        );
        a.expect("sweep");
        b.expect("sweep");
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let case = app.read_case(&w.social.client, &id).await;
        let recorded = kinds(&case);
        assert_eq!(recorded.iter().filter(|k| *k == "SlaWarningRecorded").count(), 1, "[{backend:?}] {recorded:?}");
        assert_eq!(recorded.iter().filter(|k| *k == "SlaBreachRecorded").count(), 1, "[{backend:?}] {recorded:?}");
        let fresh_case = app.read_case(&w.social.client, fresh["id"].as_str().expect("id")).await;
        assert_eq!(fresh_case["breached"], false, "[{backend:?}] a fresh case is not due");
        assert!(!kinds(&fresh_case).iter().any(|k| k.starts_with("Sla")), "[{backend:?}] nothing recorded for it");

        let soon = expect_data(
            &w.reader,
            &case_docs::queue_query(),
            json!({ "filter": { "breachWithinMinutes": 5 } }),
            "cases breaching within 5 minutes",
        )
        .await;
        let ids: Vec<&Value> = soon["caseQueue"]["edges"].as_array().expect("edges").iter().map(|e| &e["node"]["id"]).collect();
        assert_eq!(ids, [&late["id"]], "[{backend:?}] only the overdue case: {soon}");

        // Answering records the breached first response in the SLA report.
        app.case_change(&w.social.client, "replyToCase", "ReplyToCaseInput",
            json!({ "caseId": id, "text": "Sorry for the wait.", "visibility": "PUBLIC" })).await;
        let report = expect_data(
            &w.reader,
            "query($from: DateTime!, $to: DateTime!) { slaReport(from: $from, to: $to, groupBy: TEAM) { lines { id firstResponseMet firstResponseBreached firstResponseMedianSeconds } } }",
            json!({ "from": chrono::Utc::now() - chrono::TimeDelta::hours(1), "to": chrono::Utc::now() + chrono::TimeDelta::hours(1) }),
            "slaReport",
        )
        .await;
        let line = &report["slaReport"]["lines"][0];
        assert_eq!(line["id"], json!(w.care), "[{backend:?}] {report}");
        assert_eq!(line["firstResponseBreached"], 1);
        assert_eq!(line["firstResponseMet"], 0);
        assert!(line["firstResponseMedianSeconds"].as_i64().is_some_and(|s| s >= 45 * 60));

        // The compliance export carries the case's steps and its SLA outcome.
        let instant = |hours| {
            (chrono::Utc::now() + chrono::TimeDelta::hours(hours))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        };
        let export = reqwest::Client::new()
            .get(format!(
                "{}/export/compliance?from={}&to={}&format=jsonl",
                app.address,
                instant(-2),
                instant(1)
            ))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .expect("export");
        assert_eq!(export.status(), 200, "[{backend:?}] export status");
        let lines: Vec<Value> = export
            .text()
            .await
            .expect("export body")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect();
        let case_uuid = chorus_tests::uuid_of(&id).to_string();
        let of_case: Vec<&Value> = lines.iter().filter(|l| l["case_id"] == json!(case_uuid)).collect();
        assert!(
            of_case.iter().any(|l| l["kind"] == "case_event" && l["outcome"] == "SlaBreachRecorded"),
            "[{backend:?}] the breach is in the export: {of_case:?}"
        );
        assert!(
            of_case.iter().any(|l| l["kind"] == "case_sla_outcome" && l["step"] == "FIRST_RESPONSE" && l["outcome"] == "BREACHED"),
            "[{backend:?}] the first response outcome is in the export: {of_case:?}"
        );
        app.stop().await;
    }

    async fn a_calendar_edit_recounts_open_cases(backend: TestBackend) {
        let app = spawn_app_with(backend, |config| config.cases.sla_timer_seconds = 3600).await;
        let w = app.case_world().await;
        let every_day = |start: &str, end: &str| {
            ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
                .iter()
                .map(|day| json!({ "day": day, "start": start, "end": end }))
                .collect::<Vec<_>>()
        };
        let calendar = expect_data(
            &w.legal.client,
            "mutation($input: DefineBusinessCalendarInput!) { defineBusinessCalendar(input: $input) { businessCalendar { id version } } }",
            json!({ "input": { "name": "Always", "calendar": { "timeZone": "Europe/Paris", "weekly": every_day("00:00", "24:00") } } }),
            "defineBusinessCalendar",
        )
        .await;
        let calendar_id = calendar["defineBusinessCalendar"]["businessCalendar"]["id"].as_str().expect("id").to_owned();
        timed_rules(&app, &w, Some(&calendar_id)).await;
        let case = message_received_ago(&w, "timed", 0).await;
        let before = case["nextDeadline"].as_str().expect("a deadline").to_owned();
        let revised = expect_data(
            &w.legal.client,
            "mutation($input: ReviseBusinessCalendarInput!) { reviseBusinessCalendar(input: $input) { businessCalendar { version weekly { day start end } } } }",
            json!({ "input": { "calendarId": calendar_id, "calendar": { "timeZone": "Europe/Paris", "weekly": every_day("00:00", "00:01") } } }),
            "reviseBusinessCalendar",
        )
        .await;
        assert_eq!(revised["reviseBusinessCalendar"]["businessCalendar"]["version"], 2, "[{backend:?}] {revised}");
        let recounted = app.read_case(&w.social.client, case["id"].as_str().expect("id")).await;
        assert!(kinds(&recounted).contains(&"SlaRecounted".to_owned()), "[{backend:?}] {recounted}");
        let after = recounted["nextDeadline"].as_str().expect("a deadline").to_owned();
        // One business minute a day now: the remaining 30 minutes take about a month.
        let before = chrono::DateTime::parse_from_rfc3339(&before).expect("instant");
        let after = chrono::DateTime::parse_from_rfc3339(&after).expect("instant");
        assert!(after - before > chrono::TimeDelta::days(20), "[{backend:?}] {before} → {after}");
        app.stop().await;
    }
}

backend_tests! {
    /// Offboarding a case's holder, or revoking the role that let them hold it, returns the
    /// case to its queue, recording why; a holder who keeps another working role keeps it.
    async fn losing_the_role_or_leaving_returns_held_cases_to_the_queue(backend: TestBackend) {
        let app = spawn_app_with(backend, |config| config.cases.sla_timer_seconds = 1).await;
        let w = app.case_world().await;
        let leaver = app.add_person("Lea Leaver", "lea@acme.example").await;
        app.assign_role_raw(&leaver, "SALES", None, "TEAM", Some(&w.care)).await;
        let leaver_client = app.client(Some(&app.token_for_person(chorus_tests::uuid_of(&leaver))));
        let switcher = app.add_person("Sid Switcher", "sid@acme.example").await;
        let sales = app.assign_role_raw(&switcher, "SALES", None, "TEAM", Some(&w.care)).await;
        let switcher_client = app.client(Some(&app.token_for_person(chorus_tests::uuid_of(&switcher))));
        let a = app.channel_message(&w, "h-1", "@one", "Is there a discount?", "PUBLIC").await;
        let b = app.channel_message(&w, "h-2", "@two", "Any promo code?", "PUBLIC").await;
        let c = app.channel_message(&w, "h-3", "@three", "A coupon maybe?", "PUBLIC").await;
        for (client, case) in [(&leaver_client, &a), (&switcher_client, &b), (&w.seller.client, &c)] {
            let held = app.case_change(client, "assignCase", "AssignCaseInput", json!({ "caseId": case["id"] })).await;
            assert_eq!(held["status"], "ASSIGNED", "[{backend:?}] {held}");
        }
        expect_data(&app.admin(), chorus_tests::docs::OFFBOARD_PERSON,
            json!({ "input": { "personId": leaver, "reason": "left" } }), "offboard").await;
        expect_data(&app.admin(), chorus_tests::docs::REVOKE_ROLE,
            json!({ "input": { "roleAssignmentId": sales, "reason": "moved to marketing" } }), "revoke").await;
        let mut states = Vec::new();
        for _ in 0..100 {
            states.clear();
            for case in [&a, &b] {
                states.push(app.read_case(&w.seller.client, case["id"].as_str().expect("id")).await);
            }
            if states.iter().all(|s| s["status"] == "QUEUED") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for (state, reason) in states.iter().zip(["OFFBOARDED", "ROLE_LOST"]) {
            assert_eq!(state["status"], "QUEUED", "[{backend:?}] {state}");
            assert!(state["assignee"].is_null());
            let returned = state["timeline"]["edges"].as_array().expect("timeline").iter()
                .find(|e| e["node"]["kind"] == "CaseReturnedToQueue")
                .map(|e| e["node"]["details"].as_str().expect("details").to_owned())
                .expect("a return recorded");
            assert!(returned.contains(reason), "[{backend:?}] {returned}");
        }
        let kept = app.read_case(&w.seller.client, c["id"].as_str().expect("id")).await;
        assert_eq!(kept["status"], "ASSIGNED", "[{backend:?}] the seller keeps theirs");
        app.stop().await;
    }
}

backend_tests! {
    /// A load-balanced queue with a capacity of one hands its queued cases, oldest first,
    /// to the members holding the case's function in the team, one each; the next waits
    /// until a member frees up.
    async fn an_automatic_queue_hands_out_its_cases_within_capacity(backend: TestBackend) {
        let app = spawn_app_with(backend, |config| config.cases.sla_timer_seconds = 1).await;
        let w = app.case_world().await;
        let (second_seller, second_client) =
            app.person_with_role("Sal Second", "SALES", None, "TEAM", Some(&w.care)).await;
        let configured = expect_data(
            &app.admin(),
            "mutation($input: ConfigureCaseQueueInput!) { configureCaseQueue(input: $input) { queue { strategy capacity version } } }",
            json!({ "input": { "teamId": w.care, "strategy": "LOAD_BALANCED", "capacity": 1 } }),
            "configureCaseQueue",
        )
        .await;
        assert_eq!(configured["configureCaseQueue"]["queue"]["version"], 1, "[{backend:?}] {configured}");
        let refused = chorus_tests::expect_error(
            &w.seller.client,
            "mutation($input: ConfigureCaseQueueInput!) { configureCaseQueue(input: $input) { queue { version } } }",
            json!({ "input": { "teamId": w.care, "strategy": "ROUND_ROBIN" } }),
            "FORBIDDEN",
            None,
            "a seller configures the queue",
        )
        .await;
        assert!(refused["errors"].is_array());
        let mut cases = Vec::new();
        for (n, text) in ["Is there a discount?", "Any promo code?", "A coupon for me?"].iter().enumerate() {
            cases.push(app.channel_message(&w, &format!("q-{n}"), &format!("@buyer{n}"), text, "PUBLIC").await);
        }
        let mut states = Vec::new();
        for _ in 0..100 {
            states.clear();
            for case in &cases {
                states.push(app.read_case(&w.reader, case["id"].as_str().expect("id")).await);
            }
            if states.iter().filter(|s| s["status"] == "ASSIGNED").count() == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let holders: Vec<&Value> = states.iter().map(|s| &s["assignee"]["id"]).collect();
        assert_eq!(states[0]["status"], "ASSIGNED", "[{backend:?}] the oldest first: {states:?}");
        assert_eq!(states[1]["status"], "ASSIGNED");
        assert_eq!(states[2]["status"], "QUEUED", "[{backend:?}] both members are at capacity");
        let mut two: Vec<&Value> = holders[..2].to_vec();
        two.sort_by_key(|v| v.to_string());
        let mut expected = [json!(w.seller.id), json!(second_seller)];
        expected.sort_by_key(|v| v.to_string());
        assert_eq!(two, expected.iter().collect::<Vec<_>>(), "[{backend:?}] one each");
        // The first holder resolves theirs: the third case goes to them.
        let first_holder = holders[0].as_str().expect("holder").to_owned();
        let client = if first_holder == w.seller.id { &w.seller.client } else { &second_client };
        app.case_change(client, "resolveCase", "ResolveCaseInput",
            json!({ "caseId": cases[0]["id"], "resolutionCode": "ANSWERED" })).await;
        let mut third = Value::Null;
        for _ in 0..100 {
            third = app.read_case(&w.reader, cases[2]["id"].as_str().expect("id")).await;
            if third["status"] == "ASSIGNED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(third["assignee"]["id"], json!(first_holder), "[{backend:?}] {third}");
        app.stop().await;
    }
}
