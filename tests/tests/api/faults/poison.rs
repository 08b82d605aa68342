//! A poison event: one the teams projection cannot apply reaches the log (through the
//! store directly, as an older or newer build of Chorus would have written it). It is
//! quarantined and reported; every other organization, and every other record of its
//! own, stays current; once the fix ships (as an upcaster) a retry applies it, and the
//! events of its record held behind it, in order.

use std::time::Duration;

use chorus_kernel::{CommandContext, NewEvent, Upcasters};
use chorus_tests::TeamsApi;
use chorus_tests::{backend_tests, expect_data, spawn_app, uuid_of, TestBackend};
use cqrs_es::persist::{EventUpcaster, SerializedEvent};
use serde_json::json;

/// A `TeamRenamed` of a newer build, whose name is an object this build cannot read.
fn newer_rename() -> NewEvent {
    NewEvent {
        event_type: "TeamRenamed".into(),
        event_version: "2.0".into(),
        payload: json!({ "TeamRenamed": { "name": { "text": "Growth", "locale": "en" } } })
            .to_string(),
    }
}

/// A `TeamRenamed` whose name holds a NUL, as builds before the text policy accepted:
/// SQLite stores it, PostgreSQL refuses it.
fn nul_rename() -> NewEvent {
    NewEvent {
        event_type: "TeamRenamed".into(),
        event_version: "1.0".into(),
        payload: json!({ "TeamRenamed": { "name": "line one\u{0}line two" } }).to_string(),
    }
}

/// The fix, as it would ship: version 2.0 renames read as 1.0, and a NUL in an old
/// rename becomes U+FFFD.
struct RenameFix;

impl EventUpcaster for RenameFix {
    fn can_upcast(&self, event_type: &str, _event_version: &str) -> bool {
        event_type == "TeamRenamed"
    }

    fn upcast(&self, mut event: SerializedEvent) -> SerializedEvent {
        let name = &event.payload["TeamRenamed"]["name"];
        let fixed = match name {
            serde_json::Value::Object(object) => {
                object["text"].as_str().unwrap_or_default().to_owned()
            }
            other => other
                .as_str()
                .unwrap_or_default()
                .replace('\u{0}', "\u{fffd}"),
        };
        event.payload = json!({ "TeamRenamed": { "name": fixed } });
        event.event_version = "1.0".into();
        event
    }
}

async fn team_name(client: &chorus_client::ChorusClient, id: &str) -> String {
    let data = expect_data(
        client,
        "query($id: ID!) { team(id: $id) { name } }",
        json!({ "id": id }),
        "team",
    )
    .await;
    data["team"]["name"].as_str().unwrap_or_default().to_owned()
}

async fn readyz(app: &chorus_tests::TestApp) -> serde_json::Value {
    let response = reqwest::get(format!("{}/readyz", app.address))
        .await
        .expect("readyz");
    assert_eq!(response.status(), 200, "degraded is still ready");
    response.json().await.expect("readyz JSON")
}

