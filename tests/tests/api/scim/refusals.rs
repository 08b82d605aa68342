//! What the SCIM door refuses, in SCIM's error schema and writing nothing: a second
//! active user with one userName (and teams' `addPerson` likewise), filters beyond `eq`
//! and `and`, a stale `If-Match`, tokens without `scim:provision`, another
//! organization's users and groups, a group no admin configured; and paging.

use chorus_tests::scim::{configure_group, scim_client, ScimClient};
use chorus_tests::{backend_tests, expect_error, spawn_app, TestBackend};
use serde_json::{json, Value};

fn user(user_name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": { "givenName": "Sam", "familyName": "Lee" },
        "active": true
    })
}

backend_tests! {
    async fn a_second_active_user_with_one_user_name_is_refused(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        scim.post("/Users", &user("sam@acme.example")).await.expect(201, &tag("first"));
        let before = app.event_count().await;
        scim.post("/Users", &user("Sam@Acme.example")).await
            .expect_error(409, Some("uniqueness"), &tag("second, other case"));
        app.assert_event_count(before, &tag("a refused create")).await;

        // teams' addPerson refuses it too, with its own code.
        expect_error(
            &app.admin(),
            "mutation { addPerson(input: { displayName: \"Sam Two\", email: \"sam@acme.example\", affiliation: INTERNAL }) { person { id } } }",
            json!({}),
            "DUPLICATE_ACTIVE_EMAIL",
            None,
            &tag("addPerson with a taken email"),
        )
        .await;
        app.assert_event_count(before, &tag("a refused addPerson")).await;

        // Changing another user's userName to it is refused as well.
        let other = scim.post("/Users", &user("kim@acme.example")).await;
        let other = other.expect(201, &tag("kim"))["id"].as_str().expect("id").to_owned();
        let before = app.event_count().await;
        scim.patch(&format!("/Users/{other}"), &json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{ "op": "replace", "path": "userName", "value": "sam@acme.example" }]
        })).await.expect_error(409, Some("uniqueness"), &tag("rename onto a taken userName"));
        app.assert_event_count(before, &tag("a refused rename")).await;
        app.stop().await;
    }

    async fn concurrent_creates_of_one_user_name_make_one_user(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let body = user("rush@acme.example");
        let answers = futures::future::join_all((0..8).map(|_| scim.post("/Users", &body))).await;
        let created = answers.iter().filter(|a| a.status == 201).count();
        for answer in answers.iter().filter(|a| a.status != 201) {
            answer.expect_error(409, Some("uniqueness"), &tag("a concurrent duplicate"));
        }
        assert_eq!(created, 1, "{}", tag("one user"));
        let found = scim.filter("/Users", r#"userName eq "rush@acme.example""#, "").await;
        assert_eq!(found.expect(200, &tag("lookup"))["totalResults"], 1);
        app.stop().await;
    }

    async fn filters_paging_versions_and_bad_requests(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        for filter in [
            r#"userName co "acme""#,
            r#"userName eq "a" or userName eq "b""#,
            r#"title eq "Manager""#,
            "userName pr",
        ] {
            scim.filter("/Users", filter, "").await
                .expect_error(400, Some("invalidFilter"), &tag(filter));
        }
        scim.filter("/Groups", r#"members eq "x""#, "").await
            .expect_error(400, Some("invalidFilter"), &tag("groups filter"));

        let mut ids = Vec::new();
        for n in 0..3 {
            let created = scim.post("/Users", &user(&format!("p{n}@acme.example"))).await;
            ids.push(created.expect(201, &tag("create"))["id"].as_str().expect("id").to_owned());
        }
        // The admin is a person too: four people, in creation order.
        let all = scim.get("/Users?startIndex=1&count=100").await;
        let all = all.expect(200, &tag("all")).clone();
        assert_eq!(all["totalResults"], 4);
        let page = scim.get("/Users?startIndex=3&count=1").await;
        let page = page.expect(200, &tag("page"));
        assert_eq!(page["totalResults"], 4, "{}", tag("integer total"));
        assert_eq!(page["startIndex"], 3);
        assert_eq!(page["itemsPerPage"], 1);
        assert_eq!(page["Resources"][0]["id"], all["Resources"][2]["id"], "{}", tag("stable order"));
        assert_eq!(all["Resources"][3]["id"], ids[2].as_str());
        let empty = scim.get("/Users?count=0").await;
        assert_eq!(empty.expect(200, &tag("count=0"))["Resources"], json!([]));

        // If-Match: a stale version is refused and writes nothing; the current one passes.
        let id = &ids[0];
        let current = scim.get(&format!("/Users/{id}")).await;
        let etag = current.etag.clone().expect("ETag");
        let rename = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{ "op": "replace", "path": "displayName", "value": "Sam Renamed" }]
        });
        let before = app.event_count().await;
        scim.send(reqwest::Method::PATCH, &format!("/Users/{id}"), Some(&rename), Some("W/\"0000\"")).await
            .expect_error(412, None, &tag("stale If-Match"));
        app.assert_event_count(before, &tag("a refused If-Match")).await;
        let renamed = scim
            .send(reqwest::Method::PATCH, &format!("/Users/{id}"), Some(&rename), Some(&etag))
            .await;
        renamed.expect(200, &tag("current If-Match"));
        assert_ne!(renamed.etag.as_deref(), Some(etag.as_str()), "{}", tag("a new version"));
        scim.send(reqwest::Method::PUT, &format!("/Users/{id}"), Some(&user("p0@acme.example")), Some(&etag)).await
            .expect_error(412, None, &tag("the old version after the change"));

        // Bad bodies and unknown ids.
        scim.post("/Users", &json!({ "schemas": [], "name": {} })).await
            .expect_error(400, Some("invalidValue"), &tag("no userName"));
        scim.post("/Users", &user("not an email")).await
            .expect_error(400, Some("invalidValue"), &tag("userName not an email"));
        scim.patch(&format!("/Users/{id}"), &json!({ "Operations": [{ "op": "move", "path": "x" }] })).await
            .expect_error(400, Some("invalidSyntax"), &tag("unknown op"));
        scim.get("/Users/not-a-uuid").await.expect_error(404, None, &tag("not a uuid"));
        scim.get(&format!("/Users/{}", uuid::Uuid::now_v7())).await.expect_error(404, None, &tag("unknown id"));
        scim.post("/Groups", &json!({ "displayName": "Nobody mapped this" })).await
            .expect_error(400, Some("invalidValue"), &tag("an unconfigured group"));
        for path in ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"] {
            scim.get(path).await.expect(200, &tag(path));
        }
        app.stop().await;
    }

    async fn only_scim_tokens_of_the_organization_reach_its_users(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let scim = scim_client(&app).await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let team = app.create_team("Social", None).await;
        let group = configure_group(&app, "Social", &team, "SOCIAL_MEDIA").await;
        let id = scim.post("/Users", &user("sam@acme.example")).await
            .expect(201, &tag("create"))["id"].as_str().expect("id").to_owned();

        // Admins see the mappings over GraphQL; nobody else does.
        let listed = chorus_tests::expect_data(
            &app.admin(),
            "{ scimGroups(first: 10) { edges { node { scimId displayName function scopeKind scopeId } } } }",
            json!({}),
            &tag("scimGroups"),
        )
        .await;
        let node = &listed["scimGroups"]["edges"][0]["node"];
        assert_eq!(node["scimId"], group.as_str(), "{}: {listed}", tag("the group"));
        assert_eq!(node["function"], "SOCIAL_MEDIA");
        assert_eq!(node["scopeId"], team.as_str());
        let reader = app.client(Some(&app.token_for_service(&["teams:read"]).await));
        expect_error(&reader, "{ scimGroups { edges { node { scimId } } } }", json!({}), "FORBIDDEN", None, &tag("scimGroups for a reader")).await;

        let writer = ScimClient::new(&app, &app.token_for_service(&["teams:write"]).await);
        writer.get("/Users").await.expect_error(403, None, &tag("teams:write only"));
        let admin = ScimClient::new(&app, &app.admin_token);
        admin.get("/Users").await.expect_error(403, None, &tag("a person's token"));
        ScimClient::new(&app, "not-a-token").get("/Users").await
            .expect_error(401, None, &tag("no valid token"));

        // A scim:provision token changes nothing over GraphQL.
        let provisioner = app.client(Some(&app.token_for_service(&["scim:provision"]).await));
        let before = app.event_count().await;
        expect_error(
            &provisioner,
            "mutation { addPerson(input: { displayName: \"X\", email: \"x@acme.example\", affiliation: INTERNAL }) { person { id } } }",
            json!({}),
            "FORBIDDEN",
            None,
            &tag("scim:provision over GraphQL"),
        )
        .await;
        app.assert_event_count(before, &tag("nothing written over GraphQL")).await;

        let other = app.second_org("Globex", "admin@globex.example").await;
        let token = chorus_server::cli::token_for_service(
            app.state(),
            other.organization_id,
            &["scim:provision".to_owned()],
            None,
            Some("globex scim"),
        )
        .await
        .expect("token")
        .token;
        let globex = ScimClient::new(&app, &token);
        globex.get(&format!("/Users/{id}")).await.expect_error(404, None, &tag("another org's user"));
        let before = app.event_count().await;
        globex.patch(&format!("/Users/{id}"), &json!({
            "Operations": [{ "op": "replace", "value": { "active": false } }]
        })).await.expect_error(404, None, &tag("another org's user, patched"));
        globex.delete(&format!("/Users/{id}")).await.expect_error(404, None, &tag("another org's user, deleted"));
        app.assert_event_count(before, &tag("nothing written for another org")).await;
        let listed = globex.filter("/Users", r#"userName eq "sam@acme.example""#, "").await;
        assert_eq!(listed.expect(200, &tag("another org's list"))["totalResults"], 0);
        globex.get(&format!("/Groups/{group}")).await.expect_error(404, None, &tag("another org's group"));
        globex.patch(&format!("/Groups/{group}"), &json!({
            "Operations": [{ "op": "add", "path": "members", "value": [{ "value": id }] }]
        })).await.expect_error(404, None, &tag("another org's group, patched"));
        // Nor can a member of another organization be added to a group.
        let outsider = globex.post("/Users", &user("out@globex.example")).await
            .expect(201, &tag("globex user"))["id"].as_str().expect("id").to_owned();
        // … and a change naming one writes nothing, not even for the valid members.
        let before = app.event_count().await;
        scim.patch(&format!("/Groups/{group}"), &json!({
            "Operations": [{ "op": "add", "path": "members", "value": [{ "value": id }, { "value": outsider }] }]
        })).await.expect_error(400, Some("invalidValue"), &tag("another org's person as member"));
        app.assert_event_count(before, &tag("a refused membership change")).await;
        app.stop().await;
    }
}
