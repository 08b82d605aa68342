//! Approval policies (current, in force now, in force at an instant) and the lexicon.

use chorus_api::error::ApiResult;
use chorus_kernel::sql::Page;
use chorus_kernel::{fetch_all, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::{LexiconTermRow, PolicyRow, POLICY_COLUMNS};

/// The current version of a policy (or its last, once retired).
pub async fn policy(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<PolicyRow>> {
    let rows = fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE policy_id = ")
            .push_bind(id);
        qb.push(" AND organization_id = ").push_bind(org);
        qb.push(" ORDER BY version DESC LIMIT 1");
    });
    Ok(rows.into_iter().next())
}

/// Policies of the organization in force now (not retired), oldest first.
pub async fn policies_now(db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<PolicyRow>> {
    Ok(fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND valid_to IS NULL AND retired_at IS NULL");
        if let Some(after) = page.after {
            qb.push(" AND policy_id > ").push_bind(after);
        }
        qb.push(" ORDER BY policy_id LIMIT ").push_bind(page.limit);
    }))
}

/// The policy versions defined for exactly this scope that were in force at `at`,
/// most recently defined first.
pub async fn policies_at(
    db: &Db,
    org: Uuid,
    scope_kind: &str,
    scope_id: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<Vec<PolicyRow>> {
    Ok(fetch_all!(db, PolicyRow, |qb| {
        qb.push("SELECT ").push(POLICY_COLUMNS);
        qb.push(" FROM approval_policies WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND scope_kind = ")
            .push_bind(scope_kind.to_owned());
        qb.push(" AND scope_id = ").push_bind(scope_id);
        qb.push(" AND valid_from <= ").push_bind(at);
        qb.push(" AND (valid_to IS NULL OR valid_to > ")
            .push_bind(at)
            .push(")");
        qb.push(" ORDER BY valid_from DESC, policy_id LIMIT 50");
    }))
}

/// The organization's active lexicon terms, by flag then term.
pub async fn lexicon_terms(db: &Db, org: Uuid) -> ApiResult<Vec<LexiconTermRow>> {
    Ok(fetch_all!(db, LexiconTermRow, |qb| {
        qb.push("SELECT flag, term, added_in_version, added_at FROM lexicon_terms WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND removed_in_version IS NULL ORDER BY flag, term LIMIT 10000");
    }))
}
