//! Idempotency keys: a retried mutation returns the first result (`replayed: true`, same
//! position) and appends nothing; the same key with another input is refused.

use chorus_tests::client::assign_role;
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, spawn_app, TestApp, TestBackend,
};
use serde_json::{json, Value};

/// Sends `query` twice with the same variables: the first time it writes, the second is
/// a replay with the same position and no new events. Returns the first payload.
async fn twice(app: &TestApp, field: &str, query: &str, variables: Value, what: &str) -> Value {
    let admin = app.admin();
    let before = app.event_count().await;
    let first = expect_data(&admin, query, variables.clone(), what).await[field].clone();
    let written = app.event_count().await;
    assert!(written > before, "{what}: the first request wrote nothing");
    assert_eq!(
        first["replayed"], false,
        "{what}: first request marked replayed"
    );
    let second = expect_data(&admin, query, variables, what).await[field].clone();
    assert_eq!(
        second["replayed"], true,
        "{what}: retry not marked replayed: {second}"
    );
    assert_eq!(
        second["position"], first["position"],
        "{what}: retry has another position"
    );
    assert_eq!(
        app.event_count().await,
        written,
        "{what}: the retry appended events"
    );
    first
}

backend_tests! {
    async fn retries_replay_and_reused_keys_are_refused(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");

        // createTeam: the retry returns the same team.
        let create = json!({"input": {"name": "Social", "idempotencyKey": "create-social"}});
        let first = twice(
            &app,
            "createTeam",
            docs::CREATE_TEAM,
            create.clone(),
            &tag("createTeam"),
        )
        .await;
        let team = first["team"]["id"].as_str().expect("team id").to_owned();
        let again = expect_data(&admin, docs::CREATE_TEAM, create, &tag("createTeam retry")).await;
        assert_eq!(
            again["createTeam"]["team"]["id"],
            json!(team),
            "{}",
            tag("same team id")
        );
        let teams = expect_data(
            &admin,
            "{ teams(first: 100) { nodes { id } } }",
            json!({}),
            "teams",
        )
        .await;
        assert_eq!(
            teams["teams"]["nodes"].as_array().map(Vec::len),
            Some(1),
            "{}",
            tag("one team")
        );

        // Same key, different input; same key, another mutation.
        let before = app.event_count().await;
        expect_error(
            &admin,
            docs::CREATE_TEAM,
            json!({"input": {"name": "Other", "idempotencyKey": "create-social"}}),
            "IDEMPOTENCY_KEY_REUSED",
            None,
            &tag("createTeam reused key"),
        )
        .await;
        expect_error(
            &admin,
            docs::ADD_PERSON,
            json!({"input": {"displayName": "X", "email": "x@acme.example", "affiliation": "INTERNAL", "idempotencyKey": "create-social"}}),
            "IDEMPOTENCY_KEY_REUSED",
            None,
            &tag("addPerson with createTeam's key"),
        )
        .await;
        assert_eq!(
            app.event_count().await,
            before,
            "{}",
            tag("reused keys wrote events")
        );

        // Every other mutation kind.
        let person = twice(
            &app,
            "addPerson",
            docs::ADD_PERSON,
            json!({"input": {"displayName": "Pia", "email": "pia@acme.example", "affiliation": "INTERNAL", "idempotencyKey": "add-pia"}}),
            &tag("addPerson"),
        )
        .await["person"]["id"]
            .as_str()
            .expect("person id")
            .to_owned();
        let manager = app.add_person("Mo", "mo@acme.example").await;
        twice(
            &app,
            "renameOrganization",
            docs::RENAME_ORGANIZATION,
            json!({"input": {"name": "Acme 2", "idempotencyKey": "rename-org"}}),
            &tag("renameOrganization"),
        )
        .await;
        twice(
            &app,
            "renameTeam",
            docs::RENAME_TEAM,
            json!({"input": {"teamId": team, "name": "Social 2", "idempotencyKey": "rename-team"}}),
            &tag("renameTeam"),
        )
        .await;
        twice(&app, "updatePerson", docs::UPDATE_PERSON, json!({"input": {"personId": person, "displayName": "Pia P", "idempotencyKey": "update-pia"}}), &tag("updatePerson")).await;
        let role = twice(
            &app,
            "assignRole",
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": person, "function": "SOCIAL_MEDIA", "scope": {"kind": "TEAM", "id": team}, "reason": "r", "idempotencyKey": "assign-pia"}}),
            &tag("assignRole"),
        )
        .await["roleAssignment"]["id"]
            .as_str()
            .expect("role id")
            .to_owned();
        let replayed = expect_data(
            &admin,
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": person, "function": "SOCIAL_MEDIA", "scope": {"kind": "TEAM", "id": team}, "reason": "r", "idempotencyKey": "assign-pia"}}),
            &tag("assignRole replay"),
        )
        .await;
        assert_eq!(
            replayed["assignRole"]["roleAssignment"]["id"],
            json!(role),
            "{}",
            tag("the replay names the first assignment")
        );
        let roles = expect_data(
            &admin,
            "query($id: ID!) { person(id: $id) { roles { nodes { id } } } }",
            json!({"id": person}),
            "roles",
        )
        .await;
        assert_eq!(
            roles["person"]["roles"]["nodes"],
            json!([{"id": role}]),
            "{}",
            tag("one assignment")
        );
        twice(&app, "revokeRole", docs::REVOKE_ROLE, json!({"input": {"roleAssignmentId": role, "reason": "r", "idempotencyKey": "revoke-pia"}}), &tag("revokeRole")).await;
        twice(&app, "setReportingLine", docs::SET_REPORTING_LINE, json!({"input": {"personId": person, "managerId": manager, "idempotencyKey": "line-pia"}}), &tag("setReportingLine")).await;
        twice(
            &app,
            "clearReportingLine",
            docs::CLEAR_REPORTING_LINE,
            json!({"input": {"personId": person, "idempotencyKey": "clear-pia"}}),
            &tag("clearReportingLine"),
        )
        .await;
        let channel = twice(
            &app,
            "registerChannel",
            docs::REGISTER_CHANNEL,
            json!({"input": {"teamId": team, "network": "YOUTUBE", "handle": "acme", "idempotencyKey": "channel-yt"}}),
            &tag("registerChannel"),
        )
        .await["channel"]["id"]
            .as_str()
            .expect("channel id")
            .to_owned();
        let replayed = expect_data(
            &admin,
            docs::REGISTER_CHANNEL,
            json!({"input": {"teamId": team, "network": "YOUTUBE", "handle": "acme", "idempotencyKey": "channel-yt"}}),
            &tag("registerChannel replay"),
        )
        .await;
        assert_eq!(replayed["registerChannel"]["channel"]["id"], json!(channel));
        // Same handle, new key: a real duplicate.
        expect_error(
            &admin,
            docs::REGISTER_CHANNEL,
            json!({"input": {"teamId": team, "network": "YOUTUBE", "handle": "acme", "idempotencyKey": "channel-yt-2"}}),
            "ALREADY_EXISTS",
            None,
            &tag("registerChannel duplicate with a new key"),
        )
        .await;
        twice(
            &app,
            "retireChannel",
            docs::RETIRE_CHANNEL,
            json!({"input": {"channelId": channel, "idempotencyKey": "retire-yt"}}),
            &tag("retireChannel"),
        )
        .await;
        twice(
            &app,
            "offboardPerson",
            docs::OFFBOARD_PERSON,
            json!({"input": {"personId": person, "idempotencyKey": "offboard-pia"}}),
            &tag("offboardPerson"),
        )
        .await;
        let archived = twice(
            &app,
            "archiveTeam",
            docs::ARCHIVE_TEAM,
            json!({"input": {"teamId": team, "idempotencyKey": "archive"}}),
            &tag("archiveTeam"),
        )
        .await;
        assert_eq!(archived["team"]["archived"], true);

        // Typed client: the retry of a role assignment through `run`.
        let other_team = app.create_team("Typed", None).await;
        let typed = |key: &str| {
            let admin = admin.clone();
            let person_id = manager.clone();
            let team_id = other_team.clone();
            let key = key.to_owned();
            async move {
                admin
                    .run::<chorus_client::AssignRole>(assign_role::Variables {
                        input: assign_role::AssignRoleInput {
                            person_id,
                            function: assign_role::RoleFunction::CREATIVE,
                            responsibility: Some(assign_role::Responsibility::CONTENT_DEVELOPER),
                            scope: assign_role::RoleScopeInput {
                                kind: assign_role::ScopeKind::TEAM,
                                id: Some(team_id),
                            },
                            effective_from: None,
                            reason: "typed".into(),
                            idempotency_key: Some(key),
                        },
                    })
                    .await
            }
        };
        let a = typed("typed-1").await.expect("typed assign").assign_role;
        let b = typed("typed-1").await.expect("typed retry").assign_role;
        assert!(!a.replayed && b.replayed);
        assert_eq!(a.position, b.position);
        assert_eq!(
            a.role_assignment.expect("role").id,
            b.role_assignment.expect("replayed role").id,
            "{}",
            tag("typed replay")
        );
        // Without a key, the same request is a duplicate.
        let dup = typed("typed-2").await;
        chorus_tests::assert_code(
            dup,
            "DUPLICATE_ACTIVE_ASSIGNMENT",
            None,
            &tag("new key, same role"),
        );

        // Keys belong to an organization: another one may use the same key.
        let other = app.second_org("Globex", "admin@globex.example").await;
        let theirs = expect_data(
            &other.client,
            docs::CREATE_TEAM,
            json!({"input": {"name": "Social", "idempotencyKey": "create-social"}}),
            &tag("other org, same key"),
        )
        .await;
        assert_eq!(
            theirs["createTeam"]["replayed"],
            false,
            "{}",
            tag("keys are per organization")
        );
        assert_ne!(
            theirs["createTeam"]["team"]["id"],
            json!(team),
            "{}",
            tag("other org got A's team")
        );

        app.stop().await;
    }
}

