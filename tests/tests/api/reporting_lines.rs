//! The organization's reporting lines under concurrency: changes to different people's
//! lines all land even when decided on the same state (the store decides a loser again on
//! the fresh lines), two changes that would close a loop never both pass, and a long
//! history (loaded from snapshots) keeps every line it holds.

use chorus_tests::{backend_tests, docs, expect_data, first_code, spawn_app, TestBackend};
use serde_json::{json, Value};

fn set_line(person: &str, manager: &str) -> Value {
    json!({"input": {"personId": person, "managerId": manager}})
}

async fn manager_of(app: &chorus_tests::TestApp, person: &str) -> Value {
    let data = expect_data(
        &app.admin(),
        "query($id: ID!) { person(id: $id) { manager { id } } }",
        json!({"id": person}),
        "manager",
    )
    .await;
    data["person"]["manager"]["id"].clone()
}

backend_tests! {
    async fn concurrent_changes_to_different_lines_all_land(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let manager = app.add_person("Manager", "manager@acme.example").await;
        let mut people = Vec::new();
        for i in 0..16 {
            people.push(app.add_person(&format!("Report {i}"), &format!("report{i}@acme.example")).await);
        }
        let before = app.event_count().await;
        // All sixteen are decided on the same lines before any appends: fifteen lose the
        // sequence race, and must be decided again rather than refused.
        app.state().store.hold_decided_commands(16);
        let answers = futures::future::join_all(
            people.iter().map(|p| admin.raw(docs::SET_REPORTING_LINE, set_line(p, &manager))),
        )
        .await;
        app.state().store.hold_decided_commands(0);
        for (person, answer) in people.iter().zip(&answers) {
            let body = answer.as_ref().expect("request");
            assert_eq!(first_code(body), None, "[{backend:?}] {person}: {body}");
            assert_eq!(
                body["data"]["setReportingLine"]["person"]["manager"]["id"].as_str(),
                Some(manager.as_str()),
                "[{backend:?}] read-your-writes: {body}"
            );
        }
        assert_eq!(app.event_count().await, before + 16, "[{backend:?}]");
        for person in &people {
            assert_eq!(manager_of(&app, person).await, json!(manager), "[{backend:?}]");
        }
    }

    async fn racing_changes_that_would_close_a_loop_never_both_pass(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        for round in 0..3 {
            let a = app.add_person(&format!("A {round}"), &format!("a{round}@acme.example")).await;
            let b = app.add_person(&format!("B {round}"), &format!("b{round}@acme.example")).await;
            app.state().store.hold_decided_commands(2);
            let (ab, ba) = tokio::join!(
                admin.raw(docs::SET_REPORTING_LINE, set_line(&a, &b)),
                admin.raw(docs::SET_REPORTING_LINE, set_line(&b, &a)),
            );
            app.state().store.hold_decided_commands(0);
            let codes: Vec<Option<String>> =
                [ab, ba].iter().map(|r| first_code(r.as_ref().expect("request"))).collect();
            let passed = codes.iter().filter(|c| c.is_none()).count();
            assert_eq!(passed, 1, "[{backend:?}] round {round}: {codes:?}");
            assert!(
                codes.contains(&Some("REPORTING_CYCLE".to_owned())),
                "[{backend:?}] round {round}: the loser is decided again and sees the loop: {codes:?}"
            );
            let lines = [manager_of(&app, &a).await, manager_of(&app, &b).await];
            assert_eq!(
                lines.iter().filter(|l| !l.is_null()).count(),
                1,
                "[{backend:?}] round {round}: one line stored: {lines:?}"
            );
        }
    }

    async fn a_long_history_keeps_its_lines_through_snapshots(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let top = app.add_person("Top", "top@acme.example").await;
        let middle = app.add_person("Middle", "middle@acme.example").await;
        let left = app.add_person("Left", "left@acme.example").await;
        let right = app.add_person("Right", "right@acme.example").await;
        let mover = app.add_person("Mover", "mover@acme.example").await;
        // Set once at the start of the history: middle reports to top.
        expect_data(&admin, docs::SET_REPORTING_LINE, set_line(&middle, &top), "first line").await;
        // 250 changes later (past two snapshots)...
        for i in 0..250 {
            let manager = if i % 2 == 0 { &left } else { &right };
            expect_data(&admin, docs::SET_REPORTING_LINE, set_line(&mover, manager), "move").await;
        }
        // ...the first line still closes a loop: top cannot report to middle.
        let body = admin.raw(docs::SET_REPORTING_LINE, set_line(&top, &middle)).await.expect("request");
        assert_eq!(first_code(&body).as_deref(), Some("REPORTING_CYCLE"), "[{backend:?}] {body}");
        // A snapshot that no longer decodes is ignored: the events still decide.
        app.execute_sql("UPDATE aggregate_snapshots SET state = 'garbage'").await;
        let body = admin.raw(docs::SET_REPORTING_LINE, set_line(&top, &middle)).await.expect("request");
        assert_eq!(first_code(&body).as_deref(), Some("REPORTING_CYCLE"), "[{backend:?}] {body}");
        let body = admin.raw(docs::SET_REPORTING_LINE, set_line(&mover, &right)).await.expect("request");
        assert_eq!(first_code(&body).as_deref(), Some("NO_CHANGE"), "[{backend:?}] the mover's last line is right: {body}");
        expect_data(&admin, docs::SET_REPORTING_LINE, set_line(&mover, &top), "move on").await;
        assert_eq!(manager_of(&app, &mover).await, json!(top), "[{backend:?}]");
    }
}
