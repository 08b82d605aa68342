//! Content confinement across organizations, and idempotent replay of every content
//! mutation.
//!
//! Two organizations share one server, each with teams, a channel, an approval policy,
//! a lexicon, posts in several states (draft and scheduled, in review with a signature,
//! rejected, approved and published, published under delegated authority, retracted),
//! legal reviews of a post and of a contract. Organization B's admin, its role holders
//! and its service accounts then aim every content mutation and query at A's ids:
//! mutations answer NOT_FOUND and write nothing, lookups find nothing, lists and the
//! compliance export hold B's records only — and do hold them, so no assertion is
//! vacuous. A's lists are checked the same way against B's records.

use std::collections::BTreeSet;

use chorus_kernel::Actor;
use chorus_tests::client::{ChorusClient, PostPayload};
use chorus_tests::{
    backend_tests, docs, expect_data, expect_error, first_code, spawn_app, uuid_of, ContentApi,
    OtherOrg, PostStatus, TestApp, TestBackend,
};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/// The string at a JSON pointer, or a panic naming it.
#[track_caller]
fn text_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value}"))
        .to_owned()
}

/// The ids of the nodes of a connection (`edges[].node` + `path`).
fn edge_ids(connection: &Value, path: &str) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| text_at(&e["node"], path))
        .collect()
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Runs a mutation (`{ "input": input }`) that must succeed; returns `data`.
async fn act(client: &ChorusClient, doc: &str, input: Value, what: &str) -> Value {
    expect_data(client, doc, json!({ "input": input }), what).await
}

/// Asserts that nothing of `markers` (another organization's ids, uuids and texts)
/// occurs anywhere in `body`.
#[track_caller]
fn assert_no_leak(body: &Value, markers: &[String], what: &str) {
    let text = body.to_string();
    for marker in markers {
        assert!(
            !text.contains(marker.as_str()),
            "{what}: the answer shows the other organization's {marker}: {text}"
        );
    }
}

/// A single-id lookup of another organization's record: the root field is null (an
/// error, if any, is NOT_FOUND) and nothing of that organization shows.
async fn invisible(
    client: &ChorusClient,
    query: &str,
    variables: Value,
    field: &str,
    markers: &[String],
    what: &str,
) {
    let body = client
        .raw(query, variables)
        .await
        .unwrap_or_else(|e| panic!("{what}: request failed: {e}"));
    if let Some(code) = first_code(&body) {
        assert_eq!(code, "NOT_FOUND", "{what}: wrong code in {body}");
    }
    assert!(
        body["data"].is_null() || body["data"][field].is_null(),
        "{what}: another organization's record came back: {body}"
    );
    assert_no_leak(&body, markers, what);
}

/// A refused mutation: what, the document, the input, and the callers (who, client).
type Refusal<'a> = (
    &'static str,
    &'static str,
    Value,
    Vec<(&'static str, &'a ChorusClient)>,
);

/// A mutation by another organization on our ids: NOT_FOUND, no data, nothing of ours in
/// the error, and not one event written.
async fn refused(
    app: &TestApp,
    client: &ChorusClient,
    doc: &str,
    input: Value,
    markers: &[String],
    what: &str,
) {
    let before = app.event_count().await;
    let body = expect_error(
        client,
        doc,
        json!({ "input": input }),
        "NOT_FOUND",
        None,
        what,
    )
    .await;
    assert_no_leak(&body, markers, what);
    app.assert_event_count(before, &format!("{what}: a refused mutation wrote events"))
        .await;
}

/// Registered service-account tokens for `organization_id`, one per scope list, issued
/// as `chorus token --organization` does it.
async fn service_tokens(app: &TestApp, organization_id: Uuid, scopes: &[&[&str]]) -> Vec<String> {
    let mut tokens = Vec::new();
    for scopes in scopes {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let issued = chorus_server::cli::token_for_service(
            app.state(),
            organization_id,
            &scopes,
            None,
            Some("content confinement tests"),
        )
        .await
        .unwrap_or_else(|e| panic!("[{:?}] issue a service token: {e}", app.backend));
        tokens.push(issued.token);
    }
    tokens
}

