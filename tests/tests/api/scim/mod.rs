//! SCIM 2.0 provisioning (`/scim/v2`), as Okta and Microsoft Entra ID send it: the
//! request sequences each provider replays, and the refusals (duplicate userName,
//! unsupported filters, stale If-Match, missing scope, another organization's records).

mod entra;
mod okta;
mod refusals;

use chorus_tests::scim::global_id;
use chorus_tests::{expect_data, TestApp};
use serde_json::Value;

/// The person behind SCIM user `id`, as the GraphQL API shows them: details, status,
/// manager and every role ever held (with reason and grantor).
pub(super) async fn person(app: &TestApp, id: &str) -> Value {
    let data = expect_data(
        &app.admin(),
        "query($id: ID!) { person(id: $id) { displayName email externalId status \
         manager { id } roles(includeInactive: true) { edges { node { function active reason \
         revokeReason scope { kind team { id } } } } } } }",
        serde_json::json!({ "id": global_id("Person", id) }),
        "person",
    )
    .await;
    data["person"].clone()
}

/// The roles of a person (as [`person`] shows them) that are active.
pub(super) fn active_roles(person: &Value) -> Vec<Value> {
    person["roles"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|edge| edge["node"].clone())
        .filter(|role| role["active"] == true)
        .collect()
}
