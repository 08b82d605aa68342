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
use chorus_teams::values::{Responsibility, RoleFunction, RoleScope, ScopeKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use chorus_api::error::{ApiError, ApiResult};

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

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    function: String,
    responsibility: Option<String>,
    scope_kind: String,
    scope_id: Uuid,
}

impl AssignmentRow {
    fn held(self) -> ApiResult<HeldRole> {
        let function: RoleFunction = self.function.parse().map_err(|e| ApiError::internal(&e))?;
        let responsibility = self
            .responsibility
            .map(|r| r.parse::<Responsibility>())
            .transpose()
            .map_err(|e| ApiError::internal(&e))?;
        let kind: ScopeKind = self
            .scope_kind
            .parse()
            .map_err(|e| ApiError::internal(&e))?;
        Ok(HeldRole {
            assignment_id: self.id,
            function,
            responsibility,
            scope: RoleScope {
                kind,
                id: self.scope_id,
            },
        })
    }
}

/// Appends `(a, b, …)` with one bound parameter per id (never empty: a nil uuid stands
/// in for an empty list so the SQL stays valid).
macro_rules! push_ids {
    ($qb:ident, $ids:expr) => {{
        $qb.push("(");
        let mut separated = $qb.separated(", ");
        if $ids.is_empty() {
            separated.push_bind(Uuid::nil());
        }
        for id in $ids.iter() {
            separated.push_bind(*id);
        }
        $qb.push(")");
    }};
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
    let rows: Vec<AssignmentRow> = on_read!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(
            "WITH RECURSIVE owning(team_id) AS (SELECT team_id FROM channels WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND id IN ");
        push_ids!(qb, channel_ids);
        qb.push(
            " UNION SELECT t.parent_id FROM teams t JOIN owning o ON t.id = o.team_id \
             WHERE t.parent_id IS NOT NULL) \
             SELECT id, function, responsibility, scope_kind, scope_id FROM role_assignments \
             WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND person_id = ").push_bind(person);
        qb.push(" AND valid_from <= ").push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ").push_bind(at).push(")");
        qb.push(" AND ((scope_kind = 'ORGANIZATION' AND scope_id = ").push_bind(org).push(")");
        qb.push(" OR function IN ('LEGAL', 'HUMAN_RESOURCES', 'SENIOR_MANAGEMENT')");
        qb.push(" OR (scope_kind = 'TEAM' AND scope_id IN (SELECT team_id FROM owning))");
        qb.push(" OR (scope_kind = 'CHANNEL' AND scope_id IN ");
        push_ids!(qb, channel_ids);
        qb.push(")) ORDER BY valid_from, id");
        qb.build_query_as::<AssignmentRow>().fetch_all(pool).await?
    });
    rows.into_iter().map(AssignmentRow::held).collect()
}

/// An active LEGAL assignment of `person` at any scope (the oldest), if any.
pub async fn legal_role(
    db: &Db,
    org: Uuid,
    person: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Option<HeldRole>> {
    let rows: Vec<AssignmentRow> = on_read!(db, pool => {
        sqlx::query_as(
            "SELECT id, function, responsibility, scope_kind, scope_id FROM role_assignments \
             WHERE organization_id = $1 AND person_id = $2 AND function = 'LEGAL' \
             AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3) \
             ORDER BY valid_from, id LIMIT 1",
        )
        .bind(org)
        .bind(person)
        .bind(at)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter().next().map(AssignmentRow::held).transpose()
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

#[derive(sqlx::FromRow)]
struct ChannelTeam {
    id: Uuid,
    team_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct TeamParent {
    id: Uuid,
    parent_id: Option<Uuid>,
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
    let channels: Vec<ChannelTeam> = on_read!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new("SELECT id, team_id FROM channels WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND id IN ");
        push_ids!(qb, channel_ids);
        qb.build_query_as::<ChannelTeam>().fetch_all(pool).await?
    });
    let teams: Vec<TeamParent> = on_read!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(
            "WITH RECURSIVE chain(id) AS (SELECT team_id FROM channels WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND id IN ");
        push_ids!(qb, channel_ids);
        qb.push(
            " UNION SELECT t.parent_id FROM teams t JOIN chain c ON t.id = c.id WHERE t.parent_id IS NOT NULL) \
             SELECT t.id, t.parent_id FROM teams t JOIN chain c ON t.id = c.id",
        );
        qb.build_query_as::<TeamParent>().fetch_all(pool).await?
    });
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
        let mut team = channels
            .iter()
            .find(|c| c.id == *channel)
            .map(|c| c.team_id);
        let mut hops = 0;
        while found.is_empty() && hops < 64 {
            let Some(current) = team else { break };
            found = at_scope("TEAM", current);
            team = teams
                .iter()
                .find(|t| t.id == current)
                .and_then(|t| t.parent_id);
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
