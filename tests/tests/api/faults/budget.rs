//! Limits hold per HTTP request: a batch of operations each just under the complexity
//! limit does not run them all, and aliases (which repeat any field, mutations too) are
//! bounded over the whole request.
//!
//! Raw documents on purpose: batches and alias floods are not operations of the client.

use chorus_tests::{backend_tests, spawn_app, TestBackend};
use serde_json::{json, Value};

/// Complexity about 1,800 (100 teams × their fields and 5 channels): under the limit of
/// 5,000 alone, far over it ten times.
const HEAVY: &str =
    "{ teams(first: 100) { edges { node { id name channels(first: 5) { edges { node { id } } } } } } }";

fn codes(response: &Value) -> Vec<Option<String>> {
    response
        .as_array()
        .expect("a batch answers with a list")
        .iter()
        .map(|r| {
            r["errors"][0]["extensions"]["code"]
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}

fn aliased(count: usize) -> String {
    let fields: String = (0..count)
        .map(|i| format!("a{i}: viewer {{ isAdmin }} "))
        .collect();
    format!("{{ {fields} }}")
}

backend_tests! {
    async fn budgets_are_counted_per_request(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let single = admin.raw(HEAVY, json!({})).await.expect("one heavy query");
        assert!(single.get("errors").is_none(), "[{backend:?}] {single}");

        let batch: Vec<Value> = (0..10).map(|_| json!({ "query": HEAVY })).collect();
        let raw = admin.post(&batch).await.expect("batch");
        let response: Value = serde_json::from_str(&raw.body).expect("JSON");
        let answers = codes(&response);
        assert_eq!(answers[0], None, "[{backend:?}] the first operation runs");
        let refused = answers
            .iter()
            .filter(|c| c.as_deref() == Some("LIMIT_EXCEEDED"))
            .count();
        assert!(
            refused >= 7,
            "[{backend:?}] the request's budget stops the rest: {answers:?}"
        );
        let limit = response
            .as_array()
            .and_then(|r| r.iter().find(|r| !r["errors"].is_null()))
            .map(|r| r["errors"][0]["extensions"]["limit"].clone());
        assert_eq!(limit, Some(json!("complexity")), "[{backend:?}]");

        // Aliases: 30 per request in all.
        let ok = admin
            .raw(&aliased(30), json!({}))
            .await
            .expect("30 aliases");
        assert!(ok.get("errors").is_none(), "[{backend:?}] {ok}");
        let over = admin
            .raw(&aliased(31), json!({}))
            .await
            .expect("31 aliases");
        assert_eq!(
            over["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
            "[{backend:?}] {over}"
        );
        assert_eq!(over["errors"][0]["extensions"]["limit"], "aliases");
        assert!(over["data"].is_null(), "[{backend:?}] nothing ran");
        let split = vec![
            json!({ "query": aliased(20) }),
            json!({ "query": aliased(20) }),
        ];
        let raw = admin.post(&split).await.expect("batch");
        let response: Value = serde_json::from_str(&raw.body).expect("JSON");
        assert_eq!(
            codes(&response),
            vec![None, Some("LIMIT_EXCEEDED".to_owned())],
            "[{backend:?}] the second operation overdraws the request's aliases"
        );
        app.stop().await;
    }
}

backend_tests! {
    async fn only_the_selected_operation_of_a_document_is_charged(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        // Three heavy operations (about 1,800 each, 5,400 together: over the limit of
        // 5,000), one light one, and an operation with more aliases than a request may
        // use, all in one document, as a client keeps its operations together.
        let heavy = HEAVY.trim_start_matches('{').trim_end_matches('}');
        let document = format!(
            "query HeavyOne {{ {heavy} }}\nquery HeavyTwo {{ {heavy} }}\n\
             query HeavyThree {{ {heavy} }}\nquery Aliased {}\n\
             query Light {{ viewer {{ ...Who }} }}\nfragment Who on Viewer {{ isAdmin }}",
            aliased(31)
        );
        let send = |operation: &'static str| {
            let body = json!({ "query": document.clone(), "operationName": operation });
            let admin = admin.clone();
            async move {
                let raw = admin.post(&body).await.expect("request");
                serde_json::from_str::<Value>(&raw.body).expect("JSON")
            }
        };
        for operation in ["Light", "HeavyOne", "HeavyThree"] {
            let answer = send(operation).await;
            assert!(
                answer.get("errors").is_none(),
                "[{backend:?}] {operation} is charged alone: {answer}"
            );
            assert!(!answer["data"].is_null(), "[{backend:?}] {operation} ran");
        }
        let light = send("Light").await;
        assert_eq!(light["data"]["viewer"]["isAdmin"], true, "[{backend:?}] {light}");
        // The selected operation is still held to its limits.
        let over = send("Aliased").await;
        assert_eq!(
            over["errors"][0]["extensions"]["limit"], "aliases",
            "[{backend:?}] {over}"
        );
        // An operation the document does not hold is refused, naming it, before the
        // whole document is priced.
        let unknown = send("Missing").await;
        assert_eq!(
            unknown["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "[{backend:?}] {unknown}"
        );
        assert!(
            unknown["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Missing")),
            "[{backend:?}] {unknown}"
        );
        app.stop().await;
    }
}
