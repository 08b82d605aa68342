//! The stream behind every subscription: the caller's organization's committed events that
//! pass a filter, from a definite start, with nothing skipped and nothing twice.
//!
//! A stream starts at a position: the one the client resumes `after` (an event's
//! `position`), or else the log's head when it subscribes. It subscribes to the live feed
//! first, then replays the organization's events after its start from the log
//! ([`chorus_kernel::LogReader::read_organization_after`], the feed's order), then takes
//! the live ones, dropping those at or before the last it handled: the replay and the feed
//! meet without a gap (the feed was subscribed before the replay read) and without a
//! duplicate (same order, positions compared). A client that falls further behind than the
//! feed holds is replayed again from the last event it was handed instead of losing
//! events.

use std::collections::VecDeque;
use std::sync::Arc;

use async_graphql::Context;
use chorus_kernel::{LogPosition, RecordedEvent};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::subscription::OrganizationEvent;
use super::{require_subscriber, state, LogPositionScalar};
use crate::error::{ApiError, Gql};
use crate::state::AppState;

/// Events read from the log per replay query.
const REPLAY_BATCH: i64 = 500;

/// Where a stream is: the feed, the last event handled and what the replay read ahead.
struct Cursor {
    receiver: Receiver<Arc<RecordedEvent>>,
    last: LogPosition,
    backlog: VecDeque<Arc<RecordedEvent>>,
    replaying: bool,
}

/// The position `after` names, for the caller's organization.
async fn start_after(
    state: &AppState,
    organization_id: uuid::Uuid,
    after: Option<LogPositionScalar>,
) -> Result<LogPosition, ApiError> {
    let Some(token) = after else {
        return Ok(state.reader.head().await?);
    };
    let invalid = || {
        ApiError::bad_input(
            "after",
            "must be a position returned to your organization by this API",
        )
    };
    let position = state
        .positions
        .open(organization_id, &token.0)
        .ok_or_else(invalid)?;
    state
        .reader
        .position_of(position)
        .await?
        .ok_or_else(invalid)
}

/// The caller's organization's committed events after `after` (or from now) that pass
/// `wanted`; the stream ends when the token expires or is revoked, or its person is
/// offboarded.
pub(super) async fn org_event_stream(
    ctx: &Context<'_>,
    after: Option<LogPositionScalar>,
    wanted: impl Fn(&RecordedEvent) -> bool + Send + Sync + 'static,
) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>>> {
    let principal = Arc::new(require_subscriber(ctx).gql()?.clone());
    let org = principal.organization_id;
    let expires_at = principal.expires_at;
    let state = state(ctx).gql()?.clone();
    // Subscribed before the start is read: whatever commits after it reaches the feed.
    let receiver = state.feed.subscribe();
    let start = start_after(&state, org, after).await.gql()?;
    let cursor = Cursor {
        receiver,
        last: start,
        backlog: VecDeque::new(),
        replaying: true,
    };
    let wanted = Arc::new(wanted);
    let end = |code: &'static str, message: String| {
        async_graphql::ErrorExtensions::extend(&ApiError::Domain { code, message })
    };
    Ok(futures::stream::unfold(Some(cursor), move |cursor| {
        let wanted = wanted.clone();
        let principal = principal.clone();
        let state = state.clone();
        async move {
            let mut cursor = cursor?;
            let expiry = (expires_at - chrono::Utc::now())
                .to_std()
                .unwrap_or_default();
            let expired = tokio::time::sleep(expiry);
            tokio::pin!(expired);
            loop {
                if let Some(event) = cursor.backlog.pop_front() {
                    cursor.last = event.position;
                    // An offboarded person's or a revoked token's open subscriptions end
                    // with their access.
                    if let Some(reason) =
                        super::subscription::ends_access(&state, &event, &principal)
                    {
                        return Some((Err(end("UNAUTHENTICATED", reason.into())), None));
                    }
                    if wanted(&event) {
                        return Some((Ok(OrganizationEvent(event)), Some(cursor)));
                    }
                    continue;
                }
                if cursor.replaying {
                    match state
                        .reader
                        .read_organization_after(org, cursor.last, REPLAY_BATCH)
                        .await
                    {
                        Ok(events) if events.is_empty() => cursor.replaying = false,
                        Ok(events) => cursor.backlog.extend(events.into_iter().map(Arc::new)),
                        Err(error) => {
                            tracing::error!(%error, "a subscription could not replay the log");
                            return Some((
                                Err(end(
                                    "SUBSCRIPTION_LAGGED",
                                    "the events missed could not be read; resubscribe with `after` \
                                     set to the last position received"
                                        .into(),
                                )),
                                None,
                            ));
                        }
                    }
                    continue;
                }
                let received = tokio::select! {
                    received = cursor.receiver.recv() => received,
                    () = &mut expired => {
                        return Some((Err(end("UNAUTHENTICATED", "the token expired; reconnect with a new one".into())), None));
                    }
                };
                match received {
                    Ok(event) => {
                        // The replay handed it already, or it is another organization's.
                        if event.metadata.organization_id == org && event.position > cursor.last {
                            cursor.backlog.push_back(event);
                        }
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::info!(
                            missed,
                            "subscriber fell behind the feed; replaying from the log"
                        );
                        cursor.replaying = true;
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    }))
}
