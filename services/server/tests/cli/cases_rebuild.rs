//! The cases read models are folded per batch in memory and written at its end: wherever
//! a batch boundary falls (between a reply's submission and its approval, between a case's
//! opening and its assignment), a rebuild gives the rows the demo's live projection wrote,
//! every case in every state.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chorus_kernel::backend_tests;
use chorus_kernel::testing::{TestBackend, TestDatabase};
use chorus_server::state::AppState;
use chorus_server::Config;

/// Every table the cases projection writes, every column.
const CASES_COLUMNS: &[(&str, &str)] = &[
    ("cases", "id, organization_id, contact_id, door, channel_id, external_system, external_case_id, team_id, queue_team_key, function, status, is_open, priority, category, assignee_id, handled_privately, escalated_to, routing, sla_policy_id, sla_policy_version, sla_calendar_id, queue_deadline, next_deadline_kind, next_timer, breached, follows_case_id, merged_into, resolution_code, first_text, opened_at, first_response_at, resolved_at, updated_at, last_sequence"),
    ("case_states", "case_id, organization_id, state"),
    ("case_timeline", "case_id, sequence, organization_id, kind, actor_id, at, details"),
    ("case_replies", "id, case_id, organization_id, responder_id, text, visibility, status, approver_function, decided_by, decision_note, delegated, outbound_status, network_message_id, outbound_detail, flags, submitted_at, sent_at, updated_at"),
    ("case_sla_outcomes", "case_id, kind, cycle, organization_id, team_id, assignee_id, met, business_seconds, deadline, at"),
    ("case_queue_members", "team_id, person_id, last_assigned_at"),
];

async fn cases_tables(state: &AppState) -> BTreeMap<&'static str, Vec<String>> {
    let mut tables = BTreeMap::new();
    for (table, columns) in CASES_COLUMNS {
        tables.insert(*table, crate::rows_as_text(&state.db, table, columns).await);
    }
    tables
}

backend_tests! {
    async fn the_demo_cases_rebuild_to_the_live_rows_whatever_the_batch_size(backend: TestBackend) {
        let db = TestDatabase::create(backend).await;
        let state = AppState::open(Config {
            database_url: db.url().to_owned(),
            ..Default::default()
        })
        .await
        .expect("open state");
        chorus_server::demo::load(&state).await.expect("demo");
        state.projector.catch_up().await.expect("caught up");
        let live = cases_tables(&state).await;
        for table in ["cases", "case_timeline", "case_replies", "case_sla_outcomes", "case_queue_members"] {
            assert!(!live[table].is_empty(), "the demo fills {table}");
        }
        // Replies changed after their submission (approved and delivered, rejected), which
        // a batch boundary can fall between.
        for state in ["PENDING", "REJECTED", "x-dm-55012"] {
            assert!(
                live["case_replies"].iter().any(|r| r.contains(state)),
                "a {state} reply: {:?}",
                live["case_replies"]
            );
        }
        for size in [1, 2, 3, 5, 8, 13, 5_000] {
            let projector = state.projector.with_batch_size(size);
            projector.rebuild(Some("cases")).await.expect("rebuild");
            projector.catch_up().await.expect("caught up");
            let rebuilt = cases_tables(&state).await;
            for (table, rows) in &live {
                assert_eq!(rows, &rebuilt[table], "{table} after a rebuild in batches of {size}");
            }
        }
        state.shutdown().await;
    }
}
