//! A team queue's settings: `caseQueueSettings(teamId)` and `configureCaseQueue`.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chorus_api::{
    decode_id, encode_id, principal, runtime, seal, ApiError, ApiResult, Caller, Gql,
    LogPositionScalar,
};
use chorus_cases_domain::queue::{self as domain, QueueSettings};
use chorus_teams::graphql::RoleFunction;
use serde::Serialize;

use super::mutations::Keyed;
use super::shared::{function_of, reading};
use crate::commands;
use crate::read::config::{queue_settings, QueueRow};

chorus_api::mirror_enum!(
    /// How a team's queue hands its cases out.
    AssignmentStrategy => domain::AssignmentStrategy { Manual, RoundRobin, LoadBalanced }
);

/// How a team's queue hands its cases out, and whether replies to its cases need
/// approval.
#[derive(SimpleObject)]
pub struct CaseQueueSettings {
    /// The team.
    pub team_id: ID,
    /// How cases are handed out.
    pub strategy: AssignmentStrategy,
    /// Most open cases one person holds before the queue skips them (null: no limit).
    pub capacity: Option<i64>,
    /// Replies to the team's cases need the approval of a holder of this function
    /// covering the case (null: the team asks for none). A routing rule's reply
    /// approver wins over it; a reply the lexicon flags needs approval anyway.
    pub reply_approver: Option<RoleFunction>,
    /// The settings' version (0: never configured, by hand).
    pub version: i64,
}

fn settings_of(team: uuid::Uuid, row: Option<QueueRow>) -> ApiResult<CaseQueueSettings> {
    Ok(match row {
        Some(row) => CaseQueueSettings {
            team_id: encode_id("Team", row.team_id),
            strategy: AssignmentStrategy::from_stored("case_queues", "strategy", &row.strategy)?,
            capacity: row.capacity,
            reply_approver: row
                .reply_approver
                .as_deref()
                .map(|f| function_of("case_queues", "reply_approver", f))
                .transpose()?,
            version: row.version,
        },
        None => CaseQueueSettings {
            team_id: encode_id("Team", team),
            strategy: AssignmentStrategy::Manual,
            capacity: None,
            reply_approver: None,
            version: 0,
        },
    })
}

/// New settings for a team's queue.
#[derive(InputObject, Serialize)]
pub struct ConfigureCaseQueueInput {
    /// The team whose queue this configures.
    team_id: ID,
    /// How the queue hands its cases out.
    strategy: AssignmentStrategy,
    /// 1 to 1000 (omit: no limit).
    capacity: Option<u32>,
    /// Replies to the team's cases need the approval of a holder of this function
    /// (omit: none), unless their routing rule names its own approver.
    reply_approver: Option<RoleFunction>,
    /// Makes a retry return the first outcome and record nothing twice.
    idempotency_key: Option<String>,
}

crate::graphql::mutations::keyed!(ConfigureCaseQueueInput);

/// Result of `configureCaseQueue`.
#[derive(SimpleObject)]
pub struct CaseQueuePayload {
    /// The settings now.
    queue: CaseQueueSettings,
    /// The log position of the change (wait for it with `Chorus-Consistent-With`).
    position: LogPositionScalar,
    /// Whether this answers a retried request (nothing was recorded again).
    replayed: bool,
}

#[derive(Default)]
pub struct QueueQuery;

#[Object]
impl QueueQuery {
    /// How a team's queue hands its cases out (manual until configured).
    async fn case_queue_settings(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
    ) -> async_graphql::Result<CaseQueueSettings> {
        async {
            let (org, db) = reading(ctx).await?;
            let team = decode_id("Team", "teamId", &team_id)?;
            settings_of(team, queue_settings(db, org, team).await?)
        }
        .await
        .gql()
    }
}

#[derive(Default)]
pub struct QueueMutation;

#[Object]
impl QueueMutation {
    /// Sets how a team's queue hands its cases out: by hand, round robin, or to the least
    /// loaded member holding the case's function in the team, with a per-person capacity;
    /// and the function whose holders approve replies to the team's cases, if any.
    /// Organization admins.
    async fn configure_case_queue(
        &self,
        ctx: &Context<'_>,
        input: ConfigureCaseQueueInput,
    ) -> async_graphql::Result<CaseQueuePayload> {
        async {
            let (caller, key) =
                Caller::for_mutation(ctx, "configureCaseQueue", input.idempotency_key(), &input)?;
            let team = decode_id("Team", "teamId", &input.team_id)?;
            let settings = QueueSettings::try_new(
                input.strategy.into(),
                input.capacity,
                input.reply_approver.map(Into::into),
            )
            .map_err(|e| ApiError::bad_input(e.field, e.rule))?;
            let outcome = commands::configure_queue(caller, team, settings, key).await?;
            let org = principal(ctx)?.organization_id;
            let row = queue_settings(&runtime(ctx)?.db, org, team).await?;
            Ok(CaseQueuePayload {
                queue: settings_of(team, row)?,
                position: seal(ctx, outcome.position)?,
                replayed: outcome.replayed,
            })
        }
        .await
        .gql()
    }
}
