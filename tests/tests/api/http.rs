//! GraphQL over HTTP: GET and POST, GraphiQL, batches, health endpoints, limits,
//! introspection and the `Chorus-Consistent-With` header.
//!
//! Raw requests on purpose: this file tests the protocol itself (methods, batches,
//! content types, body and depth limits, introspection, headers).

use chorus_tests::TeamsApi;
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, first_code, spawn_app, TestBackend,
};
use serde_json::json;

backend_tests! {
    async fn graphql_over_http_get_post_and_batches(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let http = reqwest::Client::new();
        let tag = |what: &str| format!("[{backend:?}] {what}");

        // Health.
        for path in ["/healthz", "/readyz"] {
            let response = http
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .expect("health");
            assert_eq!(response.status().as_u16(), 200, "{}", tag(path));
        }

        // GET with a query (and variables).
        let get = admin
            .get("{ organization { name } }", None)
            .await
            .expect("GET");
        assert_eq!(get.status, 200, "{}: {}", tag("GET query"), get.body);
        assert_eq!(get.json()["data"]["organization"]["name"], "Acme");
        let team = app.create_team("Social", None).await;
        let get = admin
            .get(
                "query($id: ID!) { team(id: $id) { name } }",
                Some(&json!({"id": team})),
            )
            .await
            .expect("GET with variables");
        assert_eq!(
            get.json()["data"]["team"]["name"],
            "Social",
            "{}: {}",
            tag("GET variables"),
            get.body
        );

        // A mutation over GET is refused with 405 and writes nothing.
        let before = app.event_count().await;
        let get = admin
            .get(
                "mutation { createTeam(input: { name: \"Via GET\" }) { team { id } } }",
                None,
            )
            .await
            .expect("GET mutation");
        assert_eq!(
            get.status,
            405,
            "{}: {}",
            tag("mutation over GET"),
            get.body
        );
        assert!(
            first_code(&get.json()).is_some(),
            "{}: {}",
            tag("405 has a code"),
            get.body
        );
        let get = admin
            .get("query Q { viewer { isAdmin } } mutation M { createTeam(input: { name: \"Sneaky\" }) { team { id } } }", None)
            .await
            .expect("GET with two operations");
        assert_ne!(
            get.status,
            200,
            "{}: {}",
            tag("GET with a mutation among operations"),
            get.body
        );
        app.assert_event_count(before, &tag("GET wrote events")).await;

        // GET without a query: GraphiQL.
        let page = http
            .get(format!("{}/graphql", app.address))
            .send()
            .await
            .expect("GraphiQL");
        assert_eq!(page.status().as_u16(), 200);
        let content_type = chorus_tests::header(&page, "content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("text/html"),
            "{}: {content_type}",
            tag("GraphiQL content type")
        );
        let html = page.text().await.expect("html");
        assert!(
            html.to_lowercase().contains("graphiql"),
            "{}",
            tag("GraphiQL page")
        );

        // POST batches: up to 10 operations, each answered in order.
        let batch: Vec<_> = (0..10)
            .map(|i| json!({"query": "query($i: Int) { teams(first: $i) { nodes { id } } }", "variables": {"i": i % 2}}))
            .collect();
        let response = admin.post(&batch).await.expect("batch");
        assert_eq!(
            response.status,
            200,
            "{}: {}",
            tag("batch of 10"),
            response.body
        );
        let answers = response.json();
        let answers = answers.as_array().expect("a batch answer is an array");
        assert_eq!(answers.len(), 10);
        for (i, answer) in answers.iter().enumerate() {
            assert_eq!(
                answer["data"]["teams"]["nodes"].as_array().map(Vec::len),
                Some(i % 2),
                "{}",
                tag("batch order")
            );
        }
        let mixed = admin
            .post(&json!([
                {"query": docs::CREATE_TEAM, "variables": {"input": {"name": "Batched"}}},
                {"query": "{ teams(first: 100) { nodes { name } } }"}
            ]))
            .await
            .expect("mixed batch");
        let mixed = mixed.json();
        assert_eq!(
            mixed[0]["data"]["createTeam"]["team"]["name"],
            "Batched",
            "{}: {mixed}",
            tag("batched mutation")
        );
        let too_many: Vec<_> = (0..11)
            .map(|_| json!({"query": "{ viewer { isAdmin } }"}))
            .collect();
        let before = app.event_count().await;
        let response = admin.post(&too_many).await.expect("batch of 11");
        assert_eq!(
            response.status,
            400,
            "{}: {}",
            tag("batch of 11"),
            response.body
        );
        assert_eq!(
            first_code(&response.json()).as_deref(),
            Some("BAD_USER_INPUT"),
            "{}",
            tag("batch limit code")
        );
        let too_many_writes: Vec<_> = (0..11)
            .map(|i| json!({"query": docs::CREATE_TEAM, "variables": {"input": {"name": format!("T{i}")}}}))
            .collect();
        let response = admin
            .post(&too_many_writes)
            .await
            .expect("batch of 11 mutations");
        assert_eq!(response.status, 400, "{}", tag("batch of 11 mutations"));
        app.assert_event_count(before, &tag("refused batch wrote events")).await;

        // Malformed bodies.
        let response = http
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&app.admin_token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("malformed");
        assert_eq!(response.status().as_u16(), 400, "{}", tag("malformed JSON"));
        let body = admin.raw("", json!({})).await.expect("empty query");
        assert!(
            first_code(&body).is_some(),
            "{}: {body}",
            tag("empty query")
        );

        // The depth limit, pinned at its configured value: `viewer { person { manager^n
        // { id } } }` is n + 3 deep, so the deepest allowed query passes and one more level
        // is refused with a code.
        let max_depth = chorus_server::config::LimitsConfig::default().max_depth;
        let nested = |depth: usize| {
            let levels = depth - 3;
            format!(
                "{{ viewer {{ person {{ {}id{} }} }} }}",
                "manager { ".repeat(levels),
                " }".repeat(levels)
            )
        };
        let body = admin
            .raw(&nested(max_depth + 1), json!({}))
            .await
            .expect("deep query");
        assert!(body["data"].is_null(), "{}: {body}", tag("deep query ran"));
        assert!(
            first_code(&body).is_some(),
            "{}: no code in {body}",
            tag("depth limit")
        );
        let message = body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            message.contains("nested") || message.contains("depth"),
            "{}: {message}",
            tag("refused for its depth")
        );
        let body = admin
            .raw(&nested(max_depth), json!({}))
            .await
            .expect("query at the depth limit");
        assert!(
            body.get("errors").is_none(),
            "{}: {body}",
            tag("a query exactly at the depth limit is refused")
        );

        // Complexity limit (5000): a query that could touch 100 × 100 rows is refused
        // with a code.
        let wide = "{ teams(first: 100) { edges { node { channels(first: 100) { edges { node { id handle } } } } } } }";
        let body = admin.raw(wide, json!({})).await.expect("wide query");
        assert!(body["data"].is_null(), "{}", tag("a too complex query ran"));
        assert!(
            first_code(&body).is_some(),
            "{}: no code in {}",
            tag("complexity limit"),
            body["errors"][0]
        );
        let message = body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            message.contains("complex"),
            "{}: {message}",
            tag("refused for its complexity")
        );

        // Introspection works in development.
        let data = expect_data(
            &admin,
            "{ __schema { queryType { name } mutationType { name } subscriptionType { name } } __type(name: \"Team\") { fields { name } } }",
            json!({}),
            &tag("introspection"),
        )
        .await;
        assert_eq!(data["__schema"]["queryType"]["name"], "Query");
        assert_eq!(data["__schema"]["mutationType"]["name"], "Mutation");
        assert_eq!(data["__schema"]["subscriptionType"]["name"], "Subscription");
        let fields = data["__type"]["fields"].as_array().expect("fields");
        assert!(
            fields.iter().any(|f| f["name"] == "members"),
            "{}",
            tag("Team.members")
        );

        // Chorus-Consistent-With.
        let position = admin.create_team("Fresh", None).await.expect("create").position;
        let fresh = admin.consistent_with(position.clone());
        let data = expect_data(
            &fresh,
            "{ teams(first: 100, filter: { nameContains: \"fresh\" }) { nodes { name } } }",
            json!({}),
            &tag("consistent read"),
        )
        .await;
        assert_eq!(data["teams"]["nodes"], json!([{"name": "Fresh"}]));
        let get = fresh
            .get("{ organization { name } }", None)
            .await
            .expect("GET with header");
        assert_eq!(get.status, 200, "{}", tag("GET with the header"));
        for garbage in ["yesterday", "-1", "1.5", "99999999999"] {
            let response = admin
                .consistent_with(garbage)
                .post(&json!({"query": "{ viewer { isAdmin } }"}))
                .await
                .expect("garbage header");
            assert_eq!(
                response.status,
                400,
                "{}: {garbage}: {}",
                tag("garbage Chorus-Consistent-With"),
                response.body
            );
            let body = response.json();
            assert_eq!(
                first_code(&body).as_deref(),
                Some("BAD_USER_INPUT"),
                "{}: {garbage}: {body}",
                tag("header code")
            );
        }

        app.stop().await;
    }
}

