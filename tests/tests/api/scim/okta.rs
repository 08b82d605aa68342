//! The requests Okta's SCIM 2.0 integration sends, in its order: look a user up by
//! `userName`, create it, read it, replace it with PUT (profile and manager changes),
//! deactivate it with a path-less PATCH; push a group (look up by `displayName`,
//! create), add and remove members, rename it, delete it.

use chorus_tests::scim::{configure_group, scim_client, scim_id};
use chorus_tests::{backend_tests, spawn_app, TestBackend};
use serde_json::json;

use super::{active_roles, person};

backend_tests! {
    async fn okta_provisions_updates_and_deactivates_a_user(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let manager = scim_id(&app.add_person("Mona Manager", "mona@acme.example").await);
        let tag = |what: &str| format!("[{backend:?}] {what}");

        let lookup = scim
            .filter("/Users", r#"userName eq "jane.doe@acme.example""#, "&startIndex=1&count=100")
            .await;
        let body = lookup.expect(200, &tag("lookup before create"));
        assert_eq!(body["totalResults"], 0, "{}", tag("no user yet"));
        assert_eq!(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
        assert!(
            lookup.content_type.as_deref().is_some_and(|c| c.starts_with("application/scim+json")),
            "{}: {:?}", tag("content type"), lookup.content_type
        );

        let created = scim
            .post(
                "/Users",
                &json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": "jane.doe@acme.example",
                    "name": { "givenName": "Jane", "familyName": "Doe" },
                    "emails": [{ "primary": true, "value": "jane.doe@acme.example", "type": "work" }],
                    "displayName": "Jane Doe",
                    "locale": "en-US",
                    "externalId": "00ujl29u0le5T6Aj10h7",
                    "groups": [],
                    "password": "1mz050nq",
                    "active": true
                }),
            )
            .await;
        let user = created.expect(201, &tag("create")).clone();
        let id = user["id"].as_str().expect("id").to_owned();
        assert_eq!(user["userName"], "jane.doe@acme.example");
        assert_eq!(user["name"]["givenName"], "Jane");
        assert_eq!(user["active"], true);
        assert_eq!(user["externalId"], "00ujl29u0le5T6Aj10h7");
        let version = user["meta"]["version"].as_str().expect("meta.version").to_owned();
        assert!(version.starts_with("W/\""), "{}: {version}", tag("weak etag"));
        assert_eq!(created.etag.as_deref(), Some(version.as_str()), "{}", tag("ETag header"));

        let found = scim
            .filter("/Users", r#"userName eq "jane.doe@acme.example""#, "&startIndex=1&count=100")
            .await;
        let body = found.expect(200, &tag("lookup after create"));
        assert_eq!(body["totalResults"], 1);
        assert_eq!(body["Resources"][0]["id"], id.as_str());

        let read = scim.get(&format!("/Users/{id}")).await;
        assert_eq!(read.expect(200, &tag("get"))["displayName"], "Jane Doe");
        let teams = person(&app, &id).await;
        assert_eq!(teams["email"], "jane.doe@acme.example", "{}", tag("a person of teams"));
        assert_eq!(teams["status"], "ACTIVE");

        // Okta updates profiles with PUT: the whole user, here a new family name, an
        // employee number, a department and a manager.
        let replaced = scim
            .put(
                &format!("/Users/{id}"),
                &json!({
                    "schemas": [
                        "urn:ietf:params:scim:schemas:core:2.0:User",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
                    ],
                    "id": id,
                    "userName": "jane.doe@acme.example",
                    "name": { "givenName": "Jane", "familyName": "Smith" },
                    "emails": [{ "primary": true, "value": "jane.doe@acme.example", "type": "work" }],
                    "displayName": "Jane Smith",
                    "externalId": "00ujl29u0le5T6Aj10h7",
                    "active": true,
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                        "employeeNumber": "E-1001",
                        "department": "Social",
                        "manager": { "value": manager }
                    }
                }),
            )
            .await;
        let user = replaced.expect(200, &tag("put")).clone();
        assert_eq!(user["displayName"], "Jane Smith");
        assert_eq!(user["name"]["familyName"], "Smith");
        let enterprise = &user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"];
        assert_eq!(enterprise["employeeNumber"], "E-1001");
        assert_eq!(enterprise["department"], "Social");
        assert_eq!(enterprise["manager"]["value"], manager.as_str());
        assert_ne!(user["meta"]["version"].as_str(), Some(version.as_str()), "{}", tag("new version"));
        let teams = person(&app, &id).await;
        assert_eq!(teams["displayName"], "Jane Smith");
        assert_eq!(
            teams["manager"]["id"].as_str().map(chorus_tests::uuid_of).map(|u| u.to_string()),
            Some(manager.clone()),
            "{}: {teams}", tag("the reporting line in teams")
        );

        // The same PUT again writes nothing.
        let before = app.event_count().await;
        scim.put(&format!("/Users/{id}"), &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "jane.doe@acme.example",
            "name": { "givenName": "Jane", "familyName": "Smith" },
            "displayName": "Jane Smith",
            "active": true,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": "E-1001", "department": "Social", "manager": { "value": manager }
            }
        })).await.expect(200, &tag("put again"));
        app.assert_event_count(before, &tag("an unchanged PUT")).await;

        // Deactivation: Okta never deletes.
        let deactivated = scim
            .patch(
                &format!("/Users/{id}"),
                &json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{ "op": "replace", "value": { "active": false } }]
                }),
            )
            .await;
        assert_eq!(deactivated.expect(200, &tag("deactivate"))["active"], false);
        assert_eq!(person(&app, &id).await["status"], "OFFBOARDED", "{}", tag("offboarded"));

        // The email is free again: Okta may provision a new user with it.
        let again = scim
            .post("/Users", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "jane.doe@acme.example",
                "name": { "givenName": "Jane", "familyName": "Smith" },
                "active": true
            }))
            .await;
        again.expect(201, &tag("the email of an offboarded person"));
        let all = scim
            .filter("/Users", r#"userName eq "jane.doe@acme.example""#, "")
            .await;
        assert_eq!(all.expect(200, &tag("both"))["totalResults"], 2);
        app.stop().await;
    }

    async fn okta_pushes_a_group_and_its_members_get_and_lose_the_role(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let team = app.create_team("Social", None).await;
        let group_id = configure_group(&app, "Social Media Managers", &team, "SOCIAL_MEDIA").await;
        let jane = scim
            .post("/Users", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "jane@acme.example",
                "name": { "givenName": "Jane", "familyName": "Doe" },
                "active": true
            }))
            .await
            .expect(201, &tag("jane"))["id"]
            .as_str()
            .expect("id")
            .to_owned();

        let lookup = scim
            .filter("/Groups", r#"displayName eq "Social Media Managers""#, "&startIndex=1&count=100")
            .await;
        let body = lookup.expect(200, &tag("group lookup"));
        assert_eq!(body["totalResults"], 1);
        assert_eq!(body["Resources"][0]["id"], group_id.as_str());

        let created = scim
            .post("/Groups", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Social Media Managers",
                "members": []
            }))
            .await;
        assert_eq!(created.expect(201, &tag("push group"))["id"], group_id.as_str());

        let added = scim
            .patch(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{
                    "op": "add",
                    "path": "members",
                    "value": [{ "value": jane, "display": "jane@acme.example" }]
                }]
            }))
            .await;
        let group = added.expect(200, &tag("add member"));
        assert_eq!(group["members"][0]["value"], jane.as_str());
        let roles = active_roles(&person(&app, &jane).await);
        assert_eq!(roles.len(), 1, "{}: {roles:?}", tag("the group's role"));
        assert_eq!(roles[0]["function"], "SOCIAL_MEDIA");
        assert_eq!(roles[0]["reason"], "SCIM group Social Media Managers");
        assert_eq!(roles[0]["scope"]["team"]["id"], team.as_str());

        let removed = scim
            .patch(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "remove", "path": format!("members[value eq \"{jane}\"]") }]
            }))
            .await;
        assert_eq!(removed.expect(200, &tag("remove member"))["members"], json!([]));
        let jane_now = person(&app, &jane).await;
        assert!(active_roles(&jane_now).is_empty(), "{}: {jane_now}", tag("role revoked"));

        let renamed = scim
            .patch(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "replace", "value": { "id": group_id, "displayName": "Social Managers" } }]
            }))
            .await;
        assert_eq!(renamed.expect(200, &tag("rename"))["displayName"], "Social Managers");

        // Okta's older group push replaces the whole group with PUT.
        let put = scim
            .put(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "id": group_id,
                "displayName": "Social Managers",
                "members": [{ "value": jane, "display": "jane@acme.example" }]
            }))
            .await;
        assert_eq!(put.expect(200, &tag("put group"))["members"][0]["value"], jane.as_str());
        assert_eq!(active_roles(&person(&app, &jane).await).len(), 1);
        assert_eq!(scim.delete(&format!("/Groups/{group_id}")).await.status, 204, "{}", tag("delete"));
        assert!(active_roles(&person(&app, &jane).await).is_empty(), "{}", tag("delete revokes"));
        scim.get(&format!("/Groups/{group_id}")).await.expect_error(404, None, &tag("deleted"));
        app.stop().await;
    }
}
