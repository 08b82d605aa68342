//! The team roster read model behind `Team.members`: every event that changes what a
//! member page shows reaches it (roles assigned and revoked, people renamed as members
//! and as managers, reporting lines set and cleared, offboarding, future-dated roles),
//! other selections still resolve, a rebuild reproduces it, and the cached caller check
//! refuses an offboarded person or a revoked token on their very next request. The
//! rosters kept in-process are dropped by every change, decide "now" at each read, and
//! keep nothing for another organization's ids.

use chorus_server::teams::api::{CallerKey, CALLERS, ROSTERS, TEAMS};
use chorus_tests::{
    assert_code, backend_tests, expect_data, spawn_app, uuid_of, TestApp, TestBackend,
};
use serde_json::{json, Value};

/// A member as the page shows them: name, functions, manager's name.
type Member = (String, Vec<String>, Option<String>);

const MEMBERS: &str = "query($id: ID!) { team(id: $id) { members(first: 50) { edges { node {
    person { id displayName email status }
    roles { id function validFrom validTo active scope { kind team { id } } }
    manager { id displayName } } } } } }";

/// The members page as (name, functions, manager name), in page order.
async fn members(app: &TestApp, team: &str) -> Vec<Member> {
    let data = expect_data(&app.admin(), MEMBERS, json!({ "id": team }), "members").await;
    data["team"]["members"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let node = &e["node"];
            let roles = node["roles"].as_array().expect("roles");
            for role in roles {
                assert_eq!(role["scope"]["team"]["id"], json!(team), "{node}");
                assert_eq!(role["active"], json!(true), "{node}");
            }
            (
                node["person"]["displayName"]
                    .as_str()
                    .expect("name")
                    .to_owned(),
                roles
                    .iter()
                    .map(|r| r["function"].as_str().expect("function").to_owned())
                    .collect(),
                node["manager"]["displayName"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn mutate(app: &TestApp, mutation: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: {}Input!) {{ {mutation}(input: $input) {{ replayed }} }}",
        capitalized(mutation)
    );
    expect_data(&app.admin(), &query, json!({ "input": input }), mutation).await
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

async fn assign(
    app: &TestApp,
    person: &str,
    function: &str,
    team: &str,
    from: Option<&str>,
) -> String {
    let query = "mutation($input: AssignRoleInput!) { assignRole(input: $input) { roleAssignment { id } } }";
    let input = json!({ "personId": person, "function": function, "reason": "roster test",
        "scope": { "kind": "TEAM", "id": team }, "effectiveFrom": from });
    let data = expect_data(&app.admin(), query, json!({ "input": input }), "assignRole").await;
    data["assignRole"]["roleAssignment"]["id"]
        .as_str()
        .expect("assignment")
        .to_owned()
}

fn row(name: &str, functions: &[&str], manager: Option<&str>) -> Member {
    (
        name.to_owned(),
        functions.iter().map(|f| (*f).to_owned()).collect(),
        manager.map(str::to_owned),
    )
}

/// Sorted as the page is: by person id.
fn by_id(mut rows: Vec<(&str, Member)>) -> Vec<Member> {
    rows.sort_by_key(|(id, _)| uuid_of(id));
    rows.into_iter().map(|(_, r)| r).collect()
}

backend_tests! {
    async fn team_members_follow_every_event_that_changes_them(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let team = app.create_team("Brand", None).await;
        let other = app.create_team("Other", None).await;
        let alice = app.add_person("Alice", "alice@acme.example").await;
        let bob = app.add_person("Bob", "bob@acme.example").await;
        let mia = app.add_person("Mia", "mia@acme.example").await;

        mutate(&app, "setReportingLine", json!({ "personId": alice, "managerId": mia })).await;
        let alice_sm = assign(&app, &alice, "SOCIAL_MEDIA", &team, None).await;
        let bob_pr = assign(&app, &bob, "PUBLIC_RELATIONS", &team, None).await;
        let bob_mk = assign(&app, &bob, "MARKETING", &team, None).await;
        assign(&app, &mia, "LEGAL", &other, None).await;
        // A role that starts tomorrow makes nobody a member today.
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        assign(&app, &mia, "CREATIVE", &team, Some(&tomorrow)).await;
        let mut functions_of_bob = vec!["PUBLIC_RELATIONS", "MARKETING"];
        functions_of_bob.sort_by_key(|f| if *f == "PUBLIC_RELATIONS" { uuid_of(&bob_pr) } else { uuid_of(&bob_mk) });
        assert_eq!(
            members(&app, &team).await,
            by_id(vec![
                (&alice, row("Alice", &["SOCIAL_MEDIA"], Some("Mia"))),
                (&bob, row("Bob", &functions_of_bob, None)),
            ]),
            "[{backend:?}] members with their roles and manager"
        );

        // Renamed as a member and as a manager; a manager for Bob.
        mutate(&app, "updatePerson", json!({ "personId": alice, "displayName": "Alice B." })).await;
        mutate(&app, "updatePerson", json!({ "personId": mia, "displayName": "Mia K." })).await;
        mutate(&app, "setReportingLine", json!({ "personId": bob, "managerId": alice })).await;
        assert_eq!(
            members(&app, &team).await,
            by_id(vec![
                (&alice, row("Alice B.", &["SOCIAL_MEDIA"], Some("Mia K."))),
                (&bob, row("Bob", &functions_of_bob, Some("Alice B."))),
            ]),
            "[{backend:?}] renames reach members and managers"
        );

        // One of Bob's roles revoked, Alice's line cleared.
        mutate(&app, "revokeRole", json!({ "roleAssignmentId": bob_pr, "reason": "moved" })).await;
        mutate(&app, "clearReportingLine", json!({ "personId": alice })).await;
        assert_eq!(
            members(&app, &team).await,
            by_id(vec![
                (&alice, row("Alice B.", &["SOCIAL_MEDIA"], None)),
                (&bob, row("Bob", &["MARKETING"], Some("Alice B."))),
            ]),
            "[{backend:?}] a revoked role and a cleared line"
        );

        // Alice offboarded: her roles end, so she leaves; Bob's manager shows her status.
        mutate(&app, "offboardPerson", json!({ "personId": alice })).await;
        let data = expect_data(&app.admin(), MEMBERS, json!({ "id": team }), "members").await;
        let edges = data["team"]["members"]["edges"].as_array().expect("edges").clone();
        assert_eq!(edges.len(), 1, "[{backend:?}] only Bob is left: {data}");
        assert_eq!(edges[0]["node"]["person"]["id"], json!(bob));
        let manager = edges[0]["node"]["manager"].clone();
        assert!(
            manager.is_null() || manager["displayName"] == json!("Alice B."),
            "[{backend:?}] Bob's manager as the reporting lines have it: {manager}"
        );
        let _ = alice_sm;

        // Bob's last role revoked: the team has no member now.
        mutate(&app, "revokeRole", json!({ "roleAssignmentId": bob_mk, "reason": "left" })).await;
        assert_eq!(members(&app, &team).await, vec![], "[{backend:?}] nobody left");

        // Fields the roster does not hold still resolve through the loaders.
        let bob_sm = assign(&app, &bob, "SOCIAL_MEDIA", &team, None).await;
        let deep = "query($id: ID!) { team(id: $id) { members(first: 1) { pageInfo { hasNextPage }
            edges { node { person { affiliation createdAt roles(first: 5) { edges { node { id } } }
            manager { email } } roles { reason grantedBy { displayName } } } } } } }";
        let data = expect_data(&app.admin(), deep, json!({ "id": team }), "deep members").await;
        let node = &data["team"]["members"]["edges"][0]["node"];
        assert_eq!(node["person"]["affiliation"], json!("INTERNAL"), "[{backend:?}] {data}");
        assert_eq!(node["person"]["roles"]["edges"][0]["node"]["id"], json!(bob_sm));
        assert_eq!(node["roles"][0]["reason"], json!("roster test"));
        assert_eq!(node["roles"][0]["grantedBy"]["displayName"], json!("Ada Admin"));
        assert!(node["person"]["manager"].is_null() || node["person"]["manager"]["email"].is_string());

        // The roster is a read model like the others: a rebuild reproduces it.
        let before = members(&app, &team).await;
        app.state().projector.rebuild(Some("teams")).await.expect("rebuild");
        assert_eq!(members(&app, &team).await, before, "[{backend:?}] rebuilt roster");
        app.stop().await;
    }
}