backend_tests! {
    /// The request body is bounded, JSON only, and read only after the token was accepted;
    /// every refusal carries a code.
    async fn request_bodies_are_bounded_json_with_coded_errors(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let http = reqwest::Client::new();
        let url = format!("{}/graphql", app.address);
        let bearer = format!("Bearer {}", app.admin_token);
        let code = |body: &serde_json::Value| first_code(body).unwrap_or_default();

        // Without a token nothing else matters: 401 before the body is considered.
        let response = http
            .post(&url)
            .header("content-type", "application/json")
            .body(vec![b' '; 2 << 20])
            .send()
            .await
            .expect("unauthenticated post");
        assert_eq!(response.status().as_u16(), 401, "[{backend:?}] no token");

        // The body limit, pinned at 1 MiB: a request of exactly 1 MiB is served, one byte
        // more is refused.
        let sized = |bytes: usize| {
            let head = "{\"query\": \"{ viewer { scopes } }\", \"x\": \"";
            let tail = "\"}";
            format!("{head}{}{tail}", "a".repeat(bytes - head.len() - tail.len()))
        };
        let at_limit = http
            .post(&url)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body(sized(1 << 20))
            .send()
            .await
            .expect("post at the limit");
        assert_eq!(
            at_limit.status().as_u16(),
            200,
            "[{backend:?}] a body of exactly 1 MiB is served"
        );
        let too_large = sized((1 << 20) + 1);
        let response = http
            .post(&url)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body(too_large)
            .send()
            .await
            .expect("large post");
        assert_eq!(
            response.status().as_u16(),
            413,
            "[{backend:?}] body over 1 MiB"
        );
        let body: serde_json::Value = response.json().await.expect("json error body");
        assert_eq!(code(&body), "BAD_USER_INPUT");

        let response = http
            .post(&url)
            .header("authorization", &bearer)
            .header("content-type", "multipart/form-data; boundary=x")
            .body("--x--")
            .send()
            .await
            .expect("multipart post");
        assert_eq!(
            response.status().as_u16(),
            415,
            "[{backend:?}] multipart refused"
        );

        let response = http
            .post(&url)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("malformed post");
        assert_eq!(
            response.status().as_u16(),
            400,
            "[{backend:?}] malformed JSON"
        );
        let body: serde_json::Value = response.json().await.expect("json error body");
        assert_eq!(
            code(&body),
            "BAD_USER_INPUT",
            "[{backend:?}] malformed JSON has a code"
        );

        // A malformed DateTime argument is the client's input, not an internal error.
        let team = app.create_team("Social", None).await;
        expect_error(
            &app.admin(),
            "query($id: ID!) { roleHolders(teamId: $id, function: LEGAL, at: \"yesterday\") { edges { cursor } } }",
            json!({"id": team}),
            "BAD_USER_INPUT",
            None,
            &format!("[{backend:?}] bad DateTime"),
        )
        .await;
        app.stop().await;
    }
}