/// GET /export/compliance over `[from, to)` as JSON Lines: the status and the body.
async fn export(
    app: &TestApp,
    token: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (u16, String) {
    let url = format!(
        "{}/export/compliance?from={}&to={}&format=jsonl",
        app.address,
        time(from),
        time(to)
    );
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("export request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("export body"))
}

// ---------------------------------------------------------------------------------------
// The two organizations and their content
// ---------------------------------------------------------------------------------------

/// A person of an organization: global id and a client with their token.
#[derive(Clone)]
struct Who {
    id: String,
    client: ChorusClient,
}

/// An organization of the test with the people the content flows need (the same roles
/// on both sides, as in [`chorus_tests::ContentWorld`]).
struct Org {
    name: &'static str,
    id: Uuid,
    admin: Who,
    brand: String,
    social: String,
    channel: String,
    /// SOCIAL_MEDIA in team Social.
    author: Who,
    /// SOCIAL_MEDIA / SOCIAL_MEDIA_MANAGER in team Brand.
    manager1: Who,
    /// MARKETING at channel scope.
    manager2: Who,
    /// SOCIAL_MEDIA / SOCIAL_MEDIA_MANAGER in team Social (holds delegated authority).
    manager3: Who,
    /// LEGAL / LEGAL_UGC_COUNSEL in team Brand.
    legal: Who,
}

impl Org {
    fn people(&self) -> Vec<&Who> {
        vec![
            &self.admin,
            &self.author,
            &self.manager1,
            &self.manager2,
            &self.manager3,
            &self.legal,
        ]
    }
}

async fn viewer_id(client: &ChorusClient) -> String {
    let data = expect_data(client, "{ viewer { person { id } } }", json!({}), "viewer").await;
    text_at(&data, "/viewer/person/id")
}

/// Organization A: the app's, with the harness's content world.
async fn org_a(app: &TestApp) -> Org {
    let w = app.content_world().await;
    let who = |a: chorus_tests::ContentActor| Who {
        id: a.id,
        client: a.client,
    };
    let admin = app.admin();
    Org {
        name: "Acme",
        id: app.organization_id,
        admin: Who {
            id: viewer_id(&admin).await,
            client: admin,
        },
        brand: w.brand,
        social: w.social,
        channel: w.channel,
        author: who(w.author),
        manager1: who(w.manager1),
        manager2: who(w.manager2),
        manager3: who(w.manager3),
        legal: who(w.legal),
    }
}

/// Organization B: built through its own admin's client, with the same shape as A (even
/// the same channel handle, since uniqueness is per organization).
async fn org_b(app: &TestApp, other: &OtherOrg) -> Org {
    let c = &other.client;
    let team = |name: &'static str, parent: Option<String>| async move {
        let data = act(
            c,
            docs::CREATE_TEAM,
            json!({ "name": name, "parentId": parent }),
            "B team",
        )
        .await;
        text_at(&data, "/createTeam/team/id")
    };
    let brand = team("Brand", None).await;
    let social = team("Social", Some(brand.clone())).await;
    let channel = text_at(
        &act(
            c,
            docs::REGISTER_CHANNEL,
            json!({ "teamId": social, "network": "X", "handle": "acme" }),
            "B channel",
        )
        .await,
        "/registerChannel/channel/id",
    );
    let person = |name: &'static str,
                  function: &'static str,
                  responsibility: Option<&'static str>,
                  kind: &'static str,
                  scope: String| async move {
        let email = format!("{}@globex.example", name.to_lowercase().replace(' ', "."));
        let id = text_at(
            &act(
                c,
                docs::ADD_PERSON,
                json!({ "displayName": name, "email": email, "affiliation": "INTERNAL" }),
                "B person",
            )
            .await,
            "/addPerson/person/id",
        );
        act(
            c,
            docs::ASSIGN_ROLE,
            json!({
                "personId": id,
                "function": function,
                "responsibility": responsibility,
                "scope": { "kind": kind, "id": scope },
                "reason": "test setup",
            }),
            "B role",
        )
        .await;
        let token = app.token_for(other.organization_id, Actor::person(uuid_of(&id)), &[]);
        Who {
            id,
            client: app.client(Some(&token)),
        }
    };
    Org {
        name: "Globex",
        id: other.organization_id,
        admin: Who {
            id: viewer_id(c).await,
            client: c.clone(),
        },
        author: person("Bea Author", "SOCIAL_MEDIA", None, "TEAM", social.clone()).await,
        manager1: person(
            "Ben Manager",
            "SOCIAL_MEDIA",
            Some("SOCIAL_MEDIA_MANAGER"),
            "TEAM",
            brand.clone(),
        )
        .await,
        manager2: person(
            "Bo Marketing",
            "MARKETING",
            None,
            "CHANNEL",
            channel.clone(),
        )
        .await,
        manager3: person(
            "Bill Social",
            "SOCIAL_MEDIA",
            Some("SOCIAL_MEDIA_MANAGER"),
            "TEAM",
            social.clone(),
        )
        .await,
        legal: person(
            "Bella Legal",
            "LEGAL",
            Some("LEGAL_UGC_COUNSEL"),
            "TEAM",
            brand.clone(),
        )
        .await,
        brand,
        social,
        channel,
    }
}

/// Two managers sign every post, a legal-role holder signs user-generated content, and
/// social media managers may publish flag-free posts under delegated authority.
fn policy_input() -> Value {
    json!({
        "scope": { "kind": "ORGANIZATION" },
        "steps": [
            {
                "name": "managers",
                "signers": [
                    { "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" },
                    { "function": "MARKETING" }
                ],
                "requiredSignatures": 2
            },
            {
                "name": "legal",
                "conditions": { "flagsAny": ["CONTAINS_USER_GENERATED_CONTENT"] },
                "signers": [{ "function": "LEGAL" }],
                "requiredSignatures": 1
            }
        ],
        "delegation": { "holders": [{ "function": "SOCIAL_MEDIA", "responsibility": "SOCIAL_MEDIA_MANAGER" }] }
    })
}

/// The content of one organization.
struct Content {
    /// The organization's lexicon term (flag CONTAINS_USER_GENERATED_CONTENT).
    term: &'static str,
    policy: String,
    /// DRAFT, scheduled in two days, flag-free.
    draft: String,
    /// IN_REVIEW, flagged by the lexicon, signed once by manager1, cleared by legal.
    review: String,
    /// REJECTED by manager1.
    rejected: String,
    /// Approved by manager1 and manager2, published by the author.
    published: String,
    /// Published by manager3 under delegated authority.
    delegated: String,
    /// Published under delegation, then retracted.
    retracted: String,
    /// The CLEARED review of `review`.
    post_review: String,
    /// A CLEARED review of a contract.
    contract_review: String,
    /// The texts of the posts.
    texts: Vec<String>,
}

impl Content {
    fn posts(&self) -> Vec<&String> {
        vec![
            &self.draft,
            &self.review,
            &self.rejected,
            &self.published,
            &self.delegated,
            &self.retracted,
        ]
    }

    fn reviews(&self) -> Vec<&String> {
        vec![&self.post_review, &self.contract_review]
    }
}

/// What must never show in the other organization's answers: every global id and uuid
/// of `org` and `content` (people, teams, channel, policy, posts, reviews) and the
/// posts' texts.
fn markers(org: &Org, content: &Content) -> Vec<String> {
    let mut ids: Vec<String> = org.people().iter().map(|w| w.id.clone()).collect();
    ids.extend([org.brand.clone(), org.social.clone(), org.channel.clone()]);
    ids.push(content.policy.clone());
    ids.extend(content.posts().into_iter().cloned());
    ids.extend(content.reviews().into_iter().cloned());
    let mut markers: Vec<String> = ids.iter().map(|id| uuid_of(id).to_string()).collect();
    markers.extend(ids);
    markers.push(org.id.to_string());
    markers.push(content.term.to_owned());
    markers.extend(content.texts.iter().cloned());
    markers
}

/// The value of a set-up step that must succeed.
#[track_caller]
fn ok<T>(result: Result<T, chorus_tests::client::ClientError>, what: String) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Creates the organization's lexicon, policy, posts in every state, approvals, a
/// rejection, publications (approved, delegated, retracted) and legal reviews.
async fn populate(org: &Org, term: &'static str) -> Content {
    use chorus_tests::client::log_legal_review as review;
    use chorus_tests::client::{add_lexicon_term, define_approval_policy as define};
    let what = |step: &str| format!("{}: {step}", org.name);
    let flag = add_lexicon_term::ContentFlag::CONTAINS_USER_GENERATED_CONTENT;
    ok(
        org.legal.client.add_lexicon_term(flag, term).await,
        what("lexicon term"),
    );
    let legal_flags = [define::ContentFlag::CONTAINS_USER_GENERATED_CONTENT];
    let input = chorus_tests::organization_policy(&legal_flags);
    let policy = ok(org.legal.client.define_policy(input).await, what("policy"));
    let policy = policy.policy.expect("policy").id;
    let mut texts = Vec::new();
    let author = &org.author.client;
    let mut draft = |text: String, scheduled: Option<DateTime<Utc>>| {
        texts.push(text.clone());
        let channel = org.channel.clone();
        let what = what("draft");
        async move {
            let drafted = author.draft_post_for(&[&channel], &text, scheduled).await;
            let post = ok(drafted, what).post.expect("drafted post").post_fields;
            (post.id, post.flags)
        }
    };
    let status = |payload: Result<PostPayload, _>, what: String| {
        ok(payload, what).post.expect("post").post_fields.status
    };

    let (draft_post, _) = draft(
        format!("{}: plans for next week", org.name),
        Some(Utc::now() + Duration::days(2)),
    )
    .await;

    let (review, flags) = draft(format!("{}: look at this {term}!", org.name), None).await;
    assert_eq!(
        flags[0].term.as_deref(),
        Some(term),
        "{}: the lexicon flags the post",
        org.name
    );
    ok(author.submit_post(&review).await, what("submit"));
    ok(
        org.manager1.client.approve_post(&review, None).await,
        what("first signature"),
    );
    let cleared = chorus_tests::ugc_review(&review, review::ReviewOutcome::CLEARED);
    let logged = org.legal.client.log_legal_review(cleared.clone()).await;
    let post_review = ok(logged, what("post review"))
        .legal_review
        .expect("review")
        .id;

    let (rejected, _) = draft(format!("{}: a bold claim", org.name), None).await;
    ok(author.submit_post(&rejected).await, what("submit"));
    let refusal = org
        .manager1
        .client
        .reject_post(&rejected, "not on brand")
        .await;
    assert_eq!(status(refusal, what("reject")), PostStatus::REJECTED);

    let (published, _) = draft(format!("{}: good morning", org.name), None).await;
    ok(author.submit_post(&published).await, what("submit"));
    ok(
        org.manager1.client.approve_post(&published, None).await,
        what("m1"),
    );
    let approved = org.manager2.client.approve_post(&published, None).await;
    assert_eq!(status(approved, what("m2")), PostStatus::APPROVED);
    let slug = org.name.to_lowercase();
    let publish = |client: &ChorusClient, post: &str, n: u32| {
        let (client, post) = (client.clone(), post.to_owned());
        let (network_id, url) = (
            format!("{slug}-{n}"),
            format!("https://x.com/{slug}/status/{n}"),
        );
        async move { client.mark_published_at(&post, &network_id, &url).await }
    };
    ok(publish(author, &published, 1).await, what("publish"));

    let (delegated, _) = draft(format!("{}: thanks, everyone", org.name), None).await;
    let out = ok(
        publish(&org.manager3.client, &delegated, 2).await,
        what("delegated publish"),
    );
    let authority = out
        .post
        .and_then(|p| p.post_fields.publication)
        .and_then(|p| p.delegated_authority);
    assert_eq!(authority.expect("delegated authority").policy_version, 1);

    let (retracted, _) = draft(format!("{}: the wrong link", org.name), None).await;
    ok(
        publish(&org.manager3.client, &retracted, 3).await,
        what("publish to retract"),
    );
    ok(
        author.retract_post(&retracted, "wrong link").await,
        what("retract"),
    );

    let contract = review::LogLegalReviewInput {
        subject_kind: review::ReviewSubjectKind::CONTRACT,
        subject_id: None,
        subject_reference: Some(format!("{} agency MSA", org.name)),
        kind: review::ReviewKind::CONTRACT,
        ..cleared
    };
    let logged = org.legal.client.log_legal_review(contract).await;
    let contract_review = ok(logged, what("contract review"))
        .legal_review
        .expect("review")
        .id;
    Content {
        term,
        policy,
        draft: draft_post,
        review,
        rejected,
        published,
        delegated,
        retracted,
        post_review,
        contract_review,
        texts,
    }
}

/// Everything of an organization's content as its admin reads it, to prove that another
/// organization's attempts changed nothing.
async fn snapshot(org: &Org, content: &Content) -> Value {
    let post_query = format!(
        "query($id: ID!) {{ post(id: $id) {{ {} updatedAt retraction {{ reason }} legallyBlocked \
         timeline(first: 100) {{ edges {{ node {{ sequence eventType }} }} }} }} }}",
        docs::POST_FIELDS
    );
    let mut posts = Vec::new();
    for id in content.posts() {
        posts.push(
            expect_data(
                &org.admin.client,
                &post_query,
                json!({ "id": id }),
                "snapshot",
            )
            .await,
        );
    }
    let rest = expect_data(
        &org.admin.client,
        "query($p: ID!) { approvalPolicy(id: $p) { id version retired steps { name } } \
         lexicon { version terms { flag term addedInVersion } } \
         legalReviews(first: 50) { edges { node { id outcome } } } }",
        json!({ "p": content.policy }),
        "snapshot",
    )
    .await;
    json!({ "posts": posts, "rest": rest })
}

// ---------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------

const LISTS: &str = "query($from: DateTime!, $to: DateTime!, $now: DateTime!) { \
    approvalPolicies(first: 50) { edges { node { id } } } \
    lexicon { version terms { flag term } } \
    approvals(first: 50, filter: { includeVoided: true }) { edges { node { postId approverId policyId post { id text } } } } \
    delegatedPublications(first: 50) { edges { node { id text } } } \
    legalReviews(first: 50) { edges { node { id subjectId reviewer { id } post { id } } } } \
    contentCalendar(from: $from, to: $to, first: 50) { edges { node { post { id text } channel { id } } } } \
    complianceViolations(first: 50) { edges { node { post { id } } } } \
    policyAsOf(scope: { kind: ORGANIZATION }, at: $now) { id version } }";

/// Every list of the content API as `client` (a reader of `org`): `org`'s own records
/// are there, the other organization's (`foreign`) are not.
async fn check_lists(client: &ChorusClient, own: &Content, foreign: &[String], what: &str) {
    let now = Utc::now();
    let data = expect_data(
        client,
        LISTS,
        json!({ "from": time(now), "to": time(now + Duration::days(7)), "now": time(now) }),
        what,
    )
    .await;
    assert_no_leak(&data, foreign, what);
    assert_eq!(
        edge_ids(&data["approvalPolicies"], "/id"),
        [own.policy.as_str()],
        "{what}: approvalPolicies"
    );
    let terms = data["lexicon"]["terms"].as_array().expect("terms");
    assert!(
        terms.contains(&json!({ "flag": "CONTAINS_USER_GENERATED_CONTENT", "term": own.term })),
        "{what}: lexicon {terms:?}"
    );
    let approved: BTreeSet<String> = edge_ids(&data["approvals"], "/postId")
        .into_iter()
        .collect();
    assert_eq!(
        approved,
        BTreeSet::from([own.review.clone(), own.published.clone()]),
        "{what}: approvals"
    );
    let delegated = edge_ids(&data["delegatedPublications"], "/id");
    assert!(
        delegated.contains(&own.delegated),
        "{what}: delegatedPublications {delegated:?}"
    );
    let reviews = edge_ids(&data["legalReviews"], "/id");
    assert!(
        own.reviews().into_iter().all(|id| reviews.contains(id)),
        "{what}: legalReviews {reviews:?}"
    );
    assert_eq!(
        edge_ids(&data["contentCalendar"], "/post/id"),
        [own.draft.as_str()],
        "{what}: contentCalendar"
    );
    assert_eq!(
        data["complianceViolations"]["edges"],
        json!([]),
        "{what}: complianceViolations"
    );
    assert_eq!(
        data["policyAsOf"],
        json!([{ "id": own.policy, "version": 1 }]),
        "{what}: policyAsOf"
    );
}

/// The approval inbox of `who`: their own organization's post in review is there, the
/// other's (in the same state, signable by the same role) is not.
async fn check_inbox(who: &Who, own: &Content, foreign: &[String], what: &str) {
    let data = expect_data(&who.client, docs::APPROVAL_INBOX, json!({}), what).await;
    assert_no_leak(&data, foreign, what);
    assert_eq!(
        edge_ids(&data["approvalInbox"], "/id"),
        [own.review.as_str()],
        "{what}: approvalInbox"
    );
}

/// Filters by the other organization's ids find nothing; the same filters by our own
/// ids find our records (so the emptiness is the organization's doing).
async fn check_filters(
    (b, db): (&Org, &Content),
    (a, da): (&Org, &Content),
    markers: &[String],
    tag: &str,
) {
    let approvals =
        "query($f: ApprovalFilterInput) { approvals(filter: $f) { edges { node { postId } } } }";
    let reviews =
        "query($f: LegalReviewFilterInput) { legalReviews(filter: $f) { edges { node { id } } } }";
    // (list, filter field, A's id, B's id)
    for (list, field, theirs, ours) in [
        ("approvals", "postId", &da.published, &db.published),
        ("approvals", "approverId", &a.manager1.id, &b.manager1.id),
        ("approvals", "channelId", &a.channel, &b.channel),
        ("approvals", "teamId", &a.social, &b.social),
        ("approvals", "policyId", &da.policy, &db.policy),
        ("legalReviews", "postId", &da.review, &db.review),
        ("legalReviews", "reviewerId", &a.legal.id, &b.legal.id),
    ] {
        let (query, node_id) = match list {
            "approvals" => (approvals, "/postId"),
            _ => (reviews, "/id"),
        };
        let filtered = |id: &String| json!({ "f": { field: id } });
        let what = format!("{tag} {list}(filter: {{ {field}: A's }})");
        let data = expect_data(&b.admin.client, query, filtered(theirs), &what).await;
        assert_eq!(data[list]["edges"], json!([]), "{what}");
        let what = format!("{tag} {list}(filter: {{ {field}: B's }})");
        let data = expect_data(&b.admin.client, query, filtered(ours), &what).await;
        assert!(
            !edge_ids(&data[list], node_id).is_empty(),
            "{what}: B's own {list} are found"
        );
    }
    let calendar = "query($from: DateTime!, $to: DateTime!, $t: ID, $c: ID) { contentCalendar(from: $from, to: $to, teamId: $t, channelId: $c) { edges { node { post { id } } } } }";
    let now = Utc::now();
    let range = |t: Option<&String>, c: Option<&String>| json!({ "from": time(now), "to": time(now + Duration::days(7)), "t": t, "c": c });
    for (what, theirs, ours) in [
        (
            "contentCalendar(teamId)",
            range(Some(&a.social), None),
            range(Some(&b.social), None),
        ),
        (
            "contentCalendar(channelId)",
            range(None, Some(&a.channel)),
            range(None, Some(&b.channel)),
        ),
    ] {
        let what = format!("{tag} {what}");
        let data = expect_data(&b.admin.client, calendar, theirs, &what).await;
        assert_eq!(data["contentCalendar"]["edges"], json!([]), "{what}: A's");
        let data = expect_data(&b.admin.client, calendar, ours, &what).await;
        assert_eq!(
            edge_ids(&data["contentCalendar"], "/post/id"),
            [db.draft.as_str()],
            "{what}: B's"
        );
    }
    let policy_at =
        "query($s: PolicyScopeInput!, $at: DateTime!) { policyAsOf(scope: $s, at: $at) { id } }";
    for (kind, theirs, ours) in [
        ("TEAM", &a.brand, &b.brand),
        ("CHANNEL", &a.channel, &b.channel),
    ] {
        let what = format!("{tag} policyAsOf({kind} of A)");
        let body = expect_error(
            &b.admin.client,
            policy_at,
            json!({ "s": { "kind": kind, "id": theirs }, "at": time(now) }),
            "NOT_FOUND",
            None,
            &what,
        )
        .await;
        assert_no_leak(&body, markers, &what);
        expect_data(
            &b.admin.client,
            policy_at,
            json!({ "s": { "kind": kind, "id": ours }, "at": time(now) }),
            &format!("{tag} policyAsOf({kind} of B)"),
        )
        .await;
    }
}

/// Lookups by id: the other organization's records are invisible, our own are found.
async fn check_lookups(
    (b, db): (&Org, &Content),
    (a, da): (&Org, &Content),
    markers: &[String],
    tag: &str,
) {
    let now = time(Utc::now());
    let post = "query($id: ID!) { post(id: $id) { id text } }";
    let as_of = "query($id: ID!, $at: DateTime!) { postAsOf(id: $id, at: $at) { status text post { id } } }";
    let policy = "query($id: ID!) { approvalPolicy(id: $id) { id version } }";
    let review = "query($id: ID!) { legalReview(id: $id) { id outcome } }";
    // A's records by the lookups of B's own (query, variables, root field).
    let mut theirs: Vec<(&str, Value, &str)> = Vec::new();
    for id in da.posts() {
        theirs.push((post, json!({ "id": id }), "post"));
        theirs.push((as_of, json!({ "id": id, "at": now }), "postAsOf"));
    }
    theirs.push((policy, json!({ "id": da.policy }), "approvalPolicy"));
    for id in da.reviews() {
        theirs.push((review, json!({ "id": id }), "legalReview"));
    }
    // B's own records by the same queries: (query, variables, pointer, the value there,
    // or None where it must only be set).
    let mut ours: Vec<(&str, Value, String, Option<Value>)> = Vec::new();
    for id in db.posts() {
        ours.push((
            post,
            json!({ "id": id }),
            "/post/id".into(),
            Some(json!(id)),
        ));
        let at = json!({ "id": id, "at": now });
        ours.push((as_of, at, "/postAsOf/status".into(), None));
    }
    let own_policy = Some(json!(db.policy));
    ours.push((
        policy,
        json!({ "id": db.policy }),
        "/approvalPolicy/id".into(),
        own_policy,
    ));
    for id in db.reviews() {
        let cleared = Some(json!("CLEARED"));
        ours.push((
            review,
            json!({ "id": id }),
            "/legalReview/outcome".into(),
            cleared,
        ));
    }
    for who in [&b.admin, &b.legal] {
        for (query, variables, field) in &theirs {
            let what = format!("{tag} {field}(A's)");
            invisible(&who.client, query, variables.clone(), field, markers, &what).await;
        }
        for (query, variables, pointer, expected) in &ours {
            let what = format!("{tag} B's {pointer}");
            let data = expect_data(&who.client, query, variables.clone(), &what).await;
            let found = data.pointer(pointer).unwrap_or(&Value::Null);
            match expected {
                Some(expected) => assert_eq!(found, expected, "{what}"),
                None => assert!(!found.is_null(), "{what}: not found in {data}"),
            }
        }
    }
    // node / nodes with A's ids (content and the teams records it hangs on).
    let mut a_ids: Vec<String> = da.posts().into_iter().cloned().collect();
    a_ids.extend(da.reviews().into_iter().cloned());
    a_ids.extend([
        da.policy.clone(),
        a.channel.clone(),
        a.brand.clone(),
        a.social.clone(),
    ]);
    a_ids.extend(a.people().iter().map(|w| w.id.clone()));
    let node = "query($id: ID!) { node(id: $id) { id __typename } }";
    for id in &a_ids {
        let what = format!("{tag} node(A's)");
        invisible(
            &b.admin.client,
            node,
            json!({ "id": id }),
            "node",
            markers,
            &what,
        )
        .await;
    }
    let data = expect_data(
        &b.admin.client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        json!({ "ids": a_ids.iter().take(10).collect::<Vec<_>>() }),
        &format!("{tag} nodes(A's)"),
    )
    .await;
    assert_no_leak(&data, markers, &format!("{tag} nodes(A's)"));
    let nodes = data["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), a_ids.len().min(10));
    assert!(
        nodes.iter().all(Value::is_null),
        "{tag}: nodes(A's ids) leaked: {data}"
    );
    // B's own posts, policy and reviews are nodes: node(id) finds them by their global
    // id, with their own type, and nodes(ids) mixes them with A's (null) in order.
    let mut own: Vec<(String, &str)> = db
        .posts()
        .into_iter()
        .map(|id| (id.clone(), "Post"))
        .collect();
    own.push((db.policy.clone(), "ApprovalPolicy"));
    own.extend(
        db.reviews()
            .into_iter()
            .map(|id| (id.clone(), "LegalReview")),
    );
    for (id, kind) in &own {
        let data = expect_data(
            &b.admin.client,
            "query($id: ID!) { node(id: $id) { id __typename } }",
            json!({ "id": id }),
            &format!("{tag} node(B's {kind})"),
        )
        .await;
        assert_eq!(
            data["node"],
            json!({ "id": id, "__typename": kind }),
            "{tag}: node finds B's {kind}"
        );
    }
    let data = expect_data(
        &b.admin.client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Post { text } } }",
        json!({ "ids": [own[0].0, da.policy, own[own.len() - 1].0] }),
        &format!("{tag} nodes(B's content, A's policy)"),
    )
    .await;
    let nodes = data["nodes"].as_array().expect("nodes");
    assert_eq!(nodes[0]["id"], json!(own[0].0), "{tag}: B's post by nodes");
    assert!(
        nodes[0]["text"].is_string(),
        "{tag}: a Post node resolves its fields"
    );
    assert!(nodes[1].is_null(), "{tag}: A's policy is not B's node");
    assert_eq!(
        nodes[2]["id"],
        json!(own[own.len() - 1].0),
        "{tag}: B's review by nodes"
    );
    let data = expect_data(
        &b.admin.client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        json!({ "ids": [b.channel, b.social, a.channel] }),
        &format!("{tag} nodes(mixed)"),
    )
    .await;
    assert_eq!(
        data["nodes"],
        json!([{ "id": b.channel }, { "id": b.social }, null]),
        "{tag}: nodes finds B's records and not A's"
    );
}