backend_tests! {
    /// The key is looked up before any validation: a retry after the state moved on (here the
    /// parent team was archived in between) still gets the first answer. And a key is bound
    /// to its caller: another admin reusing it is refused, never handed the first result.
    async fn replays_come_before_validation_and_keys_belong_to_their_caller(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let parent = app.create_team("Marketing", None).await;
        let create =
            json!({"input": {"name": "Social", "parentId": parent, "idempotencyKey": "child-1"}});
        let first = expect_data(
            &admin,
            docs::CREATE_TEAM,
            create.clone(),
            &tag("create child"),
        )
        .await;
        expect_data(
            &admin,
            docs::ARCHIVE_TEAM,
            json!({"input": {"teamId": parent}}),
            &tag("archive parent"),
        )
        .await;
        let retry = expect_data(
            &admin,
            docs::CREATE_TEAM,
            create.clone(),
            &tag("retry after archive"),
        )
        .await;
        assert_eq!(
            retry["createTeam"]["replayed"],
            true,
            "{}",
            tag("replayed, not TEAM_ARCHIVED")
        );
        assert_eq!(
            retry["createTeam"]["team"]["id"],
            first["createTeam"]["team"]["id"]
        );

        // A second admin (senior management at organization scope) sends the same request
        // with the same key: a different caller, so the key is refused.
        let other = app.add_person("Grace Admin", "grace@acme.example").await;
        expect_data(
            &admin,
            "mutation($input: AssignRoleInput!) { assignRole(input: $input) { position } }",
            json!({"input": {"personId": other, "function": "SENIOR_MANAGEMENT", "scope": {"kind": "ORGANIZATION"}, "reason": "Second admin"}}),
            &tag("promote"),
        )
        .await;
        let grace = app.client(Some(&app.token_for_person(chorus_tests::uuid_of(&other))));
        expect_error(
            &grace,
            docs::CREATE_TEAM,
            create,
            "IDEMPOTENCY_KEY_REUSED",
            None,
            &tag("other caller"),
        )
        .await;
        app.stop().await;
    }
}
