//! Positions reveal nothing about other organizations: mutation positions are opaque
//! tokens of the caller's organization, refused in another one.

use base64::Engine;
use chorus_tests::TeamsApi;
use chorus_tests::{backend_tests, spawn_app, TestBackend};
use serde_json::json;

backend_tests! {
    async fn positions_are_opaque_and_stay_in_their_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let admin = app.admin();
        let brand = || admin.create_team_keyed("Brand", None, Some("brand-1"));
        let token = brand().await.expect("createTeam").position;
        let global_position = app.event_count().await;

        // Nothing in the token is the log position.
        assert!(token.parse::<i64>().is_err(), "[{backend:?}] {token}");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&token)
            .expect("base64url");
        // In the clear, the position would be an 8-byte integer (either byte order); a
        // random 8-byte window matches one by chance with probability ~2^-60. (Looking for
        // its decimal digits would fail by chance: a one-digit position is in ~1 token
        // in 7.)
        for clear in [global_position.to_be_bytes(), global_position.to_le_bytes()] {
            assert!(
                !bytes.windows(8).any(|w| w == clear),
                "[{backend:?}] the position is not in the token in the clear"
            );
        }
        // The same position is the same token (a replay answers identically).
        let replayed = brand().await.expect("replay");
        assert!(replayed.replayed);
        assert_eq!(replayed.position, token, "[{backend:?}]");

        // Another organization cannot use it, to wait on or to probe the log.
        let probe = other
            .client
            .consistent_with(token.clone())
            .raw("{ viewer { isAdmin } }", json!({}))
            .await;
        let error = probe.expect_err("refused");
        assert_eq!(
            error.code(),
            Some("BAD_USER_INPUT"),
            "[{backend:?}] {error:?}"
        );
        // Forged tokens are refused alike; the owner's works.
        let mut tampered = token.clone();
        let last = if tampered.pop() == Some('A') {
            'B'
        } else {
            'A'
        };
        tampered.push(last);
        for forged in [global_position.to_string(), "AAAA".to_owned(), tampered] {
            let error = app
                .admin()
                .consistent_with(forged.clone())
                .raw("{ viewer { isAdmin } }", json!({}))
                .await
                .expect_err("forged");
            assert_eq!(
                error.code(),
                Some("BAD_USER_INPUT"),
                "[{backend:?}] {forged}"
            );
        }
        let own = app
            .admin()
            .consistent_with(token)
            .raw("{ viewer { isAdmin } }", json!({}))
            .await
            .expect("the owner's token works");
        assert_eq!(own["data"]["viewer"]["isAdmin"], true);
        app.stop().await;
    }
}
