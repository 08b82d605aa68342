//! Who may do what: non-admin people read but cannot write; service accounts need
//! scopes; requests without a valid token get HTTP 401 UNAUTHENTICATED.
//!
//! The permission matrix stays one table of raw `(document, variables)` rows on
//! purpose: every mutation alike, against each kind of caller.

use chorus_client::{viewer, ChorusClient, Viewer};
use chorus_tests::client::register_channel;
use chorus_tests::TeamsApi;
use chorus_tests::{
    assert_code, backend_tests, docs, expect_data, expect_error, first_code, spawn_app, uuid_of,
    TestApp, TestBackend,
};
use serde_json::{json, Value};

/// One request per mutation, each valid for an admin.
fn every_mutation(
    team: &str,
    person: &str,
    other: &str,
    channel: &str,
    role: &str,
) -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "renameOrganization",
            docs::RENAME_ORGANIZATION,
            json!({"input": {"name": "Hijacked"}}),
        ),
        (
            "createTeam",
            docs::CREATE_TEAM,
            json!({"input": {"name": "Shadow", "parentId": team}}),
        ),
        (
            "renameTeam",
            docs::RENAME_TEAM,
            json!({"input": {"teamId": team, "name": "Shadow"}}),
        ),
        (
            "archiveTeam",
            docs::ARCHIVE_TEAM,
            json!({"input": {"teamId": team}}),
        ),
        (
            "addPerson",
            docs::ADD_PERSON,
            json!({"input": {"displayName": "Mole", "email": "mole@acme.example", "affiliation": "INTERNAL"}}),
        ),
        (
            "updatePerson",
            docs::UPDATE_PERSON,
            json!({"input": {"personId": person, "displayName": "Renamed"}}),
        ),
        (
            "offboardPerson",
            docs::OFFBOARD_PERSON,
            json!({"input": {"personId": person}}),
        ),
        (
            "assignRole (organization)",
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": other, "function": "SENIOR_MANAGEMENT", "scope": {"kind": "ORGANIZATION"}, "reason": "me"}}),
        ),
        (
            "assignRole (team)",
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": other, "function": "LEGAL", "scope": {"kind": "TEAM", "id": team}, "reason": "me"}}),
        ),
        (
            "assignRole (channel)",
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": other, "function": "SALES", "scope": {"kind": "CHANNEL", "id": channel}, "reason": "me"}}),
        ),
        (
            "revokeRole",
            docs::REVOKE_ROLE,
            json!({"input": {"roleAssignmentId": role, "reason": "because"}}),
        ),
        (
            "setReportingLine",
            docs::SET_REPORTING_LINE,
            json!({"input": {"personId": other, "managerId": person}}),
        ),
        (
            "clearReportingLine",
            docs::CLEAR_REPORTING_LINE,
            json!({"input": {"personId": person}}),
        ),
        (
            "registerChannel",
            docs::REGISTER_CHANNEL,
            json!({"input": {"teamId": team, "network": "REDDIT", "handle": "acme"}}),
        ),
        (
            "retireChannel",
            docs::RETIRE_CHANNEL,
            json!({"input": {"channelId": channel}}),
        ),
    ]
}

const READS: &str = "query($t: ID!, $p: ID!, $c: ID!) { viewer { isAdmin } organization { name } team(id: $t) { name } \
    person(id: $p) { displayName } channel(id: $c) { handle } teams { nodes { id } } people { nodes { id } } \
    channels { nodes { id } } coverage { missing } node(id: $t) { id } }";

async fn can_read(client: &ChorusClient, team: &str, person: &str, channel: &str, what: &str) {
    let data = expect_data(
        client,
        READS,
        json!({"t": team, "p": person, "c": channel}),
        what,
    )
    .await;
    assert_eq!(data["organization"]["name"], "Acme", "{what}");
    assert_eq!(data["team"]["name"], "Social", "{what}");
    assert!(data["channel"]["handle"].is_string(), "{what}");
    assert_eq!(data["person"]["displayName"], "Pat", "{what}");
    assert_eq!(data["node"]["id"], json!(team), "{what}");
}

