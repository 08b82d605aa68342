//! The GraphQL documents the scenarios send, and the global ids they address records by.

use base64::Engine;
use uuid::Uuid;

pub(crate) const READ_TEAM: &str = "query ReadTeam($id: ID!) { team(id: $id) { id name \
    members(first: 50) { edges { node { person { id displayName } \
    roles { id function validFrom } manager { id displayName } } } } } }";

/// Checks a [`READ_TEAM`] answer: the read team has its 50 members.
pub(crate) fn fifty_members(data: &serde_json::Value) -> Result<(), crate::BenchError> {
    let members = data["team"]["members"]["edges"]
        .as_array()
        .map_or(0, Vec::len);
    if members != 50 {
        return Err(crate::BenchError::Load(format!(
            "read team: {members} members, not 50"
        )));
    }
    Ok(())
}

/// A page of a team's case queue, as a queue view shows it: the 50 open cases due
/// first, with their contact.
pub(crate) const CASE_QUEUE: &str = "query CaseQueue($team: ID!) { \
    caseQueue(filter: {teamId: $team}, first: 50) { edges { node { id status priority \
    category function nextDeadline nextDeadlineTarget breached openedAt firstMessage \
    contact { id displayName } } } pageInfo { hasNextPage endCursor } } }";

/// Checks a [`CASE_QUEUE`] answer: a full page of open cases, in queue order.
pub(crate) fn fifty_cases(data: &serde_json::Value) -> Result<(), crate::BenchError> {
    let edges = data["caseQueue"]["edges"].as_array();
    let cases = edges.map_or(0, Vec::len);
    if cases != 50 {
        return Err(crate::BenchError::Load(format!(
            "case queue: {cases} cases, not 50"
        )));
    }
    let contacts = edges
        .into_iter()
        .flatten()
        .filter(|e| e["node"]["contact"]["displayName"].is_string())
        .count();
    if contacts != 50 || data["caseQueue"]["pageInfo"]["hasNextPage"] != true {
        return Err(crate::BenchError::Load(format!("case queue: {data}")));
    }
    Ok(())
}

pub(crate) const AUDITOR: &str =
    "query Approvals($approver: ID!, $from: DateTime!, $to: DateTime!) { \
    approvals(filter: {approverId: $approver, from: $from, to: $to}, first: 100) { \
    edges { node { postId step policyId policyVersion signedAt function assignmentId } } \
    pageInfo { hasNextPage } } }";

pub(crate) const TIME_TRAVEL: &str = "query AsOf($id: ID!, $at: DateTime!) { \
    teamStructureAsOf(teamId: $id, at: $at) { existed members(first: 50) { edges { node { \
    person { id displayName } roles { id function validFrom validTo } manager { id } } } } } }";

pub(crate) const ASSIGN: &str =
    "mutation Assign($input: AssignRoleInput!) { assignRole(input: $input) { \
    roleAssignment { id function validFrom } position } }";

pub(crate) const FUNCTIONS: [&str; 10] = [
    "SOCIAL_MEDIA",
    "MARKETING",
    "PUBLIC_RELATIONS",
    "CUSTOMER_SERVICE",
    "SALES",
    "CREATIVE",
    "TECHNOLOGY",
    "PRODUCTION",
    "ANALYTICS",
    "HUMAN_RESOURCES",
];

pub(crate) fn global_id(kind: &str, id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_match_the_server_encoding() {
        assert_eq!(
            global_id("Team", Uuid::nil()),
            "VGVhbTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"
        );
    }
}
