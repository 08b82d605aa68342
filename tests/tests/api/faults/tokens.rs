//! Service-account tokens are registered when issued, listed and revoked one by one:
//! a revoked token is refused at once (its open subscriptions end), its sibling keeps
//! working, and a token without a registration is never accepted.

use std::time::Duration;

use chorus_tests::client::ClientError;
use chorus_tests::{
    backend_tests, expect_data, expect_error, spawn_app, uuid_of, TestApp, TestBackend,
};
use serde_json::json;
use uuid::Uuid;

use super::ws;

const LIST: &str = "{ serviceTokens(includeRevoked: true) { edges { node { id serviceAccountId scopes description active revokedAt revokeReason revokedBy { id } } } } }";
const VIEWER: &str = "{ viewer { organization { name } } }";

/// `VIEWER` with `token`: refused with UNAUTHENTICATED. Returns the error.
async fn unauthenticated(app: &TestApp, token: &str, what: &str) -> ClientError {
    let error = app
        .client(Some(token))
        .raw(VIEWER, json!({}))
        .await
        .expect_err(what);
    assert_eq!(error.code(), Some("UNAUTHENTICATED"), "{what}: {error:?}");
    error
}

const REVOKE: &str = "mutation($input: RevokeServiceTokenInput!) { revokeServiceToken(input: $input) { serviceToken { id active revokeReason } position replayed } }";

backend_tests! {
    async fn revoked_and_unregistered_tokens_are_refused(backend: TestBackend) {
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let app = spawn_app(backend).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let state = app.state();
        let scopes = vec!["teams:read".to_owned()];
        let first = chorus_server::cli::token_for_service(
            state,
            app.organization_id,
            &scopes,
            None,
            Some("HR sync"),
        )
        .await
        .expect("issue");
        let second = chorus_server::cli::token_for_service(
            state,
            app.organization_id,
            &scopes,
            first.service_account_id,
            Some("HR sync, rotated"),
        )
        .await
        .expect("issue a second token for the same account");
        for token in [&first.token, &second.token] {
            expect_data(
                &app.client(Some(token)),
                VIEWER,
                json!({}),
                &tag("registered token"),
            )
            .await;
        }

        // Listed, to the organization's admins only.
        let listed = expect_data(&app.admin(), LIST, json!({}), &tag("list")).await;
        let nodes = listed["serviceTokens"]["edges"]
            .as_array()
            .expect("edges")
            .clone();
        assert_eq!(nodes.len(), 2, "{}: {listed}", tag("both listed"));
        let first_id = nodes
            .iter()
            .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
            .find(|id| uuid_of(id) == first.token_id.expect("token id"))
            .expect("the first token is listed");
        assert_eq!(nodes[0]["node"]["scopes"], json!(["teams:read"]));
        let theirs = expect_data(&other.client, LIST, json!({}), &tag("other org lists")).await;
        assert_eq!(
            theirs["serviceTokens"]["edges"],
            json!([]),
            "{}",
            tag("confined")
        );
        let before = app.event_count().await;
        expect_error(
            &other.client,
            REVOKE,
            json!({ "input": { "tokenId": first_id } }),
            "NOT_FOUND",
            None,
            &tag("another organization revokes"),
        )
        .await;
        expect_error(
            &app.client(Some(&second.token)),
            LIST,
            json!({}),
            "FORBIDDEN",
            None,
            &tag("a reader lists"),
        )
        .await;
        app.assert_event_count(before, &tag("nothing written")).await;

        // A subscription of the first token ends when it is revoked.
        let subscription = "subscription { events(aggregateTypes: [TEAM]) { eventType } }";
        let mut socket = ws::subscribed(&app.ws_url(), &first.token, subscription).await;
        let revoked = expect_data(
            &app.admin(),
            REVOKE,
            json!({ "input": { "tokenId": first_id, "reason": "leaked in a log" } }),
            &tag("revoke"),
        )
        .await;
        assert_eq!(
            revoked["revokeServiceToken"]["serviceToken"]["active"],
            false
        );
        let error = unauthenticated(&app, &first.token, &tag("revoked")).await;
        assert_eq!(error.status(), Some(401));
        expect_data(
            &app.client(Some(&second.token)),
            VIEWER,
            json!({}),
            &tag("its sibling"),
        )
        .await;
        let ended = ws::next(&mut socket, Duration::from_secs(5)).await;
        let code = ended.as_ref().and_then(|m| {
            m["payload"]["errors"][0]["extensions"]["code"]
                .as_str()
                .or(m["payload"][0]["extensions"]["code"].as_str())
        });
        assert_eq!(
            code,
            Some("UNAUTHENTICATED"),
            "{}: {ended:?}",
            tag("the stream ends")
        );
        ws::close(socket).await;
        let listed = expect_data(&app.admin(), LIST, json!({}), &tag("list")).await;
        let record = listed["serviceTokens"]["edges"]
            .as_array()
            .and_then(|edges| edges.iter().find(|e| e["node"]["id"] == first_id.as_str()))
            .expect("still listed")["node"]
            .clone();
        assert_eq!(record["revokeReason"], "leaked in a log");
        assert_eq!(
            record["revokedBy"]["id"].as_str().map(uuid_of),
            Some(app.admin_id)
        );

        // The operator's command line revokes too.
        chorus_server::cli::revoke_service_token(
            state,
            second.token_id.expect("id"),
            Some("rotation done"),
        )
        .await
        .expect("chorus tokens revoke");
        unauthenticated(&app, &second.token, &tag("revoked by the CLI")).await;

        // Signed with the right key but never registered: refused.
        let account = first.service_account_id.expect("account");
        let unregistered = [
            state
                .auth
                .issue(
                    app.organization_id,
                    chorus_kernel::Actor::service_account(account),
                    &scopes,
                )
                .expect("sign"),
            state
                .auth
                .issue_registered(
                    app.organization_id,
                    account,
                    &scopes,
                    Uuid::now_v7(),
                    chrono::Utc::now() + chrono::TimeDelta::hours(1),
                )
                .expect("sign"),
            state
                .auth
                .issue_registered(
                    other.organization_id,
                    account,
                    &scopes,
                    first.token_id.expect("id"),
                    chrono::Utc::now() + chrono::TimeDelta::hours(1),
                )
                .expect("sign"),
        ];
        for token in unregistered {
            unauthenticated(&app, &token, &tag("unregistered")).await;
        }
        app.stop().await;
    }
}
