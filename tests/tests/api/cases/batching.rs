//! A page of cases with their timelines and replies costs one query for the timelines
//! and one for the replies, whatever the page's size, and each case keeps its own page
//! (`first`, `hasNextPage`, `after`).

use chorus_tests::statements::{alone_in_process, reads_of, record_statements};
use chorus_tests::{backend_tests, expect_data, spawn_app, TestBackend};
use serde_json::json;

const PAGE: &str = "query { caseQueue(first: 10) { edges { node { id \
    timeline(first: 2) { pageInfo { hasNextPage } edges { node { sequence } } } \
    replies(first: 1) { pageInfo { hasNextPage endCursor } edges { node { text } } } } } } }";

const REPLIES_AFTER: &str = "query($id: ID!, $after: String) { case(id: $id) { \
    replies(first: 5, after: $after) { pageInfo { hasNextPage } edges { node { text } } } } }";

backend_tests! {
    async fn a_page_of_cases_loads_its_timelines_and_replies_in_one_query_each(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let w = app.case_world().await;
        let mut answered = Vec::new();
        for n in 0..4 {
            let case = app.channel_message(&w, &format!("b-{n}"), &format!("@b{n}"), "When do you open?", "PUBLIC").await;
            for text in [format!("At nine ({n})."), format!("And close at six ({n}).")] {
                app.case_change(&w.social.client, "replyToCase", "ReplyToCaseInput",
                    json!({ "caseId": case["id"], "text": text, "visibility": "PUBLIC" })).await;
            }
            answered.push(case["id"].as_str().expect("id").to_owned());
        }
        let silent = app.channel_message(&w, "b-9", "@quiet", "When do you open?", "PUBLIC").await;

        record_statements();
        let data = expect_data(&w.social.client, PAGE, json!({}), "a page of cases").await;
        let timelines = reads_of("case_timeline");
        let replies = reads_of("case_replies");
        // A query per case returns at most that case's page and one more row (3 timeline
        // entries, 2 replies); the page's one query returns every case's.
        assert!(timelines.iter().any(|s| s.rows_returned > 3),
            "[{backend:?}] one query reads every case's timeline: {timelines:#?}");
        assert!(replies.iter().any(|s| s.rows_returned > 2),
            "[{backend:?}] one query reads every case's replies: {replies:#?}");
        if alone_in_process() {
            // Under nextest every recorded statement is this test's: exactly one each.
            assert_eq!(timelines.len(), 1, "[{backend:?}] one query for every case's timeline: {timelines:#?}");
            assert_eq!(replies.len(), 1, "[{backend:?}] one query for every case's replies: {replies:#?}");
        }

        let edges = data["caseQueue"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 5, "[{backend:?}] {data}");
        for edge in edges {
            let case = &edge["node"];
            let timeline = case["timeline"]["edges"].as_array().expect("timeline");
            let replies = case["replies"]["edges"].as_array().expect("replies");
            if case["id"] == silent["id"] {
                assert_eq!(timeline.len(), 1, "[{backend:?}] only its opening: {case}");
                assert_eq!(case["timeline"]["pageInfo"]["hasNextPage"], false);
                assert!(replies.is_empty(), "[{backend:?}] {case}");
                assert_eq!(case["replies"]["pageInfo"]["hasNextPage"], false);
                continue;
            }
            assert_eq!(timeline.len(), 2, "[{backend:?}] each case its own page of two: {case}");
            assert_eq!(timeline[0]["node"]["sequence"], 1);
            assert_eq!(case["timeline"]["pageInfo"]["hasNextPage"], true);
            let id = case["id"].as_str().expect("id");
            let n = answered.iter().position(|a| a == id).expect("an answered case");
            assert_eq!(replies.len(), 1, "[{backend:?}] {case}");
            assert_eq!(replies[0]["node"]["text"], format!("At nine ({n})."), "[{backend:?}] {case}");
            assert_eq!(case["replies"]["pageInfo"]["hasNextPage"], true);
            let rest = expect_data(&w.social.client, REPLIES_AFTER,
                json!({ "id": id, "after": case["replies"]["pageInfo"]["endCursor"] }), "the rest of a case's replies").await;
            let rest = &rest["case"]["replies"];
            assert_eq!(rest["edges"].as_array().map(Vec::len), Some(1), "[{backend:?}] {rest}");
            assert_eq!(rest["edges"][0]["node"]["text"], format!("And close at six ({n})."));
            assert_eq!(rest["pageInfo"]["hasNextPage"], false);
        }
        app.stop().await;
    }
}