backend_tests! {
    /// `environment = "production"`: no GraphiQL page, no introspection, no field
    /// suggestions (they hand a stranger the schema); the API itself works as ever.
    async fn production_mode_serves_no_schema_to_strangers(backend: TestBackend) {
        let app = chorus_tests::spawn_app_with(backend, |config| {
            config.environment = chorus_server::config::Environment::Production;
        })
        .await;
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let admin = app.admin();
        let http = reqwest::Client::new();

        let page = http
            .get(format!("{}/graphql", app.address))
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET /graphql");
        assert_eq!(page.status().as_u16(), 400, "{}", tag("no GraphiQL page"));
        let body = page.text().await.unwrap_or_default();
        assert!(!body.contains("GraphiQL"), "{}: {body}", tag("no GraphiQL page"));

        let introspection = admin
            .raw("{ __schema { queryType { name } } }", json!({}))
            .await
            .expect("introspection request");
        assert!(
            introspection["data"].is_null() || introspection["data"]["__schema"].is_null(),
            "{}: {introspection}",
            tag("introspection is off")
        );

        let misspelled = admin
            .raw("{ viewr { organization { name } } }", json!({}))
            .await
            .expect("misspelled request");
        let message = misspelled["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{}: {misspelled}", tag("refused"));
        assert!(
            !message.contains("Did you mean"),
            "{}: {message}",
            tag("no suggestions")
        );

        let data = expect_data(&admin, "{ viewer { organization { name } } }", json!({}), &tag("a query")).await;
        assert_eq!(data["viewer"]["organization"]["name"], "Acme", "{}", tag("the API works"));
        app.stop().await;
    }
}

