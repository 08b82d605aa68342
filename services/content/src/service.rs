//! The content application layer: the lookups the pure domain needs before a command
//! can be decided. The domain does no I/O; this module reads the role history, the
//! policies in force and the lexicon, and hands the results to the commands.
//!
//! # Decided rules
//!
//! **Qualifying roles.** A person's role assignment qualifies them for a post (to
//! author, sign or publish it) when it is active at the instant
//! (`valid_from <= now AND (valid_to IS NULL OR valid_to > now)`), belongs to the
//! caller's organization, and its scope is
//! - ORGANIZATION; or
//! - TEAM, where the team owns one of the post's channels or is an ancestor of such a
//!   team (recursive CTE over `teams.parent_id`, portable to both backends); or
//! - CHANNEL, for one of the post's channels.
//!
//! Assignments of the organization-wide functions LEGAL, HUMAN_RESOURCES and
//! SENIOR_MANAGEMENT qualify at any scope (they serve every team). The qualifying roles
//! are handed to the domain as [`HeldRole`]s (`author_roles`, `signer_roles`,
//! `publisher_roles`), oldest assignment first; the domain decides entitlement.
//!
//! **Policy resolution** (at submission and at delegated publication): for each channel
//! of the post, the most specific non-retired policies in force now — CHANNEL scope for
//! that channel, else TEAM scope for the channel's owning team (nearest ancestor first),
//! else ORGANIZATION scope — deduplicated by policy id. Several policies defined at the
//! same most specific level all apply. Each policy's current version is loaded from its
//! aggregate (the read model only says which policies exist). No policy at all means
//! the post needs no approval (the domain approves on submission).
//!
//! **Lexicon.** Drafts and edits are scanned with the organization's lexicon aggregate
//! (`Lexicon::scan`), whose matches become flags recording the matched term.

use chorus_content_domain::{ApprovalPolicy, HeldRole, Lexicon, LexiconMatch, PolicySnapshot};
use chorus_kernel::{on_read, Db, EventStore};
use chorus_teams::api::{self as teams_api, ActiveAssignment};
use chorus_teams::values::{RoleFunction, ScopeKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use chorus_api::error::ApiResult;

/// Functions that serve the whole organization: their assignments qualify at any scope.
pub const ORGANIZATION_WIDE: [RoleFunction; 3] = [
    RoleFunction::Legal,
    RoleFunction::HumanResources,
    RoleFunction::SeniorManagement,
];

/// Functions whose holders may author posts (draft, edit, submit, withdraw, schedule).
pub const AUTHOR_FUNCTIONS: [RoleFunction; 4] = [
    RoleFunction::SocialMedia,
    RoleFunction::Marketing,
    RoleFunction::Creative,
    RoleFunction::PublicRelations,
];

fn held(assignment: ActiveAssignment) -> HeldRole {
    HeldRole {
        assignment_id: assignment.id,
        function: assignment.function,
        responsibility: assignment.responsibility,
        scope: assignment.scope,
    }
}

/// The role assignments of `person` that qualify them, at `at`, for a post on
/// `channel_ids` (see the module documentation for the rule), oldest first.
pub async fn qualifying_roles(
    db: &Db,
    org: Uuid,
    person: Uuid,
    channel_ids: &[Uuid],
    at: DateTime<Utc>,
) -> ApiResult<Vec<HeldRole>> {
    let assignments = teams_api::active_assignments(db, org, person, at).await?;
    let owners = teams_api::channel_owners(db, org, channel_ids).await?;
    Ok(assignments
        .into_iter()
        .filter(|a| {
            ORGANIZATION_WIDE.contains(&a.function)
                || match a.scope.kind {
                    ScopeKind::Organization => a.scope.id == org,
                    ScopeKind::Team => owners.covers(a.scope.id),
                    ScopeKind::Channel => channel_ids.contains(&a.scope.id),
                }
        })
        .map(held)
        .collect())
}

/// An active LEGAL assignment of `person` at any scope (the oldest), if any.
pub async fn legal_role(
    db: &Db,
    org: Uuid,
    person: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<HeldRole>> {
    Ok(teams_api::active_assignments(db, org, person, at)
        .await?
        .into_iter()
        .find(|a| a.function == RoleFunction::Legal)
        .map(held))
}

/// Whether `roles` include an authoring function.
pub fn may_author(roles: &[HeldRole]) -> bool {
    roles
        .iter()
        .any(|role| AUTHOR_FUNCTIONS.contains(&role.function))
}

#[derive(sqlx::FromRow)]
struct PolicyRef {
    policy_id: Uuid,
    scope_kind: String,
    scope_id: Uuid,
}

/// The current versions of the policies that apply now to a post on `channel_ids`
/// (see the module documentation for the rule), in first-channel order.
pub async fn resolve_policies(
    db: &Db,
    store: &EventStore,
    org: Uuid,
    channel_ids: &[Uuid],
) -> ApiResult<Vec<PolicySnapshot>> {
    let policies: Vec<PolicyRef> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT policy_id, scope_kind, scope_id FROM approval_policies \
             WHERE organization_id = $1 AND valid_to IS NULL AND retired_at IS NULL \
             ORDER BY valid_from, policy_id",
        )
        .bind(org)
        .fetch_all(pool)
        .await?
    });
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let owners = teams_api::channel_owners(db, org, channel_ids).await?;
    let at_scope = |kind: &str, id: Uuid| -> Vec<Uuid> {
        policies
            .iter()
            .filter(|p| p.scope_kind == kind && p.scope_id == id)
            .map(|p| p.policy_id)
            .collect()
    };
    let mut chosen: Vec<Uuid> = Vec::new();
    for channel in channel_ids {
        let mut found = at_scope("CHANNEL", *channel);
        let mut team = owners.team_of(*channel);
        let mut hops = 0;
        while found.is_empty() && hops < 64 {
            let Some(current) = team else { break };
            found = at_scope("TEAM", current);
            team = owners.parent_of(current);
            hops += 1;
        }
        if found.is_empty() {
            found = at_scope("ORGANIZATION", org);
        }
        for id in found {
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
    }
    let mut snapshots = Vec::with_capacity(chosen.len());
    for id in chosen {
        let (policy, _, owner) = store.load::<ApprovalPolicy>(&id.to_string()).await?;
        if owner != Some(org) || policy.is_retired() {
            continue;
        }
        if let Some(snapshot) = policy.snapshot() {
            snapshots.push(snapshot);
        }
    }
    Ok(snapshots)
}

/// What the organization's lexicon finds in `text`.
pub async fn scan_lexicon(
    store: &EventStore,
    org: Uuid,
    text: &str,
) -> ApiResult<Vec<LexiconMatch>> {
    let (lexicon, _, owner) = store.load::<Lexicon>(&org.to_string()).await?;
    if owner.is_some_and(|owner| owner != org) {
        return Ok(Vec::new());
    }
    Ok(lexicon.scan(text))
}
