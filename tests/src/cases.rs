//! The world the cases tests start from: team "Care" (with sub-team "Care EU") running
//! channel `@acme` on X, people holding the functions cases are routed to, and
//! integration tokens; plus raw documents for the case operations.

use serde_json::{json, Value};

use super::*;

/// Raw case documents: minimal selections, so tests read exactly what they check.
pub mod case_docs {
    use serde_json::Value;

    /// A case's replies (`case_query`'s `replies` edges), oldest first.
    pub fn replies_of(case: &Value) -> Vec<Value> {
        case["replies"]["edges"]
            .as_array()
            .expect("replies")
            .iter()
            .map(|e| e["node"].clone())
            .collect()
    }

    /// Every case field the tests read.
    pub const CASE_FIELDS: &str = "id status category priority function escalatedTo team { id } \
        assignee { id } contact { id displayName vip } door firstMessage handledPrivately \
        routing { rulesVersion ruleIndex ruleName matchedTerm replyApprover } nextDeadline \
        nextDeadlineTarget breached follows { id } mergedInto { id } resolutionCode openedAt \
        firstResponseAt resolvedAt";

    /// `mutation($input) { <field>(input: $input) { case { … } position replayed } }`.
    pub fn case_mutation(field: &str, input_type: &str) -> String {
        format!(
            "mutation($input: {input_type}!) {{ {field}(input: $input) {{ case {{ {CASE_FIELDS} }} position replayed }} }}"
        )
    }

    pub fn case_query() -> String {
        format!(
            "query($id: ID!) {{ case(id: $id) {{ {CASE_FIELDS} \
             timeline(first: 100) {{ edges {{ node {{ sequence kind actorId details }} }} }} \
             replies(first: 20) {{ edges {{ node {{ id text visibility status approverFunction \
             decidedBy {{ id }} decisionNote delegated outboundStatus networkMessageId }} }} }} }} }}"
        )
    }

    pub fn queue_query() -> String {
        format!(
            "query($filter: CaseQueueFilter, $first: Int, $after: String) {{ caseQueue(filter: $filter, first: $first, after: $after) {{ \
             pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {CASE_FIELDS} }} }} }} }}"
        )
    }
}

/// A person acting in the cases tests.
#[derive(Debug, Clone)]
pub struct CaseActor {
    pub id: String,
    pub client: ChorusClient,
}

/// The cases tests' organization.
#[derive(Debug, Clone)]
pub struct CaseWorld {
    pub care: String,
    pub care_eu: String,
    pub channel: String,
    /// CUSTOMER_SERVICE in team Care.
    pub agent: CaseActor,
    /// CUSTOMER_SERVICE in team Care EU (a sub-team: does not cover Care's cases).
    pub eu_agent: CaseActor,
    /// SALES in team Care.
    pub seller: CaseActor,
    /// PUBLIC_RELATIONS at organization scope.
    pub pr: CaseActor,
    /// LEGAL at organization scope.
    pub legal: CaseActor,
    /// SENIOR_MANAGEMENT at organization scope (an admin).
    pub senior: CaseActor,
    /// SOCIAL_MEDIA in team Care.
    pub social: CaseActor,
    /// MARKETING in team Care: no case function.
    pub marketer: CaseActor,
    /// A service account with `cases:intake`.
    pub intake: ChorusClient,
    /// A service account with `cases:read`.
    pub reader: ChorusClient,
}

impl TestApp {
    /// The organization's legal holder sets its routing rules.
    pub async fn set_routing_rules(&self, w: &CaseWorld, rules: Value) {
        expect_data(
            &w.legal.client,
            "mutation($input: SetRoutingRulesInput!) { setRoutingRules(input: $input) { routingRules { version } } }",
            json!({ "input": { "rules": rules } }),
            &format!("[{:?}] setRoutingRules", self.backend),
        )
        .await;
    }

    /// `client` replies publicly to case `id` with `text`; returns the case's replies.
    pub async fn reply_to_case(&self, client: &ChorusClient, id: &str, text: &str) -> Vec<Value> {
        self.case_change(
            client,
            "replyToCase",
            "ReplyToCaseInput",
            json!({ "caseId": id, "text": text, "visibility": "PUBLIC" }),
        )
        .await;
        case_docs::replies_of(&self.read_case(client, id).await)
    }

    /// Builds the [`CaseWorld`].
    pub async fn case_world(&self) -> CaseWorld {
        let care = self.create_team("Care", None).await;
        let care_eu = self.create_team("Care EU", Some(&care)).await;
        let channel = self
            .register_channel(&care, register_channel::SocialNetwork::X, "acme")
            .await;
        let actor = |(id, client): (String, ChorusClient)| CaseActor { id, client };
        let team = |name: &'static str, function: &'static str, team: &str| {
            let team = team.to_owned();
            async move {
                self.person_with_role(name, function, None, "TEAM", Some(&team))
                    .await
            }
        };
        let org = |name: &'static str, function: &'static str| async move {
            self.person_with_role(name, function, None, "ORGANIZATION", None)
                .await
        };
        CaseWorld {
            agent: actor(team("Ada Agent", "CUSTOMER_SERVICE", &care).await),
            eu_agent: actor(team("Eve Eu", "CUSTOMER_SERVICE", &care_eu).await),
            seller: actor(team("Sam Seller", "SALES", &care).await),
            social: actor(team("Sol Social", "SOCIAL_MEDIA", &care).await),
            marketer: actor(team("Mo Marketer", "MARKETING", &care).await),
            pr: actor(org("Pia Press", "PUBLIC_RELATIONS").await),
            legal: actor(org("Leo Legal", "LEGAL").await),
            senior: actor(org("Sue Senior", "SENIOR_MANAGEMENT").await),
            intake: self.client(Some(&self.token_for_service(&["cases:intake"]).await)),
            reader: self.client(Some(&self.token_for_service(&["cases:read"]).await)),
            care,
            care_eu,
            channel,
        }
    }

    /// The intake integration delivers a message on the world's channel; returns the
    /// case it landed in.
    pub async fn channel_message(
        &self,
        world: &CaseWorld,
        message_id: &str,
        handle: &str,
        text: &str,
        visibility: &str,
    ) -> Value {
        let data = expect_data(
            &world.intake,
            &case_docs::case_mutation("receiveChannelMessage", "ReceiveChannelMessageInput"),
            json!({ "input": {
                "channelId": world.channel,
                "externalMessageId": message_id,
                "authorHandle": handle,
                "text": text,
                "visibility": visibility,
            }}),
            &format!("[{:?}] receiveChannelMessage {message_id}", self.backend),
        )
        .await;
        data["receiveChannelMessage"]["case"].clone()
    }

    /// Runs a case mutation as `client` and returns its case.
    pub async fn case_change(
        &self,
        client: &ChorusClient,
        field: &str,
        input_type: &str,
        input: Value,
    ) -> Value {
        let data = expect_data(
            client,
            &case_docs::case_mutation(field, input_type),
            json!({ "input": input }),
            &format!("[{:?}] {field}", self.backend),
        )
        .await;
        data[field]["case"].clone()
    }

    /// A case with its timeline and replies, as `client` reads it.
    pub async fn read_case(&self, client: &ChorusClient, id: &str) -> Value {
        let data = expect_data(
            client,
            &case_docs::case_query(),
            json!({ "id": id }),
            &format!("[{:?}] case", self.backend),
        )
        .await;
        data["case"].clone()
    }
}
