//! Web hygiene: security headers on every response, and only allowed pages may open the
//! subscription socket (a socket opened from another site would carry its user's
//! credentials).

use chorus_kernel::testing::TestDatabase;
use chorus_tests::{backend_tests, spawn_app, test_config, TestBackend};

use super::ws;

backend_tests! {
    async fn responses_carry_security_headers_and_sockets_check_their_origin(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let client = reqwest::Client::new();
        let api = client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&app.admin_token)
            .json(&serde_json::json!({ "query": "{ viewer { isAdmin } }" }))
            .send()
            .await
            .expect("graphql");
        let health = client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .expect("healthz");
        let refused = client
            .post(format!("{}/graphql", app.address))
            .json(&serde_json::json!({ "query": "{ viewer { isAdmin } }" }))
            .send()
            .await
            .expect("unauthenticated");
        for response in [&api, &health, &refused] {
            let header = |name: &str| chorus_tests::header(response, name);
            assert_eq!(
                header("x-content-type-options").as_deref(),
                Some("nosniff"),
                "[{backend:?}] {}",
                response.url()
            );
            assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
            assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
            let csp = header("content-security-policy").unwrap_or_default();
            assert!(
                csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
                "{csp}"
            );
        }
        let graphiql = client
            .get(format!("{}/graphql", app.address))
            .send()
            .await
            .expect("graphiql");
        let csp = chorus_tests::header(&graphiql, "content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src") && csp.contains("frame-ancestors 'none'"),
            "[{backend:?}] GraphiQL has its own policy: {csp}"
        );

        // The socket: no Origin (a program) and the server's own origin are fine; any
        // other site is refused before the upgrade.
        for origin in [None, Some(app.address.as_str())] {
            let socket = ws::connect(&app.ws_url(), origin).await;
            assert!(socket.is_ok(), "[{backend:?}] origin {origin:?}");
            ws::close(socket.expect("socket")).await;
        }
        let evil = ws::connect(&app.ws_url(), Some("https://evil.example")).await;
        assert_eq!(evil.err(), Some(403), "[{backend:?}] another site");
        app.stop().await;

        // An origin in cors.allowed_origins may open it.
        let db = TestDatabase::create(backend).await;
        let mut config = test_config(&db);
        config.cors.allowed_origins = vec!["https://portal.example.com".into()];
        let server = chorus_server::start(config, false).await.expect("server");
        let url = format!("{}/graphql/ws", server.url().replacen("http", "ws", 1));
        let portal = ws::connect(&url, Some("https://portal.example.com")).await;
        assert!(portal.is_ok(), "[{backend:?}] the configured portal");
        ws::close(portal.expect("socket")).await;
        assert_eq!(
            ws::connect(&url, Some("https://portal.example.com.evil.example"))
                .await
                .err(),
            Some(403)
        );
        server.stop().await;
    }
}