backend_tests! {
    async fn an_offboarded_person_is_refused_on_the_next_request_despite_the_cache(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let person = app.add_person("Paul", "paul@acme.example").await;
        let token = app.token_for_person(uuid_of(&person));
        let paul = app.client(Some(&token));
        let viewer = "{ viewer { person { displayName } } }";
        expect_data(&paul, viewer, json!({}), "viewer").await;
        expect_data(&paul, viewer, json!({}), "viewer again").await;
        let key = CallerKey::ActivePerson(app.organization_id, uuid_of(&person));
        assert!(CALLERS.holds(key), "[{backend:?}] the check is cached after a request");

        mutate(&app, "offboardPerson", json!({ "personId": person })).await;
        assert!(!CALLERS.holds(key), "[{backend:?}] the offboarding dropped the answer");
        let refused = paul.raw(viewer, json!({})).await;
        assert_code(refused, "UNAUTHENTICATED", None, "refused right after the offboarding");
        app.stop().await;
    }
}

backend_tests! {
    async fn a_revoked_service_token_is_refused_on_the_next_request_despite_the_cache(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let token = app.token_for_service(&["teams:read"]).await;
        let service = app.client(Some(&token));
        let teams = "{ teams(first: 1) { edges { node { id } } } }";
        expect_data(&service, teams, json!({}), "teams").await;
        expect_data(&service, teams, json!({}), "teams again").await;
        let tokens = "{ serviceTokens(first: 5) { edges { node { id serviceAccountId } } } }";
        let data = expect_data(&app.admin(), tokens, json!({}), "tokens").await;
        let node = &data["serviceTokens"]["edges"][0]["node"];
        let token_id = node["id"].as_str().expect("token").to_owned();
        let account = uuid_of(node["serviceAccountId"].as_str().expect("service account"));

        let key = CallerKey::RegisteredToken(app.organization_id, account, uuid_of(&token_id));
        assert!(CALLERS.holds(key), "[{backend:?}] the token check is cached after a request");
        mutate(&app, "revokeServiceToken", json!({ "tokenId": token_id, "reason": "leaked" })).await;
        assert!(!CALLERS.holds(key), "[{backend:?}] the revocation dropped the answer");
        let refused = service.raw(teams, json!({})).await;
        assert_code(refused, "UNAUTHENTICATED", None, "refused right after the revocation");
        app.stop().await;
    }
}

