//! Working a case: `assignCase`, `unassignCase`, `transferCase`, `waitOnContact`,
//! `escalateCase`, `resolveCase` and `mergeCase`.

use async_graphql::{Context, InputObject, Object, ID};
use chorus_api::{decode_id, parse};
use chorus_teams::graphql::RoleFunction;
use serde::Serialize;

use super::{case_id, case_mutation, keyed, CaseAnswer};
use crate::commands::{self, AssignCase, TransferCase};

/// Gives a case to a person.
#[derive(InputObject, Serialize)]
pub struct AssignCaseInput {
    case_id: ID,
    /// The person (default: you). They must hold the case's function covering it.
    assignee_id: Option<ID>,
    idempotency_key: Option<String>,
}

/// Names one case.
#[derive(InputObject, Serialize)]
pub struct CaseActionInput {
    case_id: ID,
    idempotency_key: Option<String>,
}

/// Sends a case to another team's or function's queue.
#[derive(InputObject, Serialize)]
pub struct TransferCaseInput {
    case_id: ID,
    /// The team (omit: the organization's own queue).
    team_id: Option<ID>,
    function: RoleFunction,
    reason: String,
    idempotency_key: Option<String>,
}

/// Escalates a case.
#[derive(InputObject, Serialize)]
pub struct EscalateCaseInput {
    case_id: ID,
    /// PUBLIC_RELATIONS, LEGAL or SENIOR_MANAGEMENT.
    to: RoleFunction,
    reason: String,
    idempotency_key: Option<String>,
}

/// Resolves a case.
#[derive(InputObject, Serialize)]
pub struct ResolveCaseInput {
    case_id: ID,
    /// How it was resolved (`ANSWERED`, `REFUNDED`, …).
    resolution_code: String,
    idempotency_key: Option<String>,
}

/// Merges a duplicate into another case.
#[derive(InputObject, Serialize)]
pub struct MergeCaseInput {
    /// The duplicate, which closes.
    case_id: ID,
    /// The case that absorbs it.
    target_case_id: ID,
    idempotency_key: Option<String>,
}

keyed!(
    AssignCaseInput,
    CaseActionInput,
    TransferCaseInput,
    EscalateCaseInput,
    ResolveCaseInput,
    MergeCaseInput,
);

#[derive(Default)]
pub struct WorkMutation;

#[Object]
impl WorkMutation {
    /// Gives a case to a person holding its function covering it: yourself (a worker of
    /// the case), or a colleague (workers and admins).
    async fn assign_case(&self, ctx: &Context<'_>, input: AssignCaseInput) -> CaseAnswer {
        let parse = |i: &AssignCaseInput| {
            Ok(AssignCase {
                case_id: case_id(&i.case_id)?,
                assignee: i
                    .assignee_id
                    .as_ref()
                    .map(|id| decode_id("Person", "assigneeId", id))
                    .transpose()?,
            })
        };
        case_mutation(ctx, "assignCase", &input, parse, commands::assign_case).await
    }

    /// Puts a case back in its queue. Its holder, its workers and admins.
    async fn unassign_case(&self, ctx: &Context<'_>, input: CaseActionInput) -> CaseAnswer {
        let parse = |i: &CaseActionInput| case_id(&i.case_id);
        case_mutation(ctx, "unassignCase", &input, parse, commands::unassign_case).await
    }

    /// Sends a case to another team's or function's queue, unassigned. Its workers and
    /// admins.
    async fn transfer_case(&self, ctx: &Context<'_>, input: TransferCaseInput) -> CaseAnswer {
        let parse = |i: &TransferCaseInput| {
            Ok(TransferCase {
                case_id: case_id(&i.case_id)?,
                team_id: i
                    .team_id
                    .as_ref()
                    .map(|id| decode_id("Team", "teamId", id))
                    .transpose()?,
                function: i.function.into(),
                reason: parse("reason", &i.reason)?,
            })
        };
        case_mutation(ctx, "transferCase", &input, parse, commands::transfer_case).await
    }

    /// The case waits on the contact: its SLA clocks pause until they write. Its workers.
    async fn wait_on_contact(&self, ctx: &Context<'_>, input: CaseActionInput) -> CaseAnswer {
        let parse = |i: &CaseActionInput| case_id(&i.case_id);
        case_mutation(
            ctx,
            "waitOnContact",
            &input,
            parse,
            commands::wait_on_contact,
        )
        .await
    }

    /// Escalates a case to PR, LEGAL or SENIOR_MANAGEMENT, whose holders may then work it
    /// too. Its workers.
    async fn escalate_case(&self, ctx: &Context<'_>, input: EscalateCaseInput) -> CaseAnswer {
        let parse = |i: &EscalateCaseInput| {
            Ok((
                case_id(&i.case_id)?,
                i.to.into(),
                parse("reason", &i.reason)?,
            ))
        };
        case_mutation(
            ctx,
            "escalateCase",
            &input,
            parse,
            |caller, (id, to, reason), key| commands::escalate_case(caller, id, to, reason, key),
        )
        .await
    }

    /// Closes a case with a resolution code. Its workers.
    async fn resolve_case(&self, ctx: &Context<'_>, input: ResolveCaseInput) -> CaseAnswer {
        let parse = |i: &ResolveCaseInput| {
            Ok((
                case_id(&i.case_id)?,
                parse("resolutionCode", &i.resolution_code)?,
            ))
        };
        case_mutation(
            ctx,
            "resolveCase",
            &input,
            parse,
            |caller, (id, code), key| commands::resolve_case(caller, id, code, key),
        )
        .await
    }

    /// Merges a duplicate into another open case: the duplicate closes, pointing at the
    /// other. Workers of both cases, and admins.
    async fn merge_case(&self, ctx: &Context<'_>, input: MergeCaseInput) -> CaseAnswer {
        let parse = |i: &MergeCaseInput| {
            Ok((
                case_id(&i.case_id)?,
                decode_id("Case", "targetCaseId", &i.target_case_id)?,
            ))
        };
        case_mutation(
            ctx,
            "mergeCase",
            &input,
            parse,
            |caller, (id, target), key| commands::merge_case(caller, id, target, key),
        )
        .await
    }
}
