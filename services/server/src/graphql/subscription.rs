//! Live events over graphql-transport-ws.

use std::sync::Arc;

use async_graphql::{Context, Object, Subscription as SubscriptionMacro, ID};
use chorus_api::module::EventTopic;
use chorus_kernel::RecordedEvent;
use chrono::{DateTime, Utc};
use futures::Stream;

pub use super::aggregate_type::AggregateType;
use super::event_stream::org_event_stream;
use super::{encode_id, require_subscriber, state, LogPositionScalar};
use crate::error::{ApiError, Gql};
use crate::state::AppState;

/// One committed event of the caller's organization.
pub struct OrganizationEvent(pub(super) Arc<RecordedEvent>);

#[Object]
impl OrganizationEvent {
    /// The event's place in the log (an opaque token of your organization).
    async fn position(&self, ctx: &Context<'_>) -> async_graphql::Result<LogPositionScalar> {
        super::seal(ctx, self.0.position).gql()
    }
    async fn aggregate_type(&self) -> Option<AggregateType> {
        AggregateType::from_stored(&self.0.aggregate_type)
    }
    /// Global id of the record the event belongs to.
    async fn aggregate_id(&self) -> Option<ID> {
        let kind = AggregateType::from_stored(&self.0.aggregate_type)?
            .0
            .node_kind;
        uuid::Uuid::parse_str(&self.0.aggregate_id)
            .ok()
            .map(|id| encode_id(kind, id))
    }
    /// Sequence of the event within its record.
    async fn sequence(&self) -> i64 {
        self.0.sequence
    }
    /// What happened, e.g. `RoleAssigned`.
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    async fn event_version(&self) -> &str {
        &self.0.event_version
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.metadata.occurred_at
    }
    /// The time the append statement wrote the event, just before its commit; later than
    /// occurredAt (stamped when the command started). Delivery minus recordedAt is the
    /// commit-to-delivery latency.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// `person`, `service_account` or `system`.
    async fn actor_kind(&self) -> &str {
        self.0.metadata.actor.kind.as_str()
    }
    /// The person who acted, when a person did.
    async fn actor_id(&self) -> Option<ID> {
        match self.0.metadata.actor.kind {
            chorus_kernel::ActorKind::Person => {
                self.0.metadata.actor.id.map(|id| encode_id("Person", id))
            }
            _ => None,
        }
    }
    /// Groups every event caused by one request.
    async fn correlation_id(&self) -> String {
        self.0.metadata.correlation_id.to_string()
    }
    /// The event's data, as recorded.
    async fn payload(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(self.0.payload.clone())
    }
}

pub struct Subscription;

