//! The requests Microsoft Entra ID's provisioning service sends, in its order (and with
//! its quirks): look a user up by `userName`, create it with the enterprise extension,
//! PATCH with capitalised ops and filtered paths, set the manager as a bare id, a
//! path-less replace with dotted keys, disable with `"False"`, delete; push a group
//! (looked up with `excludedAttributes=members`) and add and remove members with
//! `{"$ref": null, "value": …}`.

use chorus_tests::scim::{configure_group, scim_client, scim_id};
use chorus_tests::{backend_tests, spawn_app, TestBackend};
use serde_json::json;

use super::{active_roles, person};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

backend_tests! {
    async fn entra_provisions_patches_disables_and_deletes_a_user(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let manager = scim_id(&app.add_person("Mo Manager", "mo@contoso.example").await);
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let user_name = "Test_User_dfeef4c5@contoso.example";

        let lookup = scim.filter("/Users", &format!("userName eq \"{user_name}\""), "").await;
        assert_eq!(lookup.expect(200, &tag("lookup"))["totalResults"], 0);

        let created = scim
            .post("/Users", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                "userName": user_name,
                "active": true,
                "addresses": [{ "primary": true, "type": "work", "country": "NL" }],
                "displayName": "Test User",
                "emails": [{ "primary": true, "type": "work", "value": user_name }],
                "meta": { "resourceType": "User" },
                "name": { "formatted": "Test User", "familyName": "User", "givenName": "Test" },
                "title": "Strategist",
                "roles": [],
                ENTERPRISE: { "employeeNumber": "701984", "department": "Marketing" }
            }))
            .await;
        let user = created.expect(201, &tag("create")).clone();
        let id = user["id"].as_str().expect("id").to_owned();
        assert_eq!(user[ENTERPRISE]["employeeNumber"], "701984");

        let found = scim.filter("/Users", &format!("userName eq \"{user_name}\""), "").await;
        assert_eq!(found.expect(200, &tag("lookup again"))["Resources"][0]["id"], id.as_str());
        let by_external = scim
            .filter("/Users", r#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef" and displayName eq "Test User""#, "")
            .await;
        assert_eq!(by_external.expect(200, &tag("externalId and displayName"))["totalResults"], 1);

        let patched = scim
            .patch(&format!("/Users/{id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    { "op": "Replace", "path": "name.familyName", "value": "Updated" },
                    { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": user_name },
                    { "op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": manager },
                    { "op": "Replace", "path": format!("{ENTERPRISE}:department"), "value": "Social" }
                ]
            }))
            .await;
        let user = patched.expect(200, &tag("patch")).clone();
        assert_eq!(user["name"]["familyName"], "Updated");
        assert_eq!(user[ENTERPRISE]["manager"]["value"], manager.as_str());
        assert_eq!(user[ENTERPRISE]["department"], "Social");
        let teams = person(&app, &id).await;
        assert_eq!(
            teams["manager"]["id"].as_str().map(chorus_tests::uuid_of).map(|u| u.to_string()),
            Some(manager.clone()),
            "{}: {teams}", tag("manager as a bare id")
        );

        // A path-less replace whose keys are paths, as Entra sends it.
        let dotted = scim
            .patch(&format!("/Users/{id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "replace", "value": {
                    "displayName": "Tess User",
                    "name.givenName": "Tess",
                    format!("{ENTERPRISE}:employeeNumber"): "701985"
                } }]
            }))
            .await;
        let user = dotted.expect(200, &tag("dotted keys")).clone();
        assert_eq!(user["displayName"], "Tess User");
        assert_eq!(user["name"]["givenName"], "Tess");
        assert_eq!(user[ENTERPRISE]["employeeNumber"], "701985");
        assert_eq!(person(&app, &id).await["displayName"], "Tess User");

        // The manager leaves the user.
        let cleared = scim
            .patch(&format!("/Users/{id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "Remove", "path": format!("{ENTERPRISE}:manager") }]
            }))
            .await;
        assert!(cleared.expect(200, &tag("remove manager"))[ENTERPRISE].get("manager").is_none());
        assert!(person(&app, &id).await["manager"].is_null(), "{}", tag("line cleared"));

        // Disable, with the boolean as a string.
        let disabled = scim
            .patch(&format!("/Users/{id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "Replace", "path": "active", "value": "False" }]
            }))
            .await;
        assert_eq!(disabled.expect(200, &tag("disable"))["active"], false);
        assert_eq!(person(&app, &id).await["status"], "OFFBOARDED");
        let after = scim.filter("/Users", &format!("userName eq \"{user_name}\""), "").await;
        assert_eq!(after.expect(200, &tag("disabled lookup"))["Resources"][0]["active"], false);

        // Delete: the person stays offboarded (their history is kept).
        let other = scim
            .post("/Users", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "leaver@contoso.example",
                "active": "True"
            }))
            .await;
        let leaver = other.expect(201, &tag("boolean string on create"))["id"].as_str().expect("id").to_owned();
        assert_eq!(scim.delete(&format!("/Users/{leaver}")).await.status, 204, "{}", tag("delete"));
        assert_eq!(person(&app, &leaver).await["status"], "OFFBOARDED", "{}", tag("delete offboards"));
        app.stop().await;
    }

    async fn entra_pushes_a_group_and_changes_its_members(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let team = app.create_team("Customer care", None).await;
        let group_id = configure_group(&app, "Care agents", &team, "CUSTOMER_SERVICE").await;
        let mut people = Vec::new();
        for n in 0..2 {
            let created = scim
                .post("/Users", &json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": format!("agent{n}@contoso.example"),
                    "displayName": format!("Agent {n}"),
                    "active": true
                }))
                .await;
            people.push(created.expect(201, &tag("agent"))["id"].as_str().expect("id").to_owned());
        }

        let lookup = scim
            .filter("/Groups", r#"displayName eq "Care agents""#, "&excludedAttributes=members")
            .await;
        let body = lookup.expect(200, &tag("group lookup"));
        assert_eq!(body["totalResults"], 1);
        assert!(body["Resources"][0].get("members").is_none(), "{}", tag("members excluded"));

        let created = scim
            .post("/Groups", &json!({
                "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
                "displayName": "Care agents",
                "meta": { "resourceType": "Group" },
                "members": [{ "value": people[0] }],
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]
            }))
            .await;
        let group = created.expect(201, &tag("create group")).clone();
        assert_eq!(group["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
        assert_eq!(group["members"].as_array().map(Vec::len), Some(1));
        scim.post("/Groups", &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Care agents"
        })).await.expect_error(409, Some("uniqueness"), &tag("pushed twice"));

        let added = scim
            .patch(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "Add", "path": "members", "value": [{ "$ref": null, "value": people[1] }] }]
            }))
            .await;
        assert_eq!(added.expect(200, &tag("add"))["members"].as_array().map(Vec::len), Some(2));
        assert_eq!(active_roles(&person(&app, &people[1]).await)[0]["reason"], "SCIM group Care agents");

        let removed = scim
            .patch(&format!("/Groups/{group_id}"), &json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{ "op": "Remove", "path": "members", "value": [{ "$ref": null, "value": people[0] }] }]
            }))
            .await;
        let members = removed.expect(200, &tag("remove"))["members"].clone();
        assert_eq!(members.as_array().map(Vec::len), Some(1), "{}: {members}", tag("one left"));
        assert_eq!(members[0]["value"], people[1].as_str());
        let first = person(&app, &people[0]).await;
        assert!(active_roles(&first).is_empty(), "{}: {first}", tag("revoked"));
        let revoked = &first["roles"]["edges"][0]["node"];
        assert_eq!(revoked["revokeReason"], "SCIM group Care agents: membership removed");
        app.stop().await;
    }
}
