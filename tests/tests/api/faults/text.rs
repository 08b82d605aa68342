//! Hostile text is refused in every free-text field and filter, with `BAD_USER_INPUT`
//! naming the field, and nothing is written; the same on the command-line path.
//!
//! Raw documents on purpose: hostile text and filters are input the tests must be able
//! to send byte for byte.

use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, spawn_app, TestApp, TestBackend,
};
use serde_json::{json, Value};

/// What broke the projections of every tenant on PostgreSQL.
const NUL: &str = "line one\u{0000}line two";
/// "Olivia Hart" with a right-to-left override and a zero-width space: it would pass for
/// the real Olivia Hart.
const IMITATION: &str = "Olivia Hart\u{202e}\u{200b}";

/// One refused request: the client, the document, its variables and the field that must
/// be named.
async fn refused(
    app: &TestApp,
    client: &chorus_client::ChorusClient,
    doc: &str,
    variables: Value,
    field: &str,
) {
    let what = format!("[{:?}] {field} in {variables}", app.backend);
    app.expect_bad_input(client, doc, variables, field, &what)
        .await;
}

fn input(value: Value) -> Value {
    json!({ "input": value })
}

backend_tests! {
    async fn hostile_text_is_refused_in_every_field_and_filter(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let admin = app.admin();
        let w = app.content_world().await;
        let person = app.add_person("Pat Person", "pat@acme.example").await;
        let role = app
            .assign_role_raw(&person, "MARKETING", None, "TEAM", Some(&w.brand))
            .await;

        // Teams: names, handles, identifiers and reasons.
        for (doc, variables, field) in [
            (
                docs::RENAME_ORGANIZATION,
                input(json!({ "name": IMITATION })),
                "name",
            ),
            (docs::CREATE_TEAM, input(json!({ "name": NUL })), "name"),
            (
                docs::RENAME_TEAM,
                input(json!({ "teamId": w.brand, "name": IMITATION })),
                "name",
            ),
            (
                docs::ARCHIVE_TEAM,
                input(json!({ "teamId": w.social, "reason": NUL })),
                "reason",
            ),
            (
                docs::ADD_PERSON,
                input(
                    json!({ "displayName": IMITATION, "email": "o@acme.example", "affiliation": "INTERNAL" }),
                ),
                "displayName",
            ),
            (
                docs::ADD_PERSON,
                input(
                    json!({ "displayName": "Olivia", "email": "o\u{200b}@acme.example", "affiliation": "INTERNAL" }),
                ),
                "email",
            ),
            (
                docs::ADD_PERSON,
                input(
                    json!({ "displayName": "Olivia", "email": "o@acme.example", "affiliation": "INTERNAL", "externalId": "E\u{0}1" }),
                ),
                "externalId",
            ),
            (
                docs::UPDATE_PERSON,
                input(json!({ "personId": person, "displayName": NUL })),
                "displayName",
            ),
            (
                docs::OFFBOARD_PERSON,
                input(json!({ "personId": person, "reason": NUL })),
                "reason",
            ),
            (
                docs::ASSIGN_ROLE,
                input(
                    json!({ "personId": person, "function": "SALES", "scope": { "kind": "ORGANIZATION" }, "reason": NUL }),
                ),
                "reason",
            ),
            (
                docs::REVOKE_ROLE,
                input(json!({ "roleAssignmentId": role, "reason": "done \u{202e}enod" })),
                "reason",
            ),
            (
                docs::REGISTER_CHANNEL,
                input(json!({ "teamId": w.brand, "network": "X", "handle": "acme\u{2066}" })),
                "handle",
            ),
            (
                docs::RETIRE_CHANNEL,
                input(json!({ "channelId": w.channel, "reason": NUL })),
                "reason",
            ),
            (
                docs::CREATE_TEAM,
                input(json!({ "name": "Fine", "idempotencyKey": "k\u{0}" })),
                "idempotencyKey",
            ),
        ] {
            refused(&app, &admin, doc, variables, field).await;
        }

        // Content: post text, campaigns, media, comments, steps, network ids, reasons,
        // legal notes and references.
        let author = &w.author.client;
        let legal = &w.legal.client;
        let post = expect_data(
            author,
            docs::DRAFT_POST,
            input(json!({ "channelIds": [w.channel], "text": "Hello" })),
            "draft",
        )
        .await["draftPost"]["post"]["id"]
            .as_str()
            .expect("post id")
            .to_owned();
        let draft = |text: &str, extra: Value| {
            let mut value = json!({ "channelIds": [w.channel], "text": text });
            if let (Some(value), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
                value.extend(extra.clone());
            }
            input(value)
        };
        let policy = |name: &str| {
            input(json!({ "scope": { "kind": "ORGANIZATION" }, "steps": [
                { "name": name, "signers": [{ "function": "SOCIAL_MEDIA" }] }
            ] }))
        };
        for (client, doc, variables, field) in [
            (author, docs::DRAFT_POST, draft(NUL, json!({})), "text"),
            (
                author,
                docs::DRAFT_POST,
                draft("Hi", json!({ "campaign": IMITATION })),
                "campaign",
            ),
            (
                author,
                docs::DRAFT_POST,
                draft(
                    "Hi",
                    json!({ "mediaUrls": ["https://cdn.example.com/\u{0}.png"] }),
                ),
                "mediaUrls[0]",
            ),
            (
                author,
                docs::EDIT_POST,
                input(json!({ "postId": post, "text": NUL })),
                "text",
            ),
            (
                &w.manager1.client,
                docs::APPROVE_POST,
                input(json!({ "postId": post, "comment": NUL })),
                "comment",
            ),
            (
                &w.manager1.client,
                docs::APPROVE_POST,
                input(json!({ "postId": post, "step": "manager\u{0}" })),
                "step",
            ),
            (
                &w.manager1.client,
                docs::REJECT_POST,
                input(json!({ "postId": post, "comment": NUL })),
                "comment",
            ),
            (
                author,
                docs::MARK_PUBLISHED,
                input(
                    json!({ "postId": post, "networkPostId": "17\u{0}", "url": "https://x.com/1" }),
                ),
                "networkPostId",
            ),
            (
                author,
                docs::RETRACT_POST,
                input(json!({ "postId": post, "reason": NUL })),
                "reason",
            ),
            (
                legal,
                docs::DEFINE_APPROVAL_POLICY,
                policy(IMITATION),
                "steps[0].name",
            ),
            (
                legal,
                docs::ADD_LEXICON_TERM,
                input(json!({ "flag": "MENTIONS_PRICING", "term": "pr\u{200b}ice" })),
                "term",
            ),
            (
                legal,
                docs::LOG_LEGAL_REVIEW,
                input(
                    json!({ "subjectKind": "CONTRACT", "subjectReference": "C-\u{0}1", "kind": "CONTRACT", "outcome": "CLEARED" }),
                ),
                "subjectReference",
            ),
            (
                legal,
                docs::LOG_LEGAL_REVIEW,
                input(
                    json!({ "subjectKind": "CONTRACT", "subjectReference": "C-1", "kind": "CONTRACT", "outcome": "CLEARED_WITH_CONDITIONS", "conditions": NUL }),
                ),
                "conditions",
            ),
            (
                legal,
                docs::LOG_LEGAL_REVIEW,
                input(
                    json!({ "subjectKind": "CONTRACT", "subjectReference": "C-1", "kind": "CONTRACT", "outcome": "CLEARED", "notes": NUL }),
                ),
                "notes",
            ),
            (
                legal,
                docs::LOG_LEGAL_REVIEW,
                input(
                    json!({ "subjectKind": "CONTRACT", "subjectReference": "C-1", "kind": "CONTRACT", "outcome": "CLEARED", "references": ["ok", "doc\u{0}"] }),
                ),
                "references[1]",
            ),
        ] {
            refused(&app, client, doc, variables, field).await;
        }

        // Filters: bounded like what they search (a 60,000-character pattern made SQLite
        // fail), no control characters (a NUL made PostgreSQL fail).
        let long = "%".repeat(60_000);
        for (query, field) in [
            (
                format!(
                    "{{ teams(filter: {{ nameContains: \"{long}\" }}) {{ edges {{ cursor }} }} }}"
                ),
                "filter.nameContains",
            ),
            (
                format!(
                    "{{ people(filter: {{ nameContains: \"{long}\" }}) {{ edges {{ cursor }} }} }}"
                ),
                "filter.nameContains",
            ),
            (
                "{ people(filter: { nameContains: \"a\\u0000b\" }) { edges { cursor } } }"
                    .to_owned(),
                "filter.nameContains",
            ),
            (
                "{ people(filter: { email: \"a\\u0000@b.example\" }) { edges { cursor } } }"
                    .to_owned(),
                "filter.email",
            ),
            (
                "{ people(filter: { externalId: \"a\\u0000\" }) { edges { cursor } } }".to_owned(),
                "filter.externalId",
            ),
        ] {
            expect_error(
                &admin,
                &query,
                json!({}),
                "BAD_USER_INPUT",
                Some(field),
                &format!("[{backend:?}] {field}"),
            )
            .await;
        }

        // The command line goes through the same value types.
        for (org, email) in [(NUL, "a@b.example"), ("Fine", "a\u{200b}@b.example")] {
            let refused = chorus_server::cli::init(app.state(), org, email, Some("Admin")).await;
            assert!(
                matches!(refused, Err(chorus_server::cli::CliError::Input { .. })),
                "[{backend:?}] chorus init {org:?} {email:?}: {refused:?}"
            );
        }
        let refused =
            chorus_server::cli::init(app.state(), "Fine", "a@b.example", Some(IMITATION)).await;
        assert!(
            matches!(
                refused,
                Err(chorus_server::cli::CliError::Input {
                    field: "displayName",
                    ..
                })
            ),
            "[{backend:?}] {refused:?}"
        );
        app.stop().await;
    }
}