#[SubscriptionMacro]
impl Subscription {
    /// Events of your organization as they commit, optionally only for some record kinds,
    /// in log order. Keep the last `position` received: subscribing again with `after` set
    /// to it replays what was missed (a dropped connection, a restart). A client that falls
    /// behind the live feed is replayed from the log, not dropped.
    async fn events(
        &self,
        ctx: &Context<'_>,
        aggregate_types: Option<Vec<AggregateType>>,
        #[graphql(
            desc = "Resume after this position (an event's `position`): the events \
                          committed after it are replayed from the log first, then live ones \
                          follow, with no gap and no duplicate. Omitted: from now."
        )]
        after: Option<LogPositionScalar>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
        let wanted: Option<Vec<&'static str>> =
            aggregate_types.map(|types| types.into_iter().map(|t| t.0.aggregate_type).collect());
        org_event_stream(ctx, after, move |event| {
            wanted
                .as_ref()
                .is_none_or(|w| w.contains(&event.aggregate_type.as_str()))
        })
        .await
    }

    /// Every event of the given posts (all posts when `postIds` is omitted): status
    /// changes, signatures, edits, legal blocks, publication.
    async fn post_updates(
        &self,
        ctx: &Context<'_>,
        post_ids: Option<Vec<ID>>,
        #[graphql(
            desc = "Resume after this position (an event's `position`): the events \
                          committed after it are replayed from the log first, then live ones \
                          follow, with no gap and no duplicate. Omitted: from now."
        )]
        after: Option<LogPositionScalar>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
        let topic = topic(ctx, "postUpdates")?;
        let kind = AggregateType::from_stored(topic.aggregate_type)
            .map_or("Post", |kind| kind.0.node_kind);
        let ids: Option<Vec<String>> = post_ids
            .map(|ids| {
                ids.iter()
                    .map(|id| super::decode_id(kind, "postIds", id).map(|uuid| uuid.to_string()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .gql()?;
        org_event_stream(ctx, after, move |event| {
            topic.matches(event)
                && ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&event.aggregate_id))
        })
        .await
    }

    /// Signals that approval inboxes may have changed (a post entered or left review, was
    /// signed, blocked or cleared): refetch `approvalInbox`, which applies your
    /// entitlements. Sent to every subscriber of the organization.
    async fn approval_inbox_updates(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Resume after this position (an event's `position`): the events \
                          committed after it are replayed from the log first, then live ones \
                          follow, with no gap and no duplicate. Omitted: from now."
        )]
        after: Option<LogPositionScalar>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
        let topic = topic(ctx, "approvalInboxUpdates")?;
        org_event_stream(ctx, after, move |event| topic.matches(event)).await
    }
    /// Every event of the given cases (all cases when `caseIds` is omitted): messages,
    /// assignment, replies, escalation, SLA warnings and breaches, resolution. Readers of
    /// cases only.
    async fn case_updates(
        &self,
        ctx: &Context<'_>,
        case_ids: Option<Vec<ID>>,
        #[graphql(
            desc = "Resume after this position (an event's `position`): the events \
                          committed after it are replayed from the log first, then live ones \
                          follow, with no gap and no duplicate. Omitted: from now."
        )]
        after: Option<LogPositionScalar>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
        chorus_cases::subscription::ensure_subscriber(subscriber(ctx)?)
            .await
            .gql()?;
        let topic = topic(ctx, "caseUpdates")?;
        let ids: Option<Vec<String>> = case_ids
            .map(|ids| {
                ids.iter()
                    .map(|id| super::decode_id("Case", "caseIds", id).map(|uuid| uuid.to_string()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .gql()?;
        org_event_stream(ctx, after, move |event| {
            topic.matches(event)
                && ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&event.aggregate_id))
        })
        .await
    }

    /// Signals that a team's case queue changed (a case entered, left or moved in it):
    /// refetch `caseQueue`. Omit `teamId` for the organization's own queue. Readers of
    /// cases only.
    async fn case_queue_updates(
        &self,
        ctx: &Context<'_>,
        team_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
        let team = team_id
            .map(|id| super::decode_id("Team", "teamId", &id))
            .transpose()
            .gql()?;
        let watch = chorus_cases::subscription::QueueWatch::start(subscriber(ctx)?, team)
            .await
            .gql()?;
        // It follows the queue from now (its watch knows the queue as it is now).
        org_event_stream(ctx, None, move |event| watch.admits(event)).await
    }
}

/// The subscriber as a use case's caller (the socket authenticated it once).
fn subscriber<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<chorus_api::Caller<'a>> {
    Ok(chorus_api::Caller {
        runtime: chorus_api::runtime(ctx).gql()?,
        principal: require_subscriber(ctx).gql()?,
        channel: "graphql-ws",
    })
}

/// The topic a context publishes for the subscription field `field`.
fn topic(ctx: &Context<'_>, field: &'static str) -> async_graphql::Result<EventTopic> {
    state(ctx)
        .gql()?
        .modules
        .iter()
        .flat_map(|module| module.topics())
        .find(|topic| topic.field == field)
        .ok_or_else(|| ApiError::internal(&format!("no context publishes {field}")))
        .gql()
}

/// Why `event` ends the subscriber's access, as the context that owns it says.
pub(super) fn ends_access(
    state: &AppState,
    event: &RecordedEvent,
    subscriber: &chorus_api::Principal,
) -> Option<&'static str> {
    state
        .modules
        .iter()
        .find_map(|module| module.ends_access(event, subscriber))
}
