//! Concurrent writers: optimistic concurrency keeps exactly one of two racing changes.

use chorus_tests::client::assign_role;
use chorus_tests::{backend_tests, docs, expect_data, spawn_app, TestBackend};
use serde_json::json;

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
            assert_eq!(
                app.event_count().await,
                before + 1,
                "[{backend:?}] round {round}: one event appended"
            );
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

        // Racing retries with one idempotency key produce one team.
        let request = json!({"input": {"name": "Once", "idempotencyKey": "race-once"}});
        let (a, b) = tokio::join!(
            admin.raw(docs::CREATE_TEAM, request.clone()),
            admin.raw(docs::CREATE_TEAM, request.clone())
        );
        let mut ids = Vec::new();
        for body in [a.expect("first"), b.expect("second")] {
            match body["data"]["createTeam"]["team"]["id"].as_str() {
                Some(id) => ids.push(id.to_owned()),
                None => assert_eq!(
                    chorus_tests::first_code(&body).as_deref(),
                    Some("CONFLICT"),
                    "[{backend:?}] a racing retry fails only with CONFLICT: {body}"
                ),
            }
        }
        assert!(
            !ids.is_empty(),
            "[{backend:?}] neither racing createTeam succeeded"
        );
        ids.dedup();
        assert_eq!(
            ids.len(),
            1,
            "[{backend:?}] racing retries created two teams"
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