/// The compliance export of `token` (a permitted caller of `org`): non-empty, every
/// record is `org`'s, the expected kinds are there, and nothing of `foreign` appears.
#[allow(clippy::too_many_arguments)]
async fn check_export(
    app: &TestApp,
    token: &str,
    org: &Org,
    own: &Content,
    foreign: &[String],
    from: DateTime<Utc>,
    what: &str,
) {
    let (status, body) = export(app, token, from, Utc::now() + Duration::hours(1)).await;
    assert_eq!(status, 200, "{what}: {body}");
    for marker in foreign {
        assert!(
            !body.contains(marker.as_str()),
            "{what}: the export shows the other organization's {marker}"
        );
    }
    let records: Vec<Value> = body
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: {e}: {line}")))
        .collect();
    let posts: BTreeSet<String> = own
        .posts()
        .iter()
        .map(|id| uuid_of(id).to_string())
        .collect();
    let people: BTreeSet<String> = org
        .people()
        .iter()
        .map(|w| uuid_of(&w.id).to_string())
        .collect();
    for record in &records {
        if let Some(post) = record["post_id"].as_str() {
            assert!(
                posts.contains(post),
                "{what}: a record of another post: {record}"
            );
        }
        let actor = text_at(record, "/actor_id");
        assert!(
            people.contains(&actor),
            "{what}: a record of another actor: {record}"
        );
    }
    let found: BTreeSet<(String, Option<String>)> = records
        .iter()
        .map(|r| {
            (
                text_at(r, "/kind"),
                r["post_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let post = |id: &String| Some(uuid_of(id).to_string());
    for expected in [
        ("approval", post(&own.review)),
        ("approval", post(&own.published)),
        ("rejection", post(&own.rejected)),
        ("legal_review", post(&own.review)),
        ("legal_review", None),
        ("delegated_publication", post(&own.delegated)),
    ] {
        let expected = (expected.0.to_owned(), expected.1);
        assert!(
            found.contains(&expected),
            "{what}: the export lacks {expected:?}: {body}"
        );
    }
}

/// Pretends the assignment of an approval started only in 2100 (Chorus itself never
/// allows such a signature): the compliance query must then report the post.
async fn tamper_role_start(app: &TestApp, assignment: Uuid) {
    let literal = match app.backend {
        TestBackend::Postgres => format!("'{assignment}'"),
        TestBackend::Sqlite => format!("X'{}'", assignment.simple()),
    };
    let future = match app.backend {
        TestBackend::Postgres => "'2100-01-01T00:00:00Z'",
        TestBackend::Sqlite => "'2100-01-01T00:00:00+00:00'",
    };
    app.execute_sql(&format!(
        "UPDATE role_assignments SET valid_from = {future} WHERE id = {literal}"
    ))
    .await;
}

async fn approval_assignment(org: &Org, post: &str, approver: &str) -> Uuid {
    let data = expect_data(
        &org.admin.client,
        "query($id: ID!) { post(id: $id) { approvals { approverId assignmentId } } }",
        json!({ "id": post }),
        "approvals of a post",
    )
    .await;
    data["post"]["approvals"]
        .as_array()
        .expect("approvals")
        .iter()
        .find(|a| a["approverId"] == json!(approver))
        .map(|a| uuid_of(&text_at(a, "/assignmentId")))
        .expect("the approver's signature")
}

// ---------------------------------------------------------------------------------------
// The confinement test
// ---------------------------------------------------------------------------------------

backend_tests! {
    async fn every_content_operation_is_confined_to_the_callers_organization(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let tag = format!("[{backend:?}]");
        let t = |what: &str| format!("{tag} {what}");
        let started = Utc::now() - Duration::minutes(1);

        let a = org_a(&app).await;
        let other = app.second_org("Globex", "admin@globex.example").await;
        let b = org_b(&app, &other).await;
        let da = populate(&a, "fan photo").await;
        let db = populate(&b, "customer selfie").await;
        // A term only A has, for B's removeLexiconTerm.
        act(
            &a.admin.client,
            docs::ADD_LEXICON_TERM,
            json!({ "flag": "MENTIONS_PRICING", "term": "acme discount" }),
            "A's second term",
        )
        .await;
        let a_markers = markers(&a, &da);
        let b_markers = markers(&b, &db);
        let b_tokens =
            service_tokens(&app, b.id, &[&["content:publish"], &["compliance:export"]]).await;
        let b_publisher = app.client(Some(&b_tokens[0]));
        let b_exporter = b_tokens[1].clone();
        let a_before = snapshot(&a, &da).await;

        // ---- Mutations by B on A's ids: NOT_FOUND, nothing written --------------------
        let when = time(Utc::now() + Duration::days(3));
        let revision =
            json!({ "policyId": da.policy, "steps": policy_input()["steps"], "delegation": null });
        let on = |id: &String| json!({ "postId": id });
        // Each mutation with A's ids, by every kind of B caller that could run it on
        // B's own records.
        let admin = ("admin", &b.admin.client);
        let author = ("author", &b.author.client);
        let marketing = ("marketing", &b.manager2.client);
        let manager = ("social media manager", &b.manager3.client);
        let legal = ("legal", &b.legal.client);
        let publisher = ("content:publish service", &b_publisher);
        let publish = json!({ "postId": da.draft, "networkPostId": "666", "url": "https://x.com/globex/status/666" });
        let cases: Vec<Refusal> = vec![
            (
                "draftPost on A's channel",
                docs::DRAFT_POST,
                json!({ "channelIds": [a.channel], "text": "Hello" }),
                vec![admin, author],
            ),
            (
                "draftPost on B's and A's channels",
                docs::DRAFT_POST,
                json!({ "channelIds": [b.channel, a.channel], "text": "Hello" }),
                vec![author],
            ),
            (
                "editPost",
                docs::EDIT_POST,
                json!({ "postId": da.draft, "text": "Pwned" }),
                vec![admin, author],
            ),
            (
                "submitPost",
                docs::SUBMIT_POST,
                on(&da.draft),
                vec![admin, author],
            ),
            (
                "withdrawPost",
                docs::WITHDRAW_POST,
                on(&da.review),
                vec![admin, author],
            ),
            (
                "approvePost",
                docs::APPROVE_POST,
                on(&da.review),
                vec![admin, marketing, legal],
            ),
            (
                "rejectPost",
                docs::REJECT_POST,
                json!({ "postId": da.review, "comment": "no" }),
                vec![admin, marketing, legal],
            ),
            (
                "schedulePost",
                docs::SCHEDULE_POST,
                json!({ "postId": da.draft, "scheduledAt": when }),
                vec![admin, author],
            ),
            (
                "markPublished",
                docs::MARK_PUBLISHED,
                publish,
                vec![admin, author, manager, publisher],
            ),
            (
                "retractPost",
                docs::RETRACT_POST,
                json!({ "postId": da.published, "reason": "x" }),
                vec![admin, author, legal, publisher],
            ),
            (
                "reviseApprovalPolicy",
                docs::REVISE_APPROVAL_POLICY,
                revision,
                vec![admin, legal],
            ),
            (
                "retireApprovalPolicy",
                docs::RETIRE_APPROVAL_POLICY,
                json!({ "policyId": da.policy }),
                vec![admin, legal],
            ),
            // B's legal holds LEGAL in B: the refusal is for the organization, not the role.
            (
                "logLegalReview of A's post in review",
                docs::LOG_LEGAL_REVIEW,
                json!({ "subjectKind": "POST", "subjectId": da.review, "kind": "UGC_RIGHTS", "outcome": "BLOCKED" }),
                vec![legal],
            ),
            (
                "logLegalReview of A's published post",
                docs::LOG_LEGAL_REVIEW,
                json!({ "subjectKind": "POST", "subjectId": da.published, "kind": "PRIVACY", "outcome": "BLOCKED", "idempotencyKey": "b-review" }),
                vec![legal],
            ),
            // A's term is not in B's lexicon: nothing to remove there.
            (
                "removeLexiconTerm of A's term",
                docs::REMOVE_LEXICON_TERM,
                json!({ "flag": "MENTIONS_PRICING", "term": "acme discount" }),
                vec![admin, legal],
            ),
        ];
        let before = app.event_count().await;
        for (what, doc, input, callers) in cases {
            for (who, client) in callers {
                let what = t(&format!("{what} by B's {who}"));
                refused(&app, client, doc, input.clone(), &a_markers, &what).await;
            }
        }
        app.assert_event_count(before, &t("refused mutations wrote events")).await;
        // The refusals were for the organization: B's legal may log reviews of B's posts.
        // (The refused request used the key "b-review": it was not spent.)
        first_answer(
            &b.legal.client,
            docs::LOG_LEGAL_REVIEW,
            json!({ "subjectKind": "POST", "subjectId": db.published, "kind": "PRIVACY", "outcome": "CLEARED", "idempotencyKey": "b-review" }),
            &t("B's legal reviews B's post (a refused request spent its key)"),
        )
        .await;

        // Lexicon changes by B stay in B's lexicon, even with A's own term.
        let lexicon_b = "{ lexicon { version terms { flag term } } }";
        let a_term = json!({ "flag": "CONTAINS_USER_GENERATED_CONTENT", "term": "fan photo" });
        for (what, doc, version) in [
            ("B adds A's term", docs::ADD_LEXICON_TERM, 2),
            ("B removes it again", docs::REMOVE_LEXICON_TERM, 3),
        ] {
            let what = t(what);
            let (_, payload) = root(&act(&b.admin.client, doc, a_term.clone(), &what).await);
            assert_eq!(payload["lexicon"]["version"], version, "{what}: B's lexicon version");
        }
        let data = expect_data(&b.admin.client, lexicon_b, json!({}), &t("B's lexicon")).await;
        assert_eq!(
            data["lexicon"],
            json!({ "version": 3, "terms": [{ "flag": "CONTAINS_USER_GENERATED_CONTENT", "term": "customer selfie" }] }),
            "{}",
            t("B's lexicon")
        );
        // …and A's lexicon never flags B's posts.
        let data = act(
            &b.author.client,
            docs::DRAFT_POST,
            json!({ "channelIds": [b.channel], "text": "A fan photo, acme discount inside" }),
            &t("B drafts with A's terms"),
        )
        .await;
        assert_eq!(
            data["draftPost"]["post"]["flags"],
            json!([]),
            "{}",
            t("A's lexicon flagged B's post")
        );

        // A is exactly as before.
        assert_eq!(
            snapshot(&a, &da).await,
            a_before,
            "{}",
            t("A's content changed")
        );
        let data = expect_data(&a.admin.client, lexicon_b, json!({}), &t("A's lexicon")).await;
        assert_eq!(
            data["lexicon"]["version"],
            2,
            "{}",
            t("A's lexicon version")
        );

        // ---- Queries ------------------------------------------------------------------
        check_lookups((&b, &db), (&a, &da), &a_markers, &t("B")).await;
        check_filters((&b, &db), (&a, &da), &a_markers, &t("B")).await;
        // Lists as B's admin and as a B reader with a role, and A's the other way round.
        check_lists(&b.admin.client, &db, &a_markers, &t("B admin's lists")).await;
        check_lists(&b.legal.client, &db, &a_markers, &t("B legal's lists")).await;
        check_lists(&a.admin.client, &da, &b_markers, &t("A admin's lists")).await;
        check_inbox(&b.manager2, &db, &a_markers, &t("B marketing's inbox")).await;
        check_inbox(&b.legal, &db, &a_markers, &t("B legal's inbox")).await;
        check_inbox(&a.manager2, &da, &b_markers, &t("A marketing's inbox")).await;

        // ---- The compliance export ----------------------------------------------------
        let person_token =
            |org: &Org, who: &Who| app.token_for(org.id, Actor::person(uuid_of(&who.id)), &[]);
        for (what, token) in [
            ("B admin's export", other.token.clone()),
            ("B legal's export", person_token(&b, &b.legal)),
            ("B compliance:export service's export", b_exporter.clone()),
        ] {
            check_export(&app, &token, &b, &db, &a_markers, started, &t(what)).await;
        }
        let a_exporter = app.token_for_service(&["compliance:export"]).await;
        for (what, token) in [
            ("A admin's export", app.admin_token.clone()),
            ("A legal's export", person_token(&a, &a.legal)),
            ("A compliance:export service's export", a_exporter),
        ] {
            check_export(&app, &token, &a, &da, &b_markers, started, &t(what)).await;
        }
        // B's author may not export at all; B's content:publish service neither.
        for (what, token) in [
            ("B author's export", person_token(&b, &b.author)),
            ("B content:publish service's export", b_tokens[0].clone()),
        ] {
            let (status, body) = export(&app, &token, started, Utc::now()).await;
            assert_eq!(status, 403, "{}: {body}", t(what));
        }

        // ---- Compliance violations (last: this tampers with the role history) ---------
        for (org, content) in [(&a, &da), (&b, &db)] {
            let assignment = approval_assignment(org, &content.published, &org.manager2.id).await;
            tamper_role_start(&app, assignment).await;
        }
        let violations = "{ complianceViolations { edges { node { post { id text } reasons } } } }";
        for (who, own, foreign) in [(&b.admin, &db, &a_markers), (&a.admin, &da, &b_markers)] {
            let data = expect_data(&who.client, violations, json!({}), &t("violations")).await;
            assert_no_leak(&data, foreign, &t("violations"));
            assert_eq!(
                edge_ids(&data["complianceViolations"], "/post/id"),
                [own.published.as_str()],
                "{}",
                t("each organization sees its own violation only")
            );
        }
        app.stop().await;
    }
}

// ---------------------------------------------------------------------------------------
// Idempotent replay of the content mutations
// ---------------------------------------------------------------------------------------

/// The payload without its `replayed` flag (what must be equal on a replay).
fn state_of(payload: &Value) -> Value {
    let mut state = payload.clone();
    if let Some(map) = state.as_object_mut() {
        map.remove("replayed");
    }
    state
}

/// The one root field of a mutation's `data`: its name and its payload.
#[track_caller]
fn root(data: &Value) -> (String, Value) {
    match data
        .as_object()
        .map(|map| map.iter().collect::<Vec<_>>())
        .as_deref()
    {
        Some([(field, payload)]) => ((*field).clone(), (*payload).clone()),
        _ => panic!("not one root field: {data}"),
    }
}

/// Sends a mutation (`input` holds its idempotency key) that must succeed as a first
/// request, not as a replay; returns its payload.
async fn first_answer(client: &ChorusClient, doc: &str, input: Value, what: &str) -> Value {
    let (_, payload) = root(&act(client, doc, input, what).await);
    assert_eq!(payload["replayed"], false, "{what}: answered as a replay");
    payload
}

/// The connection `list` as `client` reads it holds exactly the nodes `ids`.
async fn assert_only(client: &ChorusClient, list: &str, ids: &[String], what: &str) {
    let query = format!("{{ {list} {{ edges {{ node {{ id }} }} }} }}");
    let data = expect_data(client, &query, json!({}), what).await;
    assert_eq!(edge_ids(&data[list], "/id"), ids, "{what}");
}

/// Sends `input` with `key` twice as `client`: the first request writes, the second is a
/// replay with the same position and state and no new events. Then sends `other` (a
/// different input, valid on its own) with the same key: IDEMPOTENCY_KEY_REUSED, nothing
/// written. Failures name `tag` and the mutation. Returns the first payload.
async fn replays(
    app: &TestApp,
    client: &ChorusClient,
    doc: &str,
    key: &str,
    (input, other): (Value, Value),
    tag: &str,
) -> Value {
    let with_key = |mut input: Value| {
        input["idempotencyKey"] = json!(key);
        json!({ "input": input })
    };
    let before = app.event_count().await;
    let data = expect_data(
        client,
        doc,
        with_key(input.clone()),
        &format!("{tag} {key}"),
    )
    .await;
    let (field, first) = root(&data);
    let what = format!("{tag} {field}");
    let written = app.event_count().await;
    assert!(written > before, "{what}: the first request wrote nothing");
    assert_eq!(
        first["replayed"], false,
        "{what}: first request marked replayed"
    );
    let second =
        expect_data(client, doc, with_key(input), &format!("{what} (retry)")).await[&field].clone();
    assert_eq!(
        second["replayed"], true,
        "{what}: retry not marked replayed: {second}"
    );
    assert_eq!(
        second["position"], first["position"],
        "{what}: retry has another position"
    );
    assert_eq!(
        state_of(&second),
        state_of(&first),
        "{what}: retry answers another state"
    );
    app.assert_event_count(written, &format!("{what}: the retry appended events"))
        .await;
    // Measured against the count checked just above, which is `written`.
    let reused = ("IDEMPOTENCY_KEY_REUSED", None);
    let what = format!("{what} (same key, other input)");
    app.expect_refused_unwritten(client, doc, with_key(other), reused, &what)
        .await;
    first
}

/// A step of the replay test: a name, the caller, the document, the input and, for a
/// replayed mutation, another input for the same key (the name is then the key).
type Step<'a> = (
    &'static str,
    &'a ChorusClient,
    &'static str,
    Value,
    Option<Value>,
);

/// The steps of the replay test, in order.
#[derive(Default)]
struct Steps<'a>(Vec<Step<'a>>);

impl<'a> Steps<'a> {
    /// A mutation sent with `key` and replayed, then sent with `other` under the same key
    /// (see [`replays`]).
    fn replay(
        mut self,
        key: &'static str,
        client: &'a ChorusClient,
        doc: &'static str,
        input: Value,
        other: Value,
    ) -> Self {
        self.0.push((key, client, doc, input, Some(other)));
        self
    }

    /// A mutation sent once, which must succeed; `what` names it in a failure.
    fn once(
        mut self,
        what: &'static str,
        client: &'a ChorusClient,
        doc: &'static str,
        input: Value,
    ) -> Self {
        self.0.push((what, client, doc, input, None));
        self
    }

    /// Runs the steps in order; returns the payload of each.
    async fn run(self, app: &TestApp, tag: &str) -> Vec<Value> {
        run_steps(app, tag, self.0).await
    }
}

/// Runs `steps` in order: those with another input through [`replays`], the others once
/// (they must succeed). Returns the payload of each.
async fn run_steps(app: &TestApp, tag: &str, steps: Vec<Step<'_>>) -> Vec<Value> {
    let mut payloads = Vec::new();
    for (name, client, doc, input, other) in steps {
        payloads.push(match other {
            Some(other) => replays(app, client, doc, name, (input, other), tag).await,
            None => root(&act(client, doc, input, &format!("{tag} {name}")).await).1,
        });
    }
    payloads
}

backend_tests! {
    async fn every_content_mutation_replays_and_refuses_a_reused_key(backend: TestBackend) {
        use chorus_tests::docs::{
            APPROVE_POST, EDIT_POST, LOG_LEGAL_REVIEW, MARK_PUBLISHED, REJECT_POST, RETRACT_POST,
            REVISE_APPROVAL_POLICY, SCHEDULE_POST, SUBMIT_POST, WITHDRAW_POST,
        };
        let app = spawn_app(backend).await;
        let w = app.content_world().await;
        let prefix = format!("[{backend:?}]");
        let tag = |what: &str| format!("{prefix} {what}");
        let admin = app.admin();
        let (author, legal) = (&w.author.client, &w.legal.client);
        let (manager1, manager2) = (&w.manager1.client, &w.manager2.client);
        let draft = |text: &'static str| {
            let client = author.clone();
            let channel = w.channel.clone();
            async move {
                text_at(
                    &act(
                        &client,
                        docs::DRAFT_POST,
                        json!({ "channelIds": [channel], "text": text }),
                        "draft",
                    )
                    .await,
                    "/draftPost/post/id",
                )
            }
        };
        let ugc = "CONTAINS_USER_GENERATED_CONTENT";

        // Lexicon, policy (revised and retired at the end) and a post's draft.
        let mut other_policy = policy_input();
        other_policy["steps"][0]["requiredSignatures"] = json!(1);
        let [added, _, removed, defined, drafted] = <[Value; 5]>::try_from(
            run_steps(
                &app,
                &prefix,
                vec![
                    (
                        "lexicon-add",
                        legal,
                        docs::ADD_LEXICON_TERM,
                        json!({ "flag": ugc, "term": "fan photo" }),
                        Some(json!({ "flag": ugc, "term": "fan video" })),
                    ),
                    (
                        "second term",
                        &admin,
                        docs::ADD_LEXICON_TERM,
                        json!({ "flag": "MENTIONS_PRICING", "term": "discount" }),
                        None,
                    ),
                    (
                        "lexicon-remove",
                        &admin,
                        docs::REMOVE_LEXICON_TERM,
                        json!({ "flag": "MENTIONS_PRICING", "term": "discount" }),
                        Some(json!({ "flag": ugc, "term": "fan photo" })),
                    ),
                    (
                        "policy-define",
                        legal,
                        docs::DEFINE_APPROVAL_POLICY,
                        policy_input(),
                        Some(other_policy),
                    ),
                    (
                        "post-draft",
                        author,
                        docs::DRAFT_POST,
                        json!({ "channelIds": [w.channel], "text": "Our fan photo of the week" }),
                        Some(json!({ "channelIds": [w.channel], "text": "Another text" })),
                    ),
                ],
            )
            .await,
        )
        .expect("five payloads");
        assert_eq!(added["lexicon"]["version"], 1);
        assert_eq!(
            removed["lexicon"],
            json!({ "version": 3, "terms": [{ "flag": ugc, "term": "fan photo" }] })
        );
        let policy = text_at(&defined, "/policy/id");
        let what = tag("one policy defined");
        assert_only(
            &admin,
            "approvalPolicies",
            std::slice::from_ref(&policy),
            &what,
        )
        .await;

        // The post through its whole life, every step with a key; a rejection, on a post
        // of its own; the policy revised.
        let post = text_at(&drafted, "/post/id");
        let spare = draft("A spare draft").await;
        let rejected_post = draft("A post to reject").await;
        let on = |id: &String| json!({ "postId": id });
        let with = |id: &String, field: &str, value: &str| json!({ "postId": id, field: value });
        let text = |when: &str| with(&post, "text", &format!("Our fan photo of the {when}"));
        let now = Utc::now();
        let at = |days| with(&spare, "scheduledAt", &time(now + Duration::days(days)));
        let review = |outcome: &str| {
            let mut input = json!({ "subjectKind": "POST", "subjectId": post, "kind": "UGC_RIGHTS" });
            input["outcome"] = json!(outcome);
            input
        };
        let publication = |n: u32| {
            let url = format!("https://x.com/acme/status/{n}");
            json!({ "postId": post, "networkPostId": n.to_string(), "url": url })
        };
        let why = |reason: &str| with(&post, "reason", reason);
        let comment = |comment: &str| with(&rejected_post, "comment", comment);
        let mut revision = policy_input();
        revision.as_object_mut().expect("object").remove("scope");
        revision["policyId"] = json!(policy);
        revision["steps"][0]["requiredSignatures"] = json!(1);
        let mut other_revision = revision.clone();
        other_revision["delegation"] = Value::Null;
        let mut payloads = Steps::default()
            .replay("post-edit", author, EDIT_POST, text("month"), text("year"))
            .replay("post-schedule", author, SCHEDULE_POST, at(3), at(4))
            .replay("post-submit", author, SUBMIT_POST, on(&post), on(&spare))
            .replay(
                "post-withdraw",
                author,
                WITHDRAW_POST,
                on(&post),
                on(&spare),
            )
            .once("resubmit", author, SUBMIT_POST, on(&post))
            .replay(
                "post-approve",
                manager1,
                APPROVE_POST,
                on(&post),
                with(&post, "comment", "fine by me"),
            )
            .replay(
                "post-review",
                legal,
                LOG_LEGAL_REVIEW,
                review("CLEARED"),
                review("BLOCKED"),
            )
            .once("legal signs", legal, APPROVE_POST, on(&post))
            .once("marketing signs", manager2, APPROVE_POST, on(&post))
            .replay(
                "post-publish",
                author,
                MARK_PUBLISHED,
                publication(77),
                publication(78),
            )
            .replay(
                "post-retract",
                author,
                RETRACT_POST,
                why("wrong photo"),
                why("another reason"),
            )
            .once("submit", author, SUBMIT_POST, on(&rejected_post))
            .replay(
                "post-reject",
                manager1,
                REJECT_POST,
                comment("not on brand"),
                comment("off topic"),
            )
            .replay(
                "policy-revise",
                legal,
                REVISE_APPROVAL_POLICY,
                revision,
                other_revision,
            )
            .run(&app, &prefix)
            .await;
        let last = payloads.split_off(10);
        let [edited, _, submitted, withdrawn, _, _, reviewed, _, approved, published] =
            <[Value; 10]>::try_from(payloads).expect("10 payloads");
        let [retracted, _, rejected, revised] = <[Value; 4]>::try_from(last).expect("4 payloads");
        assert_eq!(edited["post"]["text"], "Our fan photo of the month");
        assert_eq!(submitted["post"]["status"], "IN_REVIEW");
        assert_eq!(withdrawn["post"]["status"], "DRAFT");
        assert_eq!(
            reviewed["post"]["legallyBlocked"],
            false,
            "{}",
            tag("the reused key did not block")
        );
        let review_id = text_at(&reviewed, "/legalReview/id");
        assert_only(
            &admin,
            "legalReviews",
            &[review_id],
            &tag("one legal review"),
        )
        .await;
        assert_eq!(approved["post"]["status"], "APPROVED");
        assert_eq!(
            published["post"]["publication"]["url"],
            "https://x.com/acme/status/77"
        );
        assert_eq!(retracted["post"]["retraction"]["reason"], "wrong photo");
        assert_eq!(rejected["post"]["status"], "REJECTED");
        assert_eq!(revised["policy"]["version"], 2, "{}", tag("one revision"));

        // Retire the policy; the reused retirement key names another policy.
        let mut team_policy = policy_input();
        team_policy["scope"] = json!({ "kind": "TEAM", "id": w.social });
        let second_policy = text_at(
            &act(
                legal,
                docs::DEFINE_APPROVAL_POLICY,
                team_policy,
                "team policy",
            )
            .await,
            "/defineApprovalPolicy/policy/id",
        );
        let retired = replays(
            &app,
            &admin,
            docs::RETIRE_APPROVAL_POLICY,
            "policy-retire",
            (
                json!({ "policyId": policy }),
                json!({ "policyId": second_policy }),
            ),
            &prefix,
        )
        .await;
        assert_eq!(retired["policy"]["retired"], true);
        let query = "query($id: ID!) { approvalPolicy(id: $id) { retired } }";
        let data = expect_data(
            &admin,
            query,
            json!({ "id": second_policy }),
            "second policy",
        )
        .await;
        assert_eq!(
            data["approvalPolicy"]["retired"],
            false,
            "{}",
            tag("the reused key retired nothing")
        );

        // Keys belong to an organization: another one sending the same key and input
        // gets its own first answer, never ours.
        let other = app.second_org("Globex", "admin@globex.example").await;
        let theirs = first_answer(
            &other.client,
            docs::ADD_LEXICON_TERM,
            json!({ "flag": ugc, "term": "fan photo", "idempotencyKey": "lexicon-add" }),
            &tag("other organization, same key (keys are per organization)"),
        )
        .await;
        assert_eq!(theirs["lexicon"]["version"], 1);
        app.stop().await;
    }
}