async fn cannot_write(
    app: &TestApp,
    client: &ChorusClient,
    ids: (&str, &str, &str, &str, &str),
    what: &str,
) {
    for (mutation, query, variables) in every_mutation(ids.0, ids.1, ids.2, ids.3, ids.4) {
        let what = format!("{what}: {mutation}");
        app.expect_refused_unwritten(client, query, variables, ("FORBIDDEN", None), &what)
            .await;
    }
}

backend_tests! {
    async fn non_admins_read_and_scoped_service_accounts(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let team = app.create_team("Social", None).await;
        let pat = app.add_person("Pat", "pat@acme.example").await;
        let quinn = app.add_person("Quinn", "quinn@acme.example").await;
        let channel = app
            .register_channel(&team, register_channel::SocialNetwork::X, "acme")
            .await;
        let role = app
            .assign_team_role(
                &pat,
                chorus_tests::client::assign_role::RoleFunction::SOCIAL_MEDIA,
                &team,
            )
            .await
            .expect("role")
            .id;
        expect_data(
            &admin,
            docs::SET_REPORTING_LINE,
            json!({"input": {"personId": pat, "managerId": quinn}}),
            "line",
        )
        .await;
        let ids = (
            team.as_str(),
            pat.as_str(),
            quinn.as_str(),
            channel.as_str(),
            role.as_str(),
        );

        // A person without admin rights (even with a team role) reads but cannot write.
        let pat_client = app.client(Some(&app.token_for_person(uuid_of(&pat))));
        can_read(
            &pat_client,
            &team,
            &pat,
            &channel,
            &format!("[{backend:?}] non-admin"),
        )
        .await;
        let v = pat_client
            .run::<Viewer>(viewer::Variables)
            .await
            .expect("viewer")
            .viewer;
        assert_eq!(v.person.expect("person").id, pat);
        assert!(!v.is_admin);
        cannot_write(&app, &pat_client, ids, &format!("[{backend:?}] non-admin")).await;

        // Senior management at organization scope makes an admin; revoking it undoes that.
        let grant = expect_data(
            &admin,
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": quinn, "function": "SENIOR_MANAGEMENT", "scope": {"kind": "ORGANIZATION"}, "reason": "promoted"}}),
            "promote",
        )
        .await["assignRole"]["roleAssignment"]["id"]
            .as_str()
            .expect("grant id")
            .to_owned();
        let quinn_client = app.client(Some(&app.token_for_person(uuid_of(&quinn))));
        assert!(
            quinn_client
                .run::<Viewer>(viewer::Variables)
                .await
                .expect("viewer")
                .viewer
                .is_admin,
            "[{backend:?}] promoted"
        );
        quinn_client
            .create_team("Quinn's", None)
            .await
            .unwrap_or_else(|e| panic!("[{backend:?}] promoted admin writes: {e}"));
        // A team-scoped senior management role does not make an admin.
        expect_data(
            &admin,
            docs::ASSIGN_ROLE,
            json!({"input": {"personId": pat, "function": "SENIOR_MANAGEMENT", "scope": {"kind": "TEAM", "id": team}, "reason": "team lead"}}),
            "team lead",
        )
        .await;
        expect_error(
            &pat_client,
            docs::CREATE_TEAM,
            json!({"input": {"name": "Nope"}}),
            "FORBIDDEN",
            None,
            &format!("[{backend:?}] team-scoped senior management"),
        )
        .await;
        expect_data(
            &admin,
            docs::REVOKE_ROLE,
            json!({"input": {"roleAssignmentId": grant, "reason": "demoted"}}),
            "demote",
        )
        .await;
        expect_error(
            &quinn_client,
            docs::CREATE_TEAM,
            json!({"input": {"name": "Again"}}),
            "FORBIDDEN",
            None,
            &format!("[{backend:?}] demoted"),
        )
        .await;

        // Service account with teams:read.
        let reader = app.client(Some(&app.token_for_service(&["teams:read"]).await));
        can_read(
            &reader,
            &team,
            &pat,
            &channel,
            &format!("[{backend:?}] teams:read"),
        )
        .await;
        let v = reader
            .run::<Viewer>(viewer::Variables)
            .await
            .expect("viewer")
            .viewer;
        assert!(
            v.person.is_none(),
            "[{backend:?}] a service account is not a person"
        );
        assert_eq!(v.scopes, ["teams:read"]);
        assert_eq!(v.organization.expect("organization").name, "Acme");
        cannot_write(&app, &reader, ids, &format!("[{backend:?}] teams:read")).await;

        // Service account without a read scope: not even reads.
        let nobody = app.client(Some(&app.token_for_service(&["compliance:export"]).await));
        let result = nobody.run::<Viewer>(viewer::Variables).await;
        assert_code(
            result,
            "FORBIDDEN",
            None,
            &format!("[{backend:?}] no scope: viewer"),
        );
        for (what, query) in [
            ("organization", "{ organization { name } }"),
            ("teams", "{ teams { nodes { id } } }"),
            ("people", "{ people { nodes { id } } }"),
            ("channels", "{ channels { nodes { id } } }"),
            ("coverage", "{ coverage { missing } }"),
        ] {
            expect_error(
                &nobody,
                query,
                json!({}),
                "FORBIDDEN",
                None,
                &format!("[{backend:?}] no scope: {what}"),
            )
            .await;
        }
        for (what, query) in [
            ("team", "query($id: ID!) { team(id: $id) { name } }"),
            ("node", "query($id: ID!) { node(id: $id) { id } }"),
            ("roleHolders", "query($id: ID!) { roleHolders(teamId: $id, function: SOCIAL_MEDIA) { nodes { id } } }"),
            ("teamStructureAsOf", "query($id: ID!) { teamStructureAsOf(teamId: $id, at: \"2030-01-01T00:00:00Z\") { at } }"),
        ] {
            expect_error(&nobody, query, json!({"id": team}), "FORBIDDEN", None, &format!("[{backend:?}] no scope: {what}")).await;
        }
        cannot_write(&app, &nobody, ids, &format!("[{backend:?}] no scope")).await;

        // teams:write writes (and reads).
        let writer = app.client(Some(&app.token_for_service(&["teams:write"]).await));
        let created = expect_data(
            &writer,
            docs::CREATE_TEAM,
            json!({"input": {"name": "Integration", "parentId": team}}),
            &format!("[{backend:?}] teams:write"),
        )
        .await;
        assert_eq!(created["createTeam"]["team"]["parent"]["id"], json!(team));
        let granted = expect_data(
            &writer,
            "mutation($input: AssignRoleInput!) { assignRole(input: $input) { roleAssignment { id grantedBy { id } } } }",
            json!({"input": {"personId": quinn, "function": "HUMAN_RESOURCES", "scope": {"kind": "ORGANIZATION"}, "reason": "synced from HR"}}),
            &format!("[{backend:?}] teams:write assigns"),
        )
        .await;
        assert!(
            granted["assignRole"]["roleAssignment"]["grantedBy"].is_null(),
            "[{backend:?}] granted by a service account"
        );
        can_read(
            &writer,
            &team,
            &pat,
            &channel,
            &format!("[{backend:?}] teams:write reads"),
        )
        .await;

        app.stop().await;
    }
}