backend_tests! {
    /// An internal failure (here, a read-model row no code path could have written) is
    /// answered with code INTERNAL and the message "internal error": the cause stays in
    /// the server's log, never in the response.
    async fn internal_causes_are_never_sent(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let person = app.add_person("Rita Row", "rita@acme.example").await;
        // By name: ids are stored natively per backend (uuid, or a blob on SQLite).
        app.execute_sql(
            "UPDATE people SET affiliation = 'SECRET_CAUSE_XYZ' WHERE display_name = 'Rita Row'",
        )
        .await;
        let body = admin
            .raw("query($id: ID!) { person(id: $id) { displayName affiliation } }", json!({"id": person}))
            .await
            .expect("request");
        assert_eq!(
            first_code(&body).as_deref(),
            Some("INTERNAL"),
            "[{backend:?}] coded: {body}"
        );
        assert_eq!(
            body["errors"][0]["message"], "internal error",
            "[{backend:?}] generic message: {body}"
        );
        let text = body.to_string();
        for cause in ["SECRET_CAUSE_XYZ", "variant", "parse", "people"] {
            assert!(!text.contains(cause), "[{backend:?}] the cause leaked ({cause}): {text}");
        }
        app.stop().await;
    }
}

backend_tests! {
    /// `Chorus-Consistent-With` against read models that lag the log (the projector held,
    /// as a replica's or a busy projector's would lag): a read with the position of a
    /// write it cannot see yet waits and answers 503 CONSISTENCY_TIMEOUT rather than stale
    /// data, while a read without the header answers at once (stale); once the read models
    /// catch up, the same read shows the write.
    async fn consistent_reads_wait_for_lagging_read_models(backend: TestBackend) {
        // Short enough to wait out twice, long enough that the set-up's own
        // read-your-writes waits do not time out on a loaded machine (400 ms did).
        let app = chorus_tests::spawn_app_with(backend, |config| config.consistency_timeout_ms = 2000).await;
        let admin = app.admin();
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let team = app.create_team("Before", None).await;
        let projector = &app.state().projector;
        projector.hold(true).await;
        // The mutation commits; its read-your-writes wait times out, which is no error.
        let renamed = expect_data(
            &admin,
            docs::RENAME_TEAM,
            json!({"input": {"teamId": team, "name": "After"}}),
            &tag("rename while the read models lag"),
        )
        .await;
        let position = renamed["renameTeam"]["position"]
            .as_str()
            .expect("position")
            .to_owned();
        let query = json!({"query": "query($id: ID!) { team(id: $id) { name } }", "variables": {"id": team}});
        let stale = admin.post(&query).await.expect("plain read");
        assert_eq!(stale.status, 200, "{}", tag("a plain read answers"));
        assert_eq!(stale.json()["data"]["team"]["name"], "Before", "{}", tag("and it is stale"));
        let waited = admin
            .consistent_with(position.clone())
            .post(&query)
            .await
            .expect("consistent read");
        assert_eq!(waited.status, 503, "{}: {}", tag("no stale answer"), waited.body);
        assert_eq!(
            first_code(&waited.json()).as_deref(),
            Some("CONSISTENCY_TIMEOUT"),
            "{}",
            tag("coded")
        );
        projector.hold(false).await;
        let data = expect_data(
            &admin.consistent_with(position),
            "query($id: ID!) { team(id: $id) { name } }",
            json!({"id": team}),
            &tag("consistent read after catching up"),
        )
        .await;
        assert_eq!(data["team"]["name"], "After", "{}", tag("the write is visible"));
        app.stop().await;
    }
}
