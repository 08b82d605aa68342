//! The auditor's compliance check: published posts that break a rule (always empty).

use chorus_api::error::ApiResult;
use chorus_kernel::sql::Page;
use chorus_kernel::{fetch_all, Db};
use chorus_teams::api::assignment_held_sql;
use uuid::Uuid;

use super::rows::{ViolationRow, POST_COLUMNS};

const VOIDED_AFTER_PUBLICATION: &str =
    "EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = p.id \
     AND a.voided_at IS NOT NULL AND a.voided_at >= p.published_at)";

/// A counted approval whose signer did not hold the recorded assignment when signing.
fn approver_without_role() -> String {
    let held = assignment_held_sql(
        "a.assignment_id",
        "a.signer_id",
        "p.organization_id",
        "a.function",
        "a.signed_at",
    );
    format!(
        "EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = p.id \
         AND a.voided_at IS NULL AND NOT {held})"
    )
}

/// A delegated publisher who did not hold the recorded assignment when publishing.
fn delegate_without_role() -> String {
    let held = assignment_held_sql(
        "p.delegated_assignment_id",
        "p.published_by",
        "p.organization_id",
        "p.delegated_function",
        "p.published_at",
    );
    format!("(p.delegated_assignment_id IS NOT NULL AND NOT {held})")
}

/// Published (or later retracted) posts whose approvals were voided at or after
/// publication, or whose approver (or delegated publisher) did not hold the recorded
/// role assignment at the instant of signing (publishing). Must always be empty.
pub async fn compliance_violations(db: &Db, org: Uuid, page: Page) -> ApiResult<Vec<ViolationRow>> {
    let approver_without_role = approver_without_role();
    let delegate_without_role = delegate_without_role();
    Ok(fetch_all!(db, ViolationRow, |qb| {
        qb.push("SELECT CAST(CASE WHEN ")
            .push(VOIDED_AFTER_PUBLICATION);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS voided_after_publication, CAST(CASE WHEN ")
            .push(&approver_without_role);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS approver_without_role, CAST(CASE WHEN ")
            .push(&delegate_without_role);
        qb.push(" THEN 1 ELSE 0 END AS BIGINT) AS delegate_without_role, ")
            .push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.organization_id = ")
            .push_bind(org);
        qb.push(" AND p.published_at IS NOT NULL AND (")
            .push(VOIDED_AFTER_PUBLICATION);
        qb.push(" OR ").push(&approver_without_role);
        qb.push(" OR ").push(&delegate_without_role).push(")");
        if let Some(after) = page.after {
            qb.push(" AND p.id > ").push_bind(after);
        }
        qb.push(" ORDER BY p.id LIMIT ").push_bind(page.limit);
    }))
}
