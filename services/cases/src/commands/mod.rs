//! The cases context's use cases, one file per command (or per small family of
//! commands): authorize → replay → look up → build the domain command → execute. GraphQL
//! resolvers, the demo, the benchmark and integrations call these, so each rule is
//! written once.
//!
//! # Who may do what
//!
//! - **Intake** (`receive_channel_message`, `receive_external_case`): service accounts
//!   with `cases:intake`, or organization admins. **By hand** (`open_case`): people
//!   holding a working function (CUSTOMER_SERVICE, SALES, PUBLIC_RELATIONS, LEGAL,
//!   SOCIAL_MEDIA) anywhere, or admins.
//! - **Working a case** (reply, wait on the contact, escalate, resolve, transfer, take
//!   it): people whose roles covering the case include a function that works it (the
//!   routed one or one it was escalated to); the domain refuses the others with
//!   NOT_ENTITLED. Admins may also assign, unassign, transfer and merge (they manage the
//!   queues) but not reply.
//! - **Reply approval**: holders of the reply's approver function covering the case,
//!   never the responder (FOUR_EYES). The approver is the routing rule's, else the one
//!   the case's team queue names; a reply the lexicon flags needs approval even when
//!   neither names one (a second holder of the case's function) and even from a
//!   responder with delegated authority (`Case::reply_approver`). `replyApprovalInbox`
//!   lists a person's share of them.
//! - **Configuration** (routing rules, SLA policies, calendars): admins and LEGAL holders;
//!   a team's queue settings (strategy, capacity, reply approver): admins.
//! - **Reading**: people holding a working function anywhere, admins, and service
//!   accounts with `cases:read`.

mod assign_case;
mod configure;
mod contact_message;
mod open_case;
mod outbound;
mod reply;
mod update_contact;
mod work_case;

pub use assign_case::{assign_case, transfer_case, unassign_case, AssignCase, TransferCase};
pub use configure::{
    configure_queue, define_calendar, define_sla_policy, retire_calendar, retire_sla_policy,
    revise_calendar, revise_sla_policy, set_routing_rules, DefineCalendar, DefineSlaPolicy,
};
pub use contact_message::{record_contact_message, ContactMessage};
pub use open_case::{
    open_case, receive_channel_message, receive_external_case, ChannelMessage, ContactInfo,
    ExternalCase, ManualCase,
};
pub use outbound::{record_outbound, RecordOutbound};
pub use reply::{approve_reply, reject_reply, reply_to_case, withdraw_reply, DecideReply, Reply};
pub use update_contact::{update_contact, UpdateContact};
pub use work_case::{escalate_case, merge_case, resolve_case, wait_on_contact, CaseChange};

use chorus_api::{ApiError, ApiResult, Caller};
use chorus_cases_domain::case::Case;
use chorus_content::domain::HeldRole;
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use chorus_teams::values::RoleFunction;
use uuid::Uuid;

use crate::service::{self, CaseScope};

/// A retried request's idempotency key, if the caller sent one.
pub type RetryKey = Option<IdempotencyKey>;

/// What a use case answers: the outcome of the command it ran (or replayed).
pub type Outcome = ApiResult<CommandOutcome>;

/// The functions whose holders work cases (besides the organization-wide ones a case
/// may be escalated to).
pub const WORKING_FUNCTIONS: [RoleFunction; 5] = [
    RoleFunction::CustomerService,
    RoleFunction::Sales,
    RoleFunction::PublicRelations,
    RoleFunction::Legal,
    RoleFunction::SocialMedia,
];

/// The acting principal's id as recorded in `by` (a person's or a service account's).
pub(crate) fn actor_id(caller: &Caller<'_>) -> Uuid {
    caller.principal.actor.id.unwrap_or_default()
}

/// The caller's person id; service accounts are refused with `what`.
pub(crate) fn person_id(caller: &Caller<'_>, what: &'static str) -> ApiResult<Uuid> {
    caller
        .principal
        .person_id()
        .ok_or(ApiError::Forbidden(what))
}

/// A case of the caller's organization, from its events, or NOT_FOUND.
pub async fn load_case(caller: Caller<'_>, id: Uuid) -> ApiResult<Case> {
    let (case, _, owner) = caller.runtime.store.load::<Case>(&id.to_string()).await?;
    if owner != Some(caller.organization_id()) || !case.exists() {
        return Err(ApiError::NotFound("case"));
    }
    Ok(case)
}

/// Where `case` sits, for the roles that cover it.
pub fn scope_of(case: &Case) -> CaseScope {
    CaseScope {
        team_id: case.team_id(),
        channel_id: case.intake().and_then(|intake| intake.channel_id()),
    }
}

/// The roles `person` holds now that cover `case`.
pub async fn roles_on(caller: Caller<'_>, case: &Case, person: Uuid) -> ApiResult<Vec<HeldRole>> {
    service::case_roles(
        &caller.runtime.db,
        caller.organization_id(),
        person,
        scope_of(case),
        chorus_kernel::now(),
    )
    .await
}

/// Whether the caller is an organization admin (or a service account with
/// `teams:write`).
pub(crate) async fn is_admin(caller: Caller<'_>) -> ApiResult<bool> {
    match chorus_teams::access::ensure_admin(caller).await {
        Ok(()) => Ok(true),
        Err(ApiError::Forbidden(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The caller as a worker of `case`: a person whose roles covering it include a
/// function that works it. Returns the person and those roles.
pub(crate) async fn as_worker(caller: Caller<'_>, case: &Case) -> ApiResult<(Uuid, Vec<HeldRole>)> {
    let person = person_id(&caller, "only people work cases")?;
    let roles = roles_on(caller, case, person).await?;
    let works = roles.iter().any(|role| {
        case.function() == Some(role.function) || case.escalated_to().contains(&role.function)
    });
    if !works {
        return Err(ApiError::Forbidden(
            "only holders of the case's function (or one it was escalated to) covering the case may work it",
        ));
    }
    Ok((person, roles))
}

/// Refuses a caller who may not read cases (see the module documentation).
pub async fn ensure_case_reader(caller: Caller<'_>) -> ApiResult<()> {
    let principal = caller.principal;
    match principal.person_id() {
        Some(person) => {
            // Being an admin is kept in-process (teams' caller cache): asked first, it
            // spares admins the roles query.
            if is_admin(caller).await? {
                return Ok(());
            }
            let roles = chorus_teams::api::active_assignments(
                &caller.runtime.db,
                principal.organization_id,
                person,
                chorus_kernel::now(),
            )
            .await?;
            if roles
                .iter()
                .any(|r| WORKING_FUNCTIONS.contains(&r.function))
            {
                Ok(())
            } else {
                Err(ApiError::Forbidden(
                    "only holders of a customer service, sales, PR, legal or social media role and admins may read cases",
                ))
            }
        }
        None if principal.has_scope("cases:read") || principal.has_scope("cases:intake") => Ok(()),
        None => Err(ApiError::Forbidden(
            "this token has no scope to read cases (cases:read)",
        )),
    }
}