backend_tests! {
    async fn requests_without_a_valid_token_get_401(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let other_secret = {
            let config = chorus_server::config::AuthConfig::default();
            chorus_server::auth::Authenticator::new(
                &config,
                &chorus_server::config::Secret::new("some-other-secret-that-is-long-enough"),
            )
            .expect("authenticator")
            .issue(
                app.organization_id,
                chorus_kernel::Actor::person(app.admin_id),
                &[],
            )
            .expect("token")
        };
        let stranger = app.token_for(
            uuid::Uuid::now_v7(),
            chorus_kernel::Actor::person(uuid::Uuid::now_v7()),
            &[],
        );
        let wrong_org = app.token_for(
            uuid::Uuid::now_v7(),
            chorus_kernel::Actor::person(app.admin_id),
            &[],
        );
        let cases: Vec<(&str, Option<String>)> = vec![
            ("no token", None),
            ("garbage token", Some("garbage".into())),
            ("expired token", Some(app.expired_token())),
            ("token signed with another key", Some(other_secret)),
            ("token of an unknown person", Some(stranger)),
            ("admin's id under another organization", Some(wrong_org)),
        ];
        let before = app.event_count().await;
        for (what, token) in cases {
            let client = app.client(token.as_deref());
            let result = client.run::<Viewer>(viewer::Variables).await;
            let error = assert_code(
                result,
                "UNAUTHENTICATED",
                None,
                &format!("[{backend:?}] {what}"),
            );
            assert_eq!(error.status(), Some(401), "[{backend:?}] {what}: {error:?}");
            let raw = client
                .post(&json!({"query": docs::CREATE_TEAM, "variables": {"input": {"name": "X"}}}))
                .await
                .expect("post");
            assert_eq!(raw.status, 401, "[{backend:?}] {what}: mutation");
            assert_eq!(
                first_code(&raw.json()).as_deref(),
                Some("UNAUTHENTICATED"),
                "[{backend:?}] {what}: {}",
                raw.body
            );
            let get = client
                .get("{ viewer { isAdmin } }", None)
                .await
                .expect("get");
            assert_eq!(get.status, 401, "[{backend:?}] {what}: GET");
        }
        let what = format!("[{backend:?}] unauthenticated requests wrote events");
        app.assert_event_count(before, &what).await;

        // The 401 says how to authenticate.
        let response = reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .header("content-type", "application/json")
            .body(r#"{"query":"{ viewer { isAdmin } }"}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(
            chorus_tests::header(&response, "www-authenticate").as_deref(),
            Some("Bearer"),
            "[{backend:?}] WWW-Authenticate"
        );
        // "bearer" in lower case is accepted; a Basic header is not.
        let lower = reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .header("authorization", format!("bearer {}", app.admin_token))
            .header("content-type", "application/json")
            .body(r#"{"query":"{ viewer { isAdmin } }"}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(
            lower.status().as_u16(),
            200,
            "[{backend:?}] lower-case scheme"
        );
        let basic = reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .header("authorization", format!("Basic {}", app.admin_token))
            .header("content-type", "application/json")
            .body(r#"{"query":"{ viewer { isAdmin } }"}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(basic.status().as_u16(), 401, "[{backend:?}] Basic scheme");

        app.stop().await;
    }
}

backend_tests! {
    /// `chorus init` promises that the token it prints works for the first request. On
    /// PostgreSQL the projector only reads events below the oldest running transaction, so
    /// any other transaction open in the cluster while init runs can hide init's events from
    /// its own catch-up: init must still not return before its events are projected.
    async fn a_token_from_init_works_at_once(backend: TestBackend) {
        use sqlx::Connection;

        let app = spawn_app(backend).await;
        // Without interference.
        let org = app.init_org("Initech", "admin@initech.example").await;
        let result = org.client.run::<Viewer>(viewer::Variables).await;
        assert!(
            result.is_ok(),
            "[{backend:?}] the token from init is refused: {result:?}"
        );

        if backend == chorus_tests::TestBackend::Postgres {
            // With another transaction in flight (any client of the cluster), released
            // shortly after init started.
            let mut blocker = sqlx::PgConnection::connect(app.db.url())
                .await
                .expect("connect");
            sqlx::query("BEGIN")
                .execute(&mut blocker)
                .await
                .expect("begin");
            sqlx::query("SELECT pg_current_xact_id()")
                .execute(&mut blocker)
                .await
                .expect("take an xid");
            let release = tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                sqlx::query("COMMIT")
                    .execute(&mut blocker)
                    .await
                    .expect("commit");
                blocker
            });
            let org = app.init_org("Hooli", "admin@hooli.example").await;
            let result = org.client.run::<Viewer>(viewer::Variables).await;
            let _ = release.await;
            assert!(
                result.is_ok(),
                "[{backend:?}] init returned before its events were projected: the token's first request got {result:?}"
            );
        }
        app.stop().await;
    }
}