backend_tests! {
    async fn a_poison_event_is_quarantined_while_every_tenant_stays_current(backend: TestBackend) {
        let tag = |what: &str| format!("[{backend:?}] {what}");
        let mut app = spawn_app(backend).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let poisoned = app.create_team("Marketing", None).await;
        let nul_team = app.create_team("Sales", None).await;
        let neighbour = app.create_team("Design", None).await;
        let theirs = other.client.create_team("Ops", None).await.expect("their team");
        let theirs = theirs.team.expect("id").id;

        // The poison events, appended below the API.
        let ctx = CommandContext::new(
            app.organization_id,
            chorus_kernel::Actor::person(app.admin_id),
            "test",
        );
        let store = &app.state().store;
        let ctx = &ctx;
        let append = |team: &str, event| {
            let aggregate = uuid_of(team).to_string();
            async move { store.append(ctx, "team", &aggregate, 1, &[event]).await }
        };
        append(&poisoned, newer_rename())
            .await
            .expect("append the newer rename");
        let poisons = if backend == TestBackend::Postgres {
            append(&nul_team, nul_rename())
                .await
                .expect("append the NUL rename");
            2
        } else {
            1
        };

        // Everyone else stays current: their payloads show the new state at once, and
        // reads that must include a write answer without a consistency timeout.
        for (client, team, name) in [
            (&other.client, &theirs, "Ops & Growth"),
            (&app.admin(), &neighbour, "Design Studio"),
        ] {
            let renamed = client.rename_team(team, name).await.expect("rename");
            let current = renamed.team.expect("renamed team").name;
            assert_eq!(current, name, "{}", tag("current"));
            let position = renamed.position.as_str();
            let started = std::time::Instant::now();
            let read = team_name(&client.consistent_with(position), team).await;
            assert_eq!(read, name, "{}", tag("read your write"));
            assert!(
                started.elapsed() < Duration::from_secs(4),
                "{}",
                tag("no wait")
            );
        }
        if backend == TestBackend::Postgres {
            // A later change of the NUL team is held behind the poison, not lost.
            app.admin()
                .rename_team(&nul_team, "Sales EMEA")
                .await
                .expect("rename behind the poison");
            assert_eq!(
                team_name(&app.admin(), &nul_team).await,
                "Sales",
                "{}",
                tag("held")
            );
        }

        // Reported: /readyz, /metrics, `chorus projections status`.
        let ready = readyz(&app).await;
        assert_eq!(ready["status"], "degraded", "{}: {ready}", tag("readyz"));
        let teams = &ready["projections"][0];
        assert_eq!(teams["name"], "teams");
        let waiting = if backend == TestBackend::Postgres {
            3
        } else {
            1
        };
        assert_eq!(
            teams["quarantined"],
            waiting,
            "{}: {ready}",
            tag("readyz count")
        );
        assert_eq!(
            ready["projections"][1]["quarantined"],
            0,
            "{}",
            tag("content unaffected")
        );
        let metrics = reqwest::get(format!("{}/metrics", app.address))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        let line = format!(
            "chorus_projection_quarantined_events{{projection=\"teams\",status=\"failed\"}} {poisons}"
        );
        assert!(metrics.contains(&line), "{}: {metrics}", tag("metric"));
        let status = chorus_server::cli::projections_status(app.state())
            .await
            .expect("status");
        let text = chorus_server::cli::render_status(&status);
        assert!(
            text.contains("teams: position") && text.contains(&format!("{poisons} failed")),
            "{}: {text}",
            tag("status")
        );
        assert!(
            text.contains("failed TeamRenamed"),
            "{}: {text}",
            tag("status lists it")
        );
        assert!(
            !text.contains(&other.organization_id.to_string()),
            "{}: only the poisoned organization is named",
            tag("status")
        );

        // Nothing lost: the events stay in the log. The fix ships; a retry applies them.
        let events = app.event_count().await;
        app.restart_with(Upcasters::new(vec![Box::new(RenameFix)]))
            .await;
        let outcome = app
            .state()
            .projector
            .retry_quarantined("teams", None)
            .await
            .expect("retry");
        assert_eq!(outcome.applied, waiting as u64, "{}", tag("all applied"));
        assert_eq!(outcome.still_quarantined, 0);
        assert_eq!(
            team_name(&app.admin(), &poisoned).await,
            "Growth",
            "{}",
            tag("fixed")
        );
        if backend == TestBackend::Postgres {
            assert_eq!(
                team_name(&app.admin(), &nul_team).await,
                "Sales EMEA",
                "{}",
                tag("the held rename applied after the repaired one")
            );
        }
        assert_eq!(
            readyz(&app).await["status"],
            "ready",
            "{}",
            tag("ready again")
        );
        app.assert_event_count(events, &tag("the log is unchanged")).await;
        app.stop().await;
    }
}
