//! Concurrent writers: optimistic concurrency keeps exactly one of two racing changes.

use chorus_tests::client::assign_role;
use chorus_tests::{backend_tests, docs, expect_data, spawn_app, TestBackend};
use serde_json::{json, Value};

backend_tests! {
    async fn racing_duplicate_assignments_let_exactly_one_through(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let team = app.create_team("Social", None).await;
        for round in 0..4 {
            let person = app
                .add_person(
                    &format!("Racer {round}"),
                    &format!("racer{round}@acme.example"),
                )
                .await;
            let before = app.event_count().await;
            // Both commands are decided on the same state before either appends (the
            // store holds them until both are decided): the race is certain, so the loser
            // must lose it with CONFLICT.
            app.state().store.hold_decided_commands(2);
            let (a, b) = tokio::join!(
                app.assign_team_role(&person, assign_role::RoleFunction::SOCIAL_MEDIA, &team),
                app.assign_team_role(&person, assign_role::RoleFunction::SOCIAL_MEDIA, &team),
            );
            app.state().store.hold_decided_commands(0);
            let outcomes = [&a, &b];
            let won = outcomes.iter().filter(|r| r.is_ok()).count();
            assert_eq!(
                won, 1,
                "[{backend:?}] round {round}: exactly one assignment must succeed: {a:?} / {b:?}"
            );
            let lost = outcomes
                .iter()
                .find_map(|r| r.as_ref().err())
                .expect("one failed");
            assert_eq!(
                lost.code(),
                Some("CONFLICT"),
                "[{backend:?}] round {round}: the loser of an overlapping race: {lost:?}"
            );
            let what = format!("[{backend:?}] round {round}: one event appended");
            app.assert_event_count(before + 1, &what).await;
            let roles = expect_data(
                &admin,
                "query($id: ID!) { person(id: $id) { roles { nodes { id } } } }",
                json!({"id": person}),
                "roles",
            )
            .await;
            assert_eq!(
                roles["person"]["roles"]["nodes"].as_array().map(Vec::len),
                Some(1),
                "[{backend:?}] round {round}: {roles}"
            );
        }

        // Racing retries with one idempotency key produce one team: both are decided
        // before either appends, so the second meets the first's key at append and answers
        // as its replay.
        let request = json!({"input": {"name": "Once", "idempotencyKey": "race-once"}});
        app.state().store.hold_decided_commands(2);
        let (a, b) = tokio::join!(
            admin.raw(docs::CREATE_TEAM, request.clone()),
            admin.raw(docs::CREATE_TEAM, request.clone())
        );
        app.state().store.hold_decided_commands(0);
        let answers: Vec<Value> = [a, b]
            .into_iter()
            .map(|r| r.expect("request")["data"]["createTeam"].clone())
            .collect();
        let ids: Vec<&Value> = answers.iter().map(|a| &a["team"]["id"]).collect();
        assert!(
            ids[0].is_string() && ids[0] == ids[1],
            "[{backend:?}] both racing retries answer with the one team: {answers:?}"
        );
        let replayed = answers.iter().filter(|a| a["replayed"] == true).count();
        assert_eq!(
            replayed, 1,
            "[{backend:?}] the second of two overlapping retries is a replay: {answers:?}"
        );
        let teams = expect_data(
            &admin,
            "{ teams(first: 100, filter: { nameContains: \"Once\" }) { nodes { id } } }",
            json!({}),
            "teams",
        )
        .await;
        assert_eq!(
            teams["teams"]["nodes"].as_array().map(Vec::len),
            Some(1),
            "[{backend:?}] {teams}"
        );

        app.stop().await;
    }
}
