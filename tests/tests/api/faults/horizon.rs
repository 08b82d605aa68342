//! Nothing outside Chorus stalls it: a long write transaction in another database of
//! the same PostgreSQL server (managed servers host many) holds back no projection, no
//! read-your-writes wait and no subscription.

use std::time::{Duration, Instant};

use chorus_kernel::testing::TestDatabase;
use chorus_tests::TeamsApi;
use chorus_tests::{backend_tests, expect_data, spawn_app, TestBackend};
use serde_json::json;

use super::ws;

backend_tests! {
    #[backends(postgres)]
    async fn a_long_transaction_in_another_database_stalls_nothing(backend: TestBackend) {
        // PostgreSQL only; SQLite has no commit horizon: one writer at a time.
        let app = spawn_app(backend).await;
        let neighbour = TestDatabase::create(backend).await;
        let pool = sqlx::PgPool::connect(neighbour.url())
            .await
            .expect("neighbour");
        let mut long = pool.begin().await.expect("begin");
        sqlx::query("CREATE TABLE report (n BIGINT)")
            .execute(&mut *long)
            .await
            .expect("a write in the neighbour's database");

        let subscription = "subscription { events { eventType } }";
        let mut socket = ws::subscribed(&app.ws_url(), &app.admin_token, subscription).await;

        let started = Instant::now();
        let created = app.admin().create_team("Night shift", None).await.expect("createTeam");
        let team = created.team.expect("team");
        assert_eq!(team.name, "Night shift", "the payload is current");
        let position = created.position.as_str();
        let read = expect_data(
            &app.admin().consistent_with(position),
            "query($id: ID!) { team(id: $id) { name } }",
            json!({ "id": team.id }),
            "read your write",
        )
        .await;
        assert_eq!(read["team"]["name"], "Night shift");
        let event = ws::next(&mut socket, Duration::from_secs(4)).await;
        assert_eq!(
            event
                .as_ref()
                .map(|e| e["payload"]["data"]["events"]["eventType"].clone()),
            Some(json!("TeamCreated")),
            "the feed delivers while the neighbour's transaction is open: {event:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "nothing waited for the neighbour ({:?})",
            started.elapsed()
        );
        ws::close(socket).await;
        long.rollback().await.expect("rollback");
        pool.close().await;
        app.stop().await;
    }
}