/// Asserts the team's members are `expected` when the read ends before `starts` (Carol's
/// role start); a read that ends later may already show her, so it is not judged.
async fn until_start(
    app: &TestApp,
    team: &str,
    starts: chrono::DateTime<chrono::Utc>,
    expected: &[Member],
    what: &str,
) {
    let got = members(app, team).await;
    if chrono::Utc::now() < starts {
        assert_eq!(got, expected, "{what}");
    }
}

backend_tests! {
    async fn a_kept_roster_is_dropped_by_a_change_and_decides_now_at_each_read(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let org = app.organization_id;
        let team = app.create_team("Brand", None).await;
        let alice = app.add_person("Alice", "alice@acme.example").await;
        let carol = app.add_person("Carol", "carol@acme.example").await;
        assign(&app, &alice, "SOCIAL_MEDIA", &team, None).await;
        // Carol's role starts in a moment, with no event when it does. Until then the
        // members are `alone` (or `renamed`); a read that overlaps the start may show
        // either (a loaded machine can take that long to get there).
        let starts = chrono::Utc::now() + chrono::Duration::milliseconds(6000);
        assign(&app, &carol, "PUBLIC_RELATIONS", &team, Some(&starts.to_rfc3339())).await;

        let alone = vec![row("Alice", &["SOCIAL_MEDIA"], None)];
        until_start(&app, &team, starts, &alone, &format!("[{backend:?}] before Carol's start")).await;
        assert!(ROSTERS.holds(org, uuid_of(&team)), "[{backend:?}] the read kept the roster");
        until_start(&app, &team, starts, &alone, &format!("[{backend:?}] served from the kept roster")).await;

        // A change of the organization drops its kept rosters before the read models show it.
        mutate(&app, "updatePerson", json!({ "personId": alice, "displayName": "Alice B." })).await;
        assert!(!ROSTERS.holds(org, uuid_of(&team)), "[{backend:?}] the rename dropped it");
        let renamed = vec![row("Alice B.", &["SOCIAL_MEDIA"], None)];
        until_start(&app, &team, starts, &renamed, &format!("[{backend:?}] the rename shows at once")).await;
        assert!(ROSTERS.holds(org, uuid_of(&team)), "[{backend:?}] kept again");

        // The team row is kept too, and dropped the same way.
        let name = "query($id: ID!) { team(id: $id) { name } }";
        assert!(TEAMS.holds(org, uuid_of(&team)), "[{backend:?}] the team row is kept");
        mutate(&app, "renameTeam", json!({ "teamId": team, "name": "Brand & Co" })).await;
        assert!(!TEAMS.holds(org, uuid_of(&team)), "[{backend:?}] the rename dropped it");
        let data = expect_data(&app.admin(), name, json!({ "id": team }), "team name").await;
        assert_eq!(data["team"]["name"], json!("Brand & Co"), "[{backend:?}] renamed at once");
        until_start(&app, &team, starts, &renamed, &format!("[{backend:?}] kept once more")).await;

        // Carol's start comes by time alone: the kept roster still serves, and shows her.
        let wait = (starts - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait + std::time::Duration::from_millis(100)).await;
        assert!(ROSTERS.holds(org, uuid_of(&team)), "[{backend:?}] no event dropped it");
        assert_eq!(
            members(&app, &team).await,
            by_id(vec![
                (&alice, row("Alice B.", &["SOCIAL_MEDIA"], None)),
                (&carol, row("Carol", &["PUBLIC_RELATIONS"], None)),
            ]),
            "[{backend:?}] Carol's role started while the roster was kept"
        );

        // Another organization asking for this team's id finds nothing and keeps nothing.
        let other = app.second_org("Globex", "admin@globex.example").await;
        let data = expect_data(&other.client, MEMBERS, json!({ "id": team }), "other org").await;
        assert_eq!(data["team"], Value::Null, "[{backend:?}] confined: {data}");
        assert!(
            !ROSTERS.holds(other.organization_id, uuid_of(&team)),
            "[{backend:?}] nothing kept for an id of another organization"
        );
        app.stop().await;
    }
}

