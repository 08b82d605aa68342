//! The teams context's use cases, one file per command: authorize → replay → look up →
//! build the domain command → execute ([`run`] an [`AdminCommand`]). GraphQL resolvers, the CLI's demo and the
//! integrations call these, so each rule is written once.
//!
//! Inputs arrive parsed (domain newtypes, uuids); a use case answers with the command's
//! outcome, from which each caller builds its own reply.

mod add_person;
mod assign_role;
mod clear_reporting_line;
mod create_team;
mod found_organization;
mod lookup;
mod register_channel;
mod rename_organization;
mod rename_team;
mod requests;
mod retire_channel;
mod revoke_role;
mod revoke_service_token;
mod set_reporting_line;
mod update_person;

use chorus_api::{execute_for, execute_with_policy_for, replayed_for, ApiResult, Caller};
use chorus_kernel::{CommandOutcome, ExecutePolicy, IdempotencyKey};
use chorus_shared::DomainCode;
use cqrs_es::Aggregate;
use uuid::Uuid;

use crate::access::ensure_admin;
use crate::domain::ServiceScope;

pub use assign_role::RoleAssigned;
pub use found_organization::{found_organization, FoundOrganization, Founded};
pub use lookup::{channel, person, team};
pub use requests::{
    AddPerson, AssignRole, ChangeTeam, ClearReportingLine, CreateTeam, OffboardPerson,
    RegisterChannel, RenameOrganization, RetireChannel, RevokeRole, RevokeServiceToken, ScopeRef,
    SetReportingLine, TeamChange, UpdatePerson,
};
pub use set_reporting_line::set_reporting_line;

/// The domain command of an [`AdminCommand`]'s aggregate.
pub type CommandOf<U> = <<U as AdminCommand>::Aggregate as Aggregate>::Command;

/// A teams use case that only an admin may run, as its parsed request. [`run`] takes it
/// through the steps every such use case shares; [`decide`](Self::decide) is what
/// differs: the look-ups and the domain command.
// The futures are only awaited where the use case is a concrete type (the resolvers, the
// CLI), so whether they are `Send` is checked there; no bound is needed on the trait.
#[allow(async_fn_in_trait)]
pub trait AdminCommand {
    /// The aggregate the command runs on.
    type Aggregate: Aggregate<Services = (), Command: Clone + Send, Error: DomainCode + Send>;
    /// How the command is executed: `None`, once and without snapshots.
    const POLICY: Option<ExecutePolicy> = None;
    /// Whether an HR system may run it through the SCIM door (a service account with
    /// `scim:provision`, channel `scim`): the people, role and reporting-line commands.
    const PROVISIONING: bool = false;
    /// The email the command gives a person, if any: [`run`] decides and executes such
    /// commands one at a time per email in this process, so two concurrent requests
    /// cannot both pass the check that an email belongs to one active person.
    fn claims_email(&self) -> Option<&str> {
        None
    }
    /// Looks up what the command needs (fresh, confined to the caller's organization)
    /// and names the aggregate and the command to run on it.
    async fn decide(self, caller: Caller<'_>) -> ApiResult<(Uuid, CommandOf<Self>)>;
}

/// Runs an admin use case: only an admin may act ([`ensure_admin`]); a retried request
/// gets its first answer before anything is looked up again (the state may have moved on
/// since); otherwise `use_case` decides, and its command is executed under its
/// [`AdminCommand::POLICY`].
pub async fn run<U: AdminCommand>(
    caller: Caller<'_>,
    use_case: U,
    key: Option<IdempotencyKey>,
) -> ApiResult<CommandOutcome> {
    if !(U::PROVISIONING && may_provision(caller)) {
        ensure_admin(caller).await?;
    }
    if let Some(outcome) = replayed_for(caller, &key).await? {
        return Ok(outcome);
    }
    // Held until the command is executed and the read models include it (or the wait
    // timed out), so the next holder's check sees this one's email.
    let _claim = match use_case.claims_email() {
        Some(email) => Some(email_claim(caller.organization_id(), email).await),
        None => None,
    };
    let (id, command) = use_case.decide(caller).await?;
    match U::POLICY {
        None => execute_for::<U::Aggregate>(caller, id, command, key).await,
        Some(policy) => {
            execute_with_policy_for::<U::Aggregate>(caller, id, command, key, policy).await
        }
    }
}

/// Whether the caller is an HR system provisioning through the SCIM door. The scope
/// alone is not enough: over GraphQL a `scim:provision` token changes nothing, so it can
/// only grant the roles an admin mapped to SCIM groups.
fn may_provision(caller: Caller<'_>) -> bool {
    caller.channel == SCIM_CHANNEL
        && caller.principal.person_id().is_none()
        && caller
            .principal
            .has_scope(ServiceScope::ScimProvision.as_str())
}

/// The channel the SCIM door records in its events' metadata.
pub const SCIM_CHANNEL: &str = "scim";

/// Refuses an email another active person of the caller's organization has
/// (`DUPLICATE_ACTIVE_EMAIL`): people sign in and are provisioned by email, so two active
/// people must not share one. `person` is the one being changed, who may keep theirs.
///
/// Read from the read models, which every earlier request of the caller has reached
/// (read-your-writes); [`run`] holds the email's claim around the check and the write,
/// so concurrent requests of one process do not both pass.
pub(crate) async fn ensure_email_free(
    caller: Caller<'_>,
    email: &str,
    person: Option<Uuid>,
) -> ApiResult<()> {
    let holder =
        crate::read::active_person_with_email(&caller.runtime.db, caller.organization_id(), email)
            .await?;
    match holder {
        Some(holder) if Some(holder) != person => Err(chorus_api::ApiError::Domain {
            code: "DUPLICATE_ACTIVE_EMAIL",
            message: "email: another active person of the organization has this email".into(),
        }),
        _ => Ok(()),
    }
}

/// The lock of one email of an organization (one of 64, by hash: unrelated emails rarely
/// wait for each other). In-process only: replicas of `chorus serve` on one database can
/// still race, within the moment between one's check and its commit.
async fn email_claim(org: Uuid, email: &str) -> tokio::sync::MutexGuard<'static, ()> {
    use std::hash::{Hash, Hasher};
    static CLAIMS: std::sync::LazyLock<Vec<tokio::sync::Mutex<()>>> =
        std::sync::LazyLock::new(|| (0..64).map(|_| tokio::sync::Mutex::new(())).collect());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (org, email.trim().to_lowercase()).hash(&mut hasher);
    let slot = usize::try_from(hasher.finish() % 64).unwrap_or_default();
    CLAIMS[slot].lock().await
}

/// A new aggregate or entity id: time-ordered, so keyset pages follow creation order.
pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The acting principal's id as recorded in `granted_by` / `revoked_by` / `by`.
pub(crate) fn actor_id(caller: &Caller<'_>) -> Uuid {
    caller.principal.actor.id.unwrap_or_default()
}
