//! `Case`, the routing decision it records, and `CaseSnapshot` (a case at a past instant).

use async_graphql::connection::Connection;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, ID};
use chorus_api::{decode_after, encode_cursor, encode_id, page, ApiError, ApiResult, Gql};
use chorus_cases_domain::routing as domain_routing;
use chorus_teams::graphql::{Channel, Person, RoleFunction, Team};
use chrono::{DateTime, Utc};

use super::contact::Contact;
use super::enums::{CaseCategory, CasePriority, CaseStatus, IntakeDoor, SlaTarget};
use super::shared::{channel, function_of, person, team};
use super::timeline::{reply_after, reply_cursor, CaseReply, CaseTimelineEntry};
use crate::read::{CaseById, CaseRow, CasesLoader, ContactById, RepliesOf, TimelineOf};

/// A complaint or enquiry from a contact, routed to a team and function, timed by an SLA.
pub struct Case(pub CaseRow);

const TABLE: &str = "cases";

/// The request's cases loader.
pub(super) fn cases_loader<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a DataLoader<CasesLoader>> {
    ctx.data::<DataLoader<CasesLoader>>()
        .map_err(|_| ApiError::internal(&"cases loader missing"))
}

/// A case of the caller's organization by id, through the request's loader.
pub(super) async fn case_by_id(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> ApiResult<Option<Case>> {
    match id {
        Some(id) => Ok(cases_loader(ctx)?.load_one(CaseById(id)).await?.map(Case)),
        None => Ok(None),
    }
}

#[Object]
impl Case {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id("Case", self.0.id)
    }
    /// Where the case is in its life.
    async fn status(&self) -> async_graphql::Result<CaseStatus> {
        CaseStatus::from_stored(TABLE, "status", &self.0.status).gql()
    }
    /// What it is about, as routing classified it.
    async fn category(&self) -> async_graphql::Result<CaseCategory> {
        CaseCategory::from_stored(TABLE, "category", &self.0.category).gql()
    }
    /// How urgent it is.
    async fn priority(&self) -> async_graphql::Result<CasePriority> {
        CasePriority::from_stored(TABLE, "priority", &self.0.priority).gql()
    }
    /// The function that works it (routed, or transferred to).
    async fn function(&self) -> async_graphql::Result<RoleFunction> {
        function_of(TABLE, "function", &self.0.function).gql()
    }
    /// The functions it was escalated to.
    async fn escalated_to(&self) -> async_graphql::Result<Vec<RoleFunction>> {
        async {
            let stored: Vec<String> =
                serde_json::from_str(&self.0.escalated_to).map_err(|e| ApiError::internal(&e))?;
            stored
                .iter()
                .map(|f| function_of(TABLE, "escalated_to", f))
                .collect::<ApiResult<Vec<_>>>()
        }
        .await
        .gql()
    }
    /// The team whose queue holds it (null: the organization's own queue).
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        team(ctx, self.0.team_id).await.gql()
    }
    /// Who holds it.
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.assignee_id).await.gql()
    }
    /// Who wrote.
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Contact>> {
        async {
            // A kept queue page handed this request its contacts.
            let kept = ctx.data_opt::<crate::read::kept::PageContacts>();
            if let Some(contact) = kept.and_then(|kept| kept.get(self.0.contact_id)) {
                return Ok(Some(Contact(contact)));
            }
            Ok(cases_loader(ctx)?
                .load_one(ContactById(self.0.contact_id))
                .await?
                .map(Contact))
        }
        .await
        .gql()
    }
    /// The door it came in through.
    async fn door(&self) -> async_graphql::Result<IntakeDoor> {
        IntakeDoor::from_stored(TABLE, "door", &self.0.door).gql()
    }
    /// The channel it came in on (or concerns), if any.
    async fn channel(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Channel>> {
        channel(ctx, self.0.channel_id).await.gql()
    }
    /// The CRM or help-desk system it came from, and that system's id for it.
    async fn external_system(&self) -> Option<&str> {
        self.0.external_system.as_deref()
    }
    async fn external_case_id(&self) -> Option<&str> {
        self.0.external_case_id.as_deref()
    }
    /// The contact's first message.
    async fn first_message(&self) -> Option<&str> {
        self.0.first_text.as_deref()
    }
    /// Whether replies must be private (complaints, by default).
    async fn handled_privately(&self) -> bool {
        self.0.handled_privately
    }
    /// Why the case went where it went: the rule, its version and the matched term.
    async fn routing(&self) -> async_graphql::Result<RoutingDecision> {
        serde_json::from_str::<domain_routing::RoutingDecision>(&self.0.routing)
            .map(RoutingDecision)
            .map_err(|e| ApiError::internal(&e))
            .gql()
    }
    /// The next SLA deadline of a running clock (null when none runs).
    async fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.0
            .next_deadline_kind
            .as_ref()
            .map(|_| self.0.queue_deadline)
    }
    /// Which target the next deadline is for.
    async fn next_deadline_target(&self) -> async_graphql::Result<Option<SlaTarget>> {
        self.0
            .next_deadline_kind
            .as_deref()
            .map(|kind| SlaTarget::from_stored(TABLE, "next_deadline_kind", kind))
            .transpose()
            .gql()
    }
    /// Whether an SLA target of the case was breached.
    async fn breached(&self) -> bool {
        self.0.breached
    }
    /// The earlier case this one follows up (a message after the reopen window).
    async fn follows(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_by_id(ctx, self.0.follows_case_id).await.gql()
    }
    /// The case this one was merged into.
    async fn merged_into(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_by_id(ctx, self.0.merged_into).await.gql()
    }
    /// How it was resolved.
    async fn resolution_code(&self) -> Option<&str> {
        self.0.resolution_code.as_deref()
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    async fn first_response_at(&self) -> Option<DateTime<Utc>> {
        self.0.first_response_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every event of the case, in order: its full timeline. Asked on a page of cases,
    /// the timelines load together (one query for the page).
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CaseTimelineEntry>> {
        async {
            let limit = page(ctx, first, None)?.limit;
            let after = decode_after(after, |bytes| bytes.try_into().ok().map(i64::from_be_bytes))?;
            let key = TimelineOf {
                case: self.0.id,
                after,
                limit,
            };
            let rows = cases_loader(ctx)?.load_one(key).await?.unwrap_or_default();
            Ok(chorus_api::cursor_connection(
                rows,
                limit,
                after.is_some(),
                |row| encode_cursor(row.sequence.to_be_bytes()),
                CaseTimelineEntry,
            ))
        }
        .await
        .gql()
    }
    /// The replies, oldest first: awaiting approval, sent, rejected or withdrawn. Asked
    /// on a page of cases, the replies load together (one query for the page).
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn replies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CaseReply>> {
        async {
            let limit = page(ctx, first, None)?.limit;
            let after = reply_after(after)?;
            let key = RepliesOf {
                case: self.0.id,
                after,
                limit,
            };
            let rows = cases_loader(ctx)?.load_one(key).await?.unwrap_or_default();
            Ok(chorus_api::cursor_connection(
                rows,
                limit,
                after.is_some(),
                reply_cursor,
                CaseReply,
            ))
        }
        .await
        .gql()
    }
}

/// Why a case went where it went, as recorded when it opened.
pub struct RoutingDecision(pub domain_routing::RoutingDecision);

#[Object]
impl RoutingDecision {
    /// The version of the organization's routing rules (0: the built-in defaults).
    async fn rules_version(&self) -> u64 {
        self.0.rules_version
    }
    /// The position of the rule that matched, from 0.
    async fn rule_index(&self) -> u32 {
        self.0.rule_index
    }
    async fn rule_name(&self) -> &str {
        self.0.rule_name.as_str()
    }
    /// The term of the text that matched, if the rule matched on terms.
    async fn matched_term(&self) -> Option<&str> {
        self.0.matched_term.as_deref()
    }
    async fn category(&self) -> CaseCategory {
        self.0.category.into()
    }
    async fn function(&self) -> RoleFunction {
        self.0.function.into()
    }
    async fn priority(&self) -> CasePriority {
        self.0.priority.into()
    }
    async fn handle_privately(&self) -> bool {
        self.0.handle_privately
    }
    async fn escalate_to(&self) -> Option<RoleFunction> {
        self.0.escalate_to.map(Into::into)
    }
    /// The function whose holders approve replies to the case, if replies need approval.
    async fn reply_approver(&self) -> Option<RoleFunction> {
        self.0.reply_approver.map(Into::into)
    }
    /// The SLA policy the rule names.
    async fn sla_policy_id(&self) -> Option<ID> {
        self.0.sla_policy_id.map(|id| encode_id("SlaPolicy", id))
    }
}

/// A case as it stood at a past instant, folded from its events up to then.
pub struct CaseSnapshot {
    pub(super) case: chorus_cases_domain::case::Case,
    pub(super) at: DateTime<Utc>,
}

#[Object]
impl CaseSnapshot {
    /// The instant.
    async fn at(&self) -> DateTime<Utc> {
        self.at
    }
    async fn status(&self) -> Option<CaseStatus> {
        self.case.status().map(Into::into)
    }
    async fn function(&self) -> Option<RoleFunction> {
        self.case.function().map(Into::into)
    }
    async fn escalated_to(&self) -> Vec<RoleFunction> {
        self.case
            .escalated_to()
            .iter()
            .map(|f| (*f).into())
            .collect()
    }
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        team(ctx, self.case.team_id()).await.gql()
    }
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.case.assignee()).await.gql()
    }
    /// The deadline of each SLA clock running then.
    async fn deadlines(&self) -> Vec<SlaDeadline> {
        let Some(sla) = self.case.sla() else {
            return Vec::new();
        };
        chorus_cases_domain::values::SlaTargetKind::ALL
            .iter()
            .filter_map(|kind| {
                sla.deadline(*kind).map(|deadline| SlaDeadline {
                    target: (*kind).into(),
                    deadline,
                })
            })
            .collect()
    }
}

/// A running SLA clock's deadline.
#[derive(async_graphql::SimpleObject)]
pub struct SlaDeadline {
    pub target: SlaTarget,
    pub deadline: DateTime<Utc>,
}
