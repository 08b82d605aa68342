//! Bad input to every mutation: a clear error with `extensions.code` (and
//! `extensions.field` for BAD_USER_INPUT), and nothing written.
//!
//! The cases stay one table of raw `(document, variables)` rows on purpose: it covers
//! every mutation alike, including inputs no typed client can send (missing fields,
//! unknown enum values, wrong scalar types, syntax errors). The set-up is typed.

use chorus_tests::client::{assign_role, register_channel};
use chorus_tests::{
    backend_tests, docs, expect_data, first_code, spawn_app, TeamsApi, TestBackend,
};
use serde_json::{json, Value};

backend_tests! {
    async fn bad_input_is_refused_with_a_code_and_nothing_is_written(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();

        // Fixtures.
        let team = app.create_team("Social", None).await;
        let archived = app.create_team("Archived", None).await;
        admin.archive_team(&archived, None).await.expect("archive");
        let ann = app.add_person("Ann", "ann@acme.example").await;
        let ben = app.add_person("Ben", "ben@acme.example").await;
        let cat = app.add_person("Cat", "cat@acme.example").await;
        let gone = app.add_person("Gone", "gone@acme.example").await;
        admin.offboard_person(&gone, None).await.expect("offboard");
        let channel = app
            .register_channel(&team, register_channel::SocialNetwork::X, "acme")
            .await;
        let retired = app
            .register_channel(&team, register_channel::SocialNetwork::TIKTOK, "acme")
            .await;
        admin.retire_channel(&retired, None).await.expect("retire");
        let role = app
            .assign_team_role(&ann, assign_role::RoleFunction::SOCIAL_MEDIA, &team)
            .await
            .expect("role");
        let revoked = app
            .assign_team_role(&ann, assign_role::RoleFunction::ANALYTICS, &team)
            .await
            .expect("role");
        admin.revoke_role(&revoked.id, "done").await.expect("revoke");
        // Ann reports to Ben.
        admin.set_reporting_line(&ann, &ben).await.expect("line");
        let ghost_team = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Team:{}", uuid::Uuid::now_v7()))
        };
        let ghost_role = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("RoleAssignment:{}", uuid::Uuid::now_v7()))
        };
        let long = "x".repeat(121);
        let long_key = "k".repeat(201);
        let an_hour_ago = (chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339();
        let assign = |extra: Value| {
            let mut input = json!({"personId": ben, "function": "MARKETING", "scope": {"kind": "ORGANIZATION"}, "reason": "because"});
            if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
                for (k, v) in extra {
                    input.insert(k.clone(), v.clone());
                }
            }
            json!({ "input": input })
        };

        let cases: Vec<(&str, &str, Value, &str, Option<&str>)> = vec![
            // renameOrganization
            (
                "renameOrganization empty",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": "   "}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "renameOrganization too long",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": long}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "renameOrganization control char",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": "Ac\u{7}me"}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "renameOrganization empty key",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": "New", "idempotencyKey": ""}}),
                "BAD_USER_INPUT",
                Some("idempotencyKey"),
            ),
            (
                "renameOrganization long key",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": "New", "idempotencyKey": long_key}}),
                "BAD_USER_INPUT",
                Some("idempotencyKey"),
            ),
            (
                "renameOrganization same name",
                docs::RENAME_ORGANIZATION,
                json!({"input": {"name": "Acme"}}),
                "NO_CHANGE",
                None,
            ),
            // createTeam
            (
                "createTeam empty name",
                docs::CREATE_TEAM,
                json!({"input": {"name": ""}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "createTeam newline in name",
                docs::CREATE_TEAM,
                json!({"input": {"name": "a\nb"}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "createTeam garbage parent",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "parentId": "garbage"}}),
                "BAD_USER_INPUT",
                Some("parentId"),
            ),
            (
                "createTeam parent is a person",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "parentId": ann}}),
                "BAD_USER_INPUT",
                Some("parentId"),
            ),
            (
                "createTeam unknown parent",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "parentId": ghost_team}}),
                "NOT_FOUND",
                None,
            ),
            (
                "createTeam archived parent",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "parentId": archived}}),
                "TEAM_ARCHIVED",
                None,
            ),
            (
                "createTeam control key",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "idempotencyKey": "a\u{0}b"}}),
                "BAD_USER_INPUT",
                Some("idempotencyKey"),
            ),
            // renameTeam
            (
                "renameTeam garbage id",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": "x", "name": "N"}}),
                "BAD_USER_INPUT",
                Some("teamId"),
            ),
            (
                "renameTeam empty name",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": team, "name": " "}}),
                "BAD_USER_INPUT",
                Some("name"),
            ),
            (
                "renameTeam same name",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": team, "name": "Social"}}),
                "NO_CHANGE",
                None,
            ),
            (
                "renameTeam archived",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": archived, "name": "Revived"}}),
                "TEAM_ARCHIVED",
                None,
            ),
            (
                "renameTeam unknown",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": ghost_team, "name": "N"}}),
                "NOT_FOUND",
                None,
            ),
            // archiveTeam
            (
                "archiveTeam twice",
                docs::ARCHIVE_TEAM,
                json!({"input": {"teamId": archived}}),
                "TEAM_ARCHIVED",
                None,
            ),
            (
                "archiveTeam empty reason",
                docs::ARCHIVE_TEAM,
                json!({"input": {"teamId": team, "reason": ""}}),
                "BAD_USER_INPUT",
                Some("reason"),
            ),
            (
                "archiveTeam channel id",
                docs::ARCHIVE_TEAM,
                json!({"input": {"teamId": channel}}),
                "BAD_USER_INPUT",
                Some("teamId"),
            ),
            // addPerson
            (
                "addPerson bad email",
                docs::ADD_PERSON,
                json!({"input": {"displayName": "X", "email": "not-an-email", "affiliation": "INTERNAL"}}),
                "BAD_USER_INPUT",
                Some("email"),
            ),
            (
                "addPerson email without dot",
                docs::ADD_PERSON,
                json!({"input": {"displayName": "X", "email": "x@localhost", "affiliation": "INTERNAL"}}),
                "BAD_USER_INPUT",
                Some("email"),
            ),
            (
                "addPerson two @",
                docs::ADD_PERSON,
                json!({"input": {"displayName": "X", "email": "a@b@c.example", "affiliation": "INTERNAL"}}),
                "BAD_USER_INPUT",
                Some("email"),
            ),
            (
                "addPerson empty name",
                docs::ADD_PERSON,
                json!({"input": {"displayName": "", "email": "x@acme.example", "affiliation": "INTERNAL"}}),
                "BAD_USER_INPUT",
                Some("displayName"),
            ),
            (
                "addPerson empty externalId",
                docs::ADD_PERSON,
                json!({"input": {"displayName": "X", "email": "x@acme.example", "affiliation": "INTERNAL", "externalId": " "}}),
                "BAD_USER_INPUT",
                Some("externalId"),
            ),
            // updatePerson
            (
                "updatePerson bad email",
                docs::UPDATE_PERSON,
                json!({"input": {"personId": ben, "email": "nope"}}),
                "BAD_USER_INPUT",
                Some("email"),
            ),
            (
                "updatePerson garbage id",
                docs::UPDATE_PERSON,
                json!({"input": {"personId": "nope", "displayName": "B"}}),
                "BAD_USER_INPUT",
                Some("personId"),
            ),
            (
                "updatePerson nothing changes",
                docs::UPDATE_PERSON,
                json!({"input": {"personId": ben, "displayName": "Ben"}}),
                "NO_CHANGE",
                None,
            ),
            (
                "updatePerson offboarded",
                docs::UPDATE_PERSON,
                json!({"input": {"personId": gone, "displayName": "Back"}}),
                "PERSON_OFFBOARDED",
                None,
            ),
            // offboardPerson
            (
                "offboardPerson empty reason",
                docs::OFFBOARD_PERSON,
                json!({"input": {"personId": ben, "reason": ""}}),
                "BAD_USER_INPUT",
                Some("reason"),
            ),
            (
                "offboardPerson twice",
                docs::OFFBOARD_PERSON,
                json!({"input": {"personId": gone}}),
                "PERSON_OFFBOARDED",
                None,
            ),
            (
                "offboardPerson team id",
                docs::OFFBOARD_PERSON,
                json!({"input": {"personId": team}}),
                "BAD_USER_INPUT",
                Some("personId"),
            ),
            // assignRole
            (
                "assignRole empty reason",
                docs::ASSIGN_ROLE,
                assign(json!({"reason": " "})),
                "BAD_USER_INPUT",
                Some("reason"),
            ),
            (
                "assignRole garbage person",
                docs::ASSIGN_ROLE,
                assign(json!({"personId": "zz"})),
                "BAD_USER_INPUT",
                Some("personId"),
            ),
            (
                "assignRole team scope without id",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "TEAM"}})),
                "BAD_USER_INPUT",
                Some("scope.id"),
            ),
            (
                "assignRole channel scope without id",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "CHANNEL"}})),
                "BAD_USER_INPUT",
                Some("scope.id"),
            ),
            (
                "assignRole organization scope with id",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "ORGANIZATION", "id": team}})),
                "BAD_USER_INPUT",
                Some("scope.id"),
            ),
            (
                "assignRole garbage scope id",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "TEAM", "id": "??"}})),
                "BAD_USER_INPUT",
                Some("scope.id"),
            ),
            (
                "assignRole team scope with channel id",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "TEAM", "id": channel}})),
                "BAD_USER_INPUT",
                Some("scope.id"),
            ),
            (
                "assignRole unknown team",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "TEAM", "id": ghost_team}})),
                "NOT_FOUND",
                None,
            ),
            (
                "assignRole archived team",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "TEAM", "id": archived}})),
                "TEAM_ARCHIVED",
                None,
            ),
            (
                "assignRole retired channel",
                docs::ASSIGN_ROLE,
                assign(json!({"scope": {"kind": "CHANNEL", "id": retired}})),
                "CHANNEL_RETIRED",
                None,
            ),
            (
                "assignRole responsibility outside function",
                docs::ASSIGN_ROLE,
                assign(json!({"responsibility": "LEGAL_UGC_COUNSEL"})),
                "RESPONSIBILITY_NOT_IN_FUNCTION",
                None,
            ),
            (
                "assignRole duplicate",
                docs::ASSIGN_ROLE,
                assign(
                    json!({"personId": ann, "function": "SOCIAL_MEDIA", "scope": {"kind": "TEAM", "id": team}}),
                ),
                "DUPLICATE_ACTIVE_ASSIGNMENT",
                None,
            ),
            (
                "assignRole offboarded person",
                docs::ASSIGN_ROLE,
                assign(json!({"personId": gone})),
                "PERSON_OFFBOARDED",
                None,
            ),
            (
                "assignRole backdated",
                docs::ASSIGN_ROLE,
                assign(json!({"effectiveFrom": an_hour_ago})),
                "EFFECTIVE_FROM_IN_PAST",
                None,
            ),
            // revokeRole
            (
                "revokeRole twice",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": revoked.id, "reason": "again"}}),
                "ASSIGNMENT_NOT_ACTIVE",
                None,
            ),
            (
                "revokeRole empty reason",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": role.id, "reason": ""}}),
                "BAD_USER_INPUT",
                Some("reason"),
            ),
            (
                "revokeRole garbage id",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": "r", "reason": "r"}}),
                "BAD_USER_INPUT",
                Some("roleAssignmentId"),
            ),
            (
                "revokeRole team id",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": team, "reason": "r"}}),
                "BAD_USER_INPUT",
                Some("roleAssignmentId"),
            ),
            (
                "revokeRole unknown",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": ghost_role, "reason": "r"}}),
                "NOT_FOUND",
                None,
            ),
            // setReportingLine
            (
                "setReportingLine self",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": cat, "managerId": cat}}),
                "SELF_REPORTING",
                None,
            ),
            (
                "setReportingLine cycle",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": ben, "managerId": ann}}),
                "REPORTING_CYCLE",
                None,
            ),
            (
                "setReportingLine unchanged",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": ann, "managerId": ben}}),
                "NO_CHANGE",
                None,
            ),
            (
                "setReportingLine offboarded manager",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": cat, "managerId": gone}}),
                "PERSON_OFFBOARDED",
                None,
            ),
            (
                "setReportingLine offboarded person",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": gone, "managerId": cat}}),
                "PERSON_OFFBOARDED",
                None,
            ),
            (
                "setReportingLine garbage manager",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": cat, "managerId": "m"}}),
                "BAD_USER_INPUT",
                Some("managerId"),
            ),
            (
                "setReportingLine garbage person",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": "p", "managerId": cat}}),
                "BAD_USER_INPUT",
                Some("personId"),
            ),
            // clearReportingLine
            (
                "clearReportingLine without line",
                docs::CLEAR_REPORTING_LINE,
                json!({"input": {"personId": cat}}),
                "NO_REPORTING_LINE",
                None,
            ),
            (
                "clearReportingLine garbage",
                docs::CLEAR_REPORTING_LINE,
                json!({"input": {"personId": "p"}}),
                "BAD_USER_INPUT",
                Some("personId"),
            ),
            // registerChannel
            (
                "registerChannel empty handle",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": team, "network": "X", "handle": "@"}}),
                "BAD_USER_INPUT",
                Some("handle"),
            ),
            (
                "registerChannel handle with space",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": team, "network": "X", "handle": "acme corp"}}),
                "BAD_USER_INPUT",
                Some("handle"),
            ),
            (
                "registerChannel duplicate",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": team, "network": "X", "handle": "@ACME"}}),
                "ALREADY_EXISTS",
                None,
            ),
            (
                "registerChannel archived team",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": archived, "network": "X", "handle": "new"}}),
                "TEAM_ARCHIVED",
                None,
            ),
            (
                "registerChannel garbage team",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": "t", "network": "X", "handle": "new"}}),
                "BAD_USER_INPUT",
                Some("teamId"),
            ),
            // retireChannel
            (
                "retireChannel twice",
                docs::RETIRE_CHANNEL,
                json!({"input": {"channelId": retired}}),
                "CHANNEL_RETIRED",
                None,
            ),
            (
                "retireChannel empty reason",
                docs::RETIRE_CHANNEL,
                json!({"input": {"channelId": channel, "reason": ""}}),
                "BAD_USER_INPUT",
                Some("reason"),
            ),
            (
                "retireChannel garbage",
                docs::RETIRE_CHANNEL,
                json!({"input": {"channelId": "c"}}),
                "BAD_USER_INPUT",
                Some("channelId"),
            ),
        ];

        let before = app.event_count().await;
        for (what, query, variables, code, field) in cases {
            let what = format!("[{backend:?}] {what}");
            app.expect_refused_unwritten(&admin, query, variables, (code, field), &what)
                .await;
        }

        // Requests the schema itself refuses also carry a code.
        for (what, query, variables) in [
            (
                "missing required field",
                docs::CREATE_TEAM,
                json!({"input": {}}),
            ),
            (
                "unknown enum value",
                docs::ASSIGN_ROLE,
                assign(json!({"function": "WIZARD"})),
            ),
            (
                "wrong scalar type",
                docs::CREATE_TEAM,
                json!({"input": {"name": 42}}),
            ),
            (
                "unknown input field",
                docs::CREATE_TEAM,
                json!({"input": {"name": "T", "colour": "red"}}),
            ),
            ("unknown field", "{ viewer { shoeSize } }", json!({})),
            (
                "syntax error",
                "mutation { createTeam(input: {name: \"x\"} { team { id } } }",
                json!({}),
            ),
        ] {
            let body = admin.raw(query, variables).await.expect("raw");
            assert!(
                first_code(&body).is_some(),
                "[{backend:?}] {what}: no code in {body}"
            );
            assert!(
                body["data"].is_null() || body["data"]["createTeam"].is_null(),
                "[{backend:?}] {what}: {body}"
            );
        }
        app.assert_event_count(before, &format!("[{backend:?}] schema errors wrote events")).await;

        // State is as it was.
        let data = expect_data(
            &admin,
            "query($t: ID!, $a: ID!) { organization { name } team(id: $t) { name archived } person(id: $a) { manager { id } roles { nodes { id } } } }",
            json!({"t": team, "a": ann}),
            "state",
        )
        .await;
        assert_eq!(data["organization"]["name"], "Acme");
        assert_eq!(data["team"]["name"], "Social");
        assert_eq!(data["team"]["archived"], false);
        assert_eq!(data["person"]["manager"]["id"], json!(ben));
        assert_eq!(data["person"]["roles"]["nodes"], json!([{"id": role.id}]));

        app.stop().await;
    }
}
