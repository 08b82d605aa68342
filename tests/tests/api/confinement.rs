//! Organization confinement: another organization's admin can neither read nor change
//! anything of ours through any field, and lists never mix organizations.
//!
//! The attacks stay raw on purpose: one table aims every mutation at A's ids, and the
//! answers are searched whole (every `id` anywhere in the body), which a typed
//! selection would narrow. The set-up is typed.

use chorus_tests::client::{add_person, assign_role, register_channel};
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, role_input, spawn_app, TeamsApi, TestBackend,
};
use serde_json::{json, Value};

/// Every id string found anywhere in a JSON value.
fn ids_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "id" {
                    if let Some(id) = v.as_str() {
                        out.push(id.to_owned());
                    }
                }
                ids_in(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, out)),
        _ => {}
    }
}

const LISTS: &str = "{ organization { id name foundingAdmin { id } } \
    teams(first: 100, filter: { includeArchived: true }) { nodes { id } } \
    people(first: 100, filter: { includeOffboarded: true }) { nodes { id } } \
    channels(first: 100, filter: { includeRetired: true }) { nodes { id } } }";

backend_tests! {
    async fn organizations_never_see_or_touch_each_other(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let a = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");

        // Organization A (the app's): a team with a sub-team, a person with a role, a
        // reporting line and a channel.
        let team = app.create_team("A Social", None).await;
        let sub = app.create_team("A Sub", Some(&team)).await;
        let person = app.add_person("A Person", "person@acme.example").await;
        let channel = app
            .register_channel(&team, register_channel::SocialNetwork::X, "acme")
            .await;
        let role = app
            .assign_team_role(&person, assign_role::RoleFunction::LEGAL, &team)
            .await
            .expect("role")
            .id;
        let sales = (assign_role::RoleFunction::SALES, None);
        let scope = (assign_role::ScopeKind::CHANNEL, Some(channel.as_str()));
        let channel_role = a
            .assign_role_id(role_input(&person, sales, scope, "r"))
            .await
            .expect("channel role");
        let a_admin = expect_data(
            &a,
            "{ viewer { person { id } } organization { id } }",
            json!({}),
            "ids",
        )
        .await;
        let a_admin_id = a_admin["viewer"]["person"]["id"]
            .as_str()
            .expect("admin id")
            .to_owned();
        let a_org_id = a_admin["organization"]["id"]
            .as_str()
            .expect("org id")
            .to_owned();
        a.set_reporting_line(&person, &a_admin_id).await.expect("line");
        let a_ids = vec![
            a_org_id.clone(),
            team.clone(),
            sub.clone(),
            person.clone(),
            a_admin_id.clone(),
            channel.clone(),
            role.clone(),
            channel_role.clone(),
        ];

        // Organization B in the same server, with its own data.
        let other = app.second_org("Globex", "admin@globex.example").await;
        let b = other.client.clone();
        let b_team = b.create_team("B Team", None).await.expect("B team");
        let b_team = b_team.team.expect("B team").id;
        let b_person = add_person::AddPersonInput {
            display_name: "B Person".into(),
            email: "person@acme.example".into(),
            affiliation: add_person::Affiliation::INTERNAL,
            external_id: None,
            idempotency_key: None,
        };
        let b_person = b.add_person(b_person).await.expect("B person (same email as A's)");
        let b_person = b_person.person.expect("B person").person_fields.id;
        // The same network and handle as A's channel: uniqueness is per organization.
        let x = register_channel::SocialNetwork::X;
        let b_channel = b.register_channel(&b_team, x, "acme").await;
        let b_channel = b_channel.expect("B channel with A's handle").channel.expect("B channel").id;

        // B reads A's ids: null, never A's data.
        for (field, query, id) in [
            (
                "team",
                "query($id: ID!) { team(id: $id) { id name } }",
                &team,
            ),
            (
                "team (sub)",
                "query($id: ID!) { team(id: $id) { id name } }",
                &sub,
            ),
            (
                "person",
                "query($id: ID!) { person(id: $id) { id email } }",
                &person,
            ),
            (
                "person (admin)",
                "query($id: ID!) { person(id: $id) { id email } }",
                &a_admin_id,
            ),
            (
                "channel",
                "query($id: ID!) { channel(id: $id) { id handle } }",
                &channel,
            ),
        ] {
            let data = expect_data(&b, query, json!({"id": id}), &tag(field)).await;
            let root = field.split(' ').next().unwrap_or(field);
            assert!(
                data[root].is_null(),
                "{}: B read A's {field}: {data}",
                tag("confinement")
            );
        }
        for id in &a_ids {
            let data = expect_data(
                &b,
                "query($id: ID!) { node(id: $id) { id __typename } }",
                json!({"id": id}),
                &tag("node"),
            )
            .await;
            assert!(
                data["node"].is_null(),
                "{}: B read A's node {id}: {data}",
                tag("node")
            );
        }
        let data = expect_data(
            &b,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({"ids": a_ids}),
            &tag("nodes"),
        )
        .await;
        assert_eq!(data["nodes"].as_array().map(Vec::len), Some(a_ids.len()));
        assert!(
            data["nodes"]
                .as_array()
                .is_some_and(|n| n.iter().all(Value::is_null)),
            "{}: {data}",
            tag("nodes leaked")
        );
        for (what, query) in [
            ("roleHolders", "query($id: ID!) { roleHolders(teamId: $id, function: LEGAL) { nodes { id person { id } } } }"),
            ("teamStructureAsOf", "query($id: ID!) { teamStructureAsOf(teamId: $id, at: \"2100-01-01T00:00:00Z\") { team { id name } members { nodes { person { id } } } } }"),
            ("coverage", "query($id: ID!) { coverage(teamId: $id) { covered missing } }"),
        ] {
            expect_error(&b, query, json!({"id": team}), "NOT_FOUND", None, &tag(&format!("B's {what} of A's team"))).await;
        }
        // Filters by A's ids find nothing.
        let data = expect_data(
            &b,
            "query($id: ID!) { teams(filter: { parentId: $id }) { nodes { id } } channels(filter: { teamId: $id, includeRetired: true }) { nodes { id } } }",
            json!({"id": team}),
            &tag("filters"),
        )
        .await;
        assert_eq!(
            data["teams"]["nodes"],
            json!([]),
            "{}",
            tag("teams(parentId: A's team)")
        );
        assert_eq!(
            data["channels"]["nodes"],
            json!([]),
            "{}",
            tag("channels(teamId: A's team)")
        );
        let data = expect_data(
            &b,
            "{ people(filter: { email: \"person@acme.example\" }) { nodes { id } } }",
            json!({}),
            &tag("email filter"),
        )
        .await;
        assert_eq!(
            data["people"]["nodes"],
            json!([{"id": b_person}]),
            "{}",
            tag("people(email) is B's only")
        );

        // Lists: each organization sees only its own rows.
        let mut b_seen = Vec::new();
        ids_in(
            &expect_data(&b, LISTS, json!({}), &tag("B lists")).await,
            &mut b_seen,
        );
        for id in &a_ids {
            assert!(
                !b_seen.contains(id),
                "{}: B's lists show A's {id}",
                tag("lists")
            );
        }
        let mut a_seen = Vec::new();
        ids_in(
            &expect_data(&a, LISTS, json!({}), &tag("A lists")).await,
            &mut a_seen,
        );
        for id in [&b_team, &b_person, &b_channel] {
            assert!(
                !a_seen.contains(id),
                "{}: A's lists show B's {id}",
                tag("lists")
            );
        }
        for id in [&b_team, &b_person, &b_channel] {
            let data = expect_data(
                &a,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": id}),
                &tag("A node"),
            )
            .await;
            assert!(data["node"].is_null(), "{}: A read B's node", tag("node"));
        }
        // Coverage counts only the caller's organization.
        let covered = expect_data(
            &b,
            "{ coverage { covered } organization { coverage { covered } } }",
            json!({}),
            &tag("B coverage"),
        )
        .await;
        assert_eq!(
            covered["coverage"]["covered"],
            json!([]),
            "{}: A's roles count for B",
            tag("coverage")
        );
        assert_eq!(covered["organization"]["coverage"]["covered"], json!([]));

        // B writes with A's ids: NOT_FOUND, nothing written.
        let before = app.event_count().await;
        let writes: Vec<(&str, &str, Value)> = vec![
            (
                "createTeam under A's team",
                docs::CREATE_TEAM,
                json!({"input": {"name": "Spy", "parentId": team}}),
            ),
            (
                "renameTeam",
                docs::RENAME_TEAM,
                json!({"input": {"teamId": team, "name": "Pwned"}}),
            ),
            (
                "archiveTeam",
                docs::ARCHIVE_TEAM,
                json!({"input": {"teamId": team}}),
            ),
            (
                "updatePerson",
                docs::UPDATE_PERSON,
                json!({"input": {"personId": person, "displayName": "Pwned"}}),
            ),
            (
                "offboardPerson",
                docs::OFFBOARD_PERSON,
                json!({"input": {"personId": person}}),
            ),
            (
                "offboardPerson A's admin",
                docs::OFFBOARD_PERSON,
                json!({"input": {"personId": a_admin_id}}),
            ),
            (
                "assignRole to A's person",
                docs::ASSIGN_ROLE,
                json!({"input": {"personId": person, "function": "SALES", "scope": {"kind": "ORGANIZATION"}, "reason": "r"}}),
            ),
            (
                "assignRole in A's team",
                docs::ASSIGN_ROLE,
                json!({"input": {"personId": b_person, "function": "SALES", "scope": {"kind": "TEAM", "id": team}, "reason": "r"}}),
            ),
            (
                "assignRole on A's channel",
                docs::ASSIGN_ROLE,
                json!({"input": {"personId": b_person, "function": "SALES", "scope": {"kind": "CHANNEL", "id": channel}, "reason": "r"}}),
            ),
            (
                "revokeRole",
                docs::REVOKE_ROLE,
                json!({"input": {"roleAssignmentId": role, "reason": "r"}}),
            ),
            (
                "setReportingLine of A's person",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": person, "managerId": b_person}}),
            ),
            (
                "setReportingLine to A's manager",
                docs::SET_REPORTING_LINE,
                json!({"input": {"personId": b_person, "managerId": person}}),
            ),
            (
                "clearReportingLine",
                docs::CLEAR_REPORTING_LINE,
                json!({"input": {"personId": person}}),
            ),
            (
                "registerChannel in A's team",
                docs::REGISTER_CHANNEL,
                json!({"input": {"teamId": team, "network": "TIKTOK", "handle": "spy"}}),
            ),
            (
                "retireChannel",
                docs::RETIRE_CHANNEL,
                json!({"input": {"channelId": channel}}),
            ),
        ];
        for (what, query, variables) in writes {
            let body = expect_error(&b, query, variables, "NOT_FOUND", None, &tag(what)).await;
            let text = body.to_string();
            assert!(
                !text.contains("A Social") && !text.contains("A Person"),
                "{}: the error leaks A's data: {text}",
                tag(what)
            );
        }
        app.assert_event_count(before, &tag("B's refused writes wrote events")).await;

        // B renames its own organization, not A's.
        let renamed = expect_data(
            &b,
            docs::RENAME_ORGANIZATION,
            json!({"input": {"name": "Globex 2"}}),
            &tag("B rename"),
        )
        .await;
        assert_ne!(
            renamed["renameOrganization"]["organization"]["id"],
            json!(a_org_id)
        );

        // A's data is untouched.
        let data = expect_data(
            &a,
            "query($t: ID!, $p: ID!, $c: ID!) { organization { name } team(id: $t) { name archived } \
             person(id: $p) { displayName status manager { id } roles { nodes { id } } } channel(id: $c) { retired } }",
            json!({"t": team, "p": person, "c": channel}),
            &tag("A after"),
        )
        .await;
        assert_eq!(data["organization"]["name"], "Acme");
        assert_eq!(data["team"], json!({"name": "A Social", "archived": false}));
        assert_eq!(data["person"]["displayName"], "A Person");
        assert_eq!(data["person"]["status"], "ACTIVE");
        assert_eq!(data["person"]["manager"]["id"], json!(a_admin_id));
        assert_eq!(
            data["person"]["roles"]["nodes"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(data["channel"]["retired"], false);

        app.stop().await;
    }
}