/// Every field `Plain<TeamMember>` answers itself (services/teams/src/graphql/plain.rs),
/// with an alias, `__typename`, a fragment spread and an inline fragment on an interface.
const PLAIN_FIELDS: &str = "
    fragment P on Person { id displayName email affiliation externalId status offboardedAt createdAt }
    query($id: ID!) { team(id: $id) { members(first: 50) { edges { cursor node {
        __typename
        who: person { __typename ...P ... on Node { nid: id } }
        roles { __typename id function responsibility validFrom validTo active reason revokeReason EXTRA }
        manager { ...P } } } } } }";

backend_tests! {
    async fn plain_members_equal_the_resolvers(backend: TestBackend) {
        let app = spawn_app(backend).await;
        let team = app.create_team("Brand", None).await;
        let alice = app.add_person("Alice", "alice@acme.example").await;
        let bob = app.add_person("Bob", "bob@acme.example").await;
        let mia = app.add_person("Mia", "mia@acme.example").await;
        mutate(&app, "updatePerson", json!({ "personId": alice, "affiliation": "AGENCY", "externalId": "HR-7" })).await;
        mutate(&app, "setReportingLine", json!({ "personId": alice, "managerId": mia })).await;
        let query = "mutation($input: AssignRoleInput!) { assignRole(input: $input) { replayed } }";
        let input = json!({ "personId": alice, "function": "SOCIAL_MEDIA", "responsibility": "STRATEGIST",
            "reason": "plain", "scope": { "kind": "TEAM", "id": team } });
        expect_data(&app.admin(), query, json!({ "input": input }), "assignRole").await;
        assign(&app, &alice, "MARKETING", &team, None).await;
        assign(&app, &bob, "PUBLIC_RELATIONS", &team, None).await;
        mutate(&app, "setReportingLine", json!({ "personId": bob, "managerId": mia })).await;
        mutate(&app, "offboardPerson", json!({ "personId": mia })).await;

        // The same selection twice: as plain values, and (with a role's scope, which only
        // the resolvers answer) through the executor; without the scope they must be equal.
        let plain_query = PLAIN_FIELDS.replace("EXTRA", "");
        let resolved_query = PLAIN_FIELDS.replace("EXTRA", "scope { kind }");
        let plain = expect_data(&app.admin(), &plain_query, json!({ "id": team }), "plain").await;
        let mut resolved = expect_data(&app.admin(), &resolved_query, json!({ "id": team }), "resolved").await;
        let edges = resolved["team"]["members"]["edges"].as_array_mut().expect("edges");
        assert_eq!(edges.len(), 2, "[{backend:?}] {resolved}");
        for edge in edges {
            for role in edge["node"]["roles"].as_array_mut().expect("roles") {
                role.as_object_mut().expect("role").remove("scope");
            }
        }
        assert_eq!(plain, resolved, "[{backend:?}] plain values equal the resolvers'");
        let text = plain.to_string();
        for expected in ["\"AGENCY\"", "\"HR-7\"", "\"STRATEGIST\"", "\"OFFBOARDED\"", "\"TeamMember\"", "\"who\""] {
            assert!(text.contains(expected), "[{backend:?}] {expected} in {text}");
        }
        app.stop().await;
    }
}
