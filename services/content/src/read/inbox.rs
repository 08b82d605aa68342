//! The approval inbox: the posts a viewer may sign now.

use chorus_api::error::ApiResult;
use chorus_kernel::sql::Page;
use chorus_kernel::{fetch_all, Db};
use chorus_teams::api::{push_active_roles, push_team_parent_step};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rows::{PostRow, POST_COLUMNS};

/// Posts in review with an open step the viewer may sign now and has not signed, not
/// legally blocked, not written by the viewer. The viewer's roles qualify under the
/// same rule as for signing (see [`crate::service`]). One statement: the channels' team
/// chains and the viewer's roles in force come from the teams context's fragments.
pub async fn approval_inbox(
    db: &Db,
    org: Uuid,
    viewer: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<PostRow>> {
    Ok(fetch_all!(db, PostRow, |qb| {
        qb.push(
            "WITH RECURSIVE chain(post_id, team_id) AS (SELECT pc.post_id, pc.team_id FROM post_channels pc \
             JOIN posts q ON q.id = pc.post_id WHERE q.organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND q.status = 'IN_REVIEW' AND pc.team_id IS NOT NULL");
        push_team_parent_step(&mut qb, "chain", "post_id");
        qb.push(") SELECT ").push(POST_COLUMNS);
        qb.push(" FROM posts p WHERE p.organization_id = ")
            .push_bind(org);
        qb.push(
            " AND p.status = 'IN_REVIEW' AND p.legal_block_review_id IS NULL AND p.author_id <> ",
        )
        .push_bind(viewer);
        qb.push(" AND EXISTS (SELECT 1 FROM post_open_step_signers s JOIN ");
        push_active_roles(&mut qb, org, viewer, at);
        qb.push(
            " r ON r.function = s.function AND (s.responsibility IS NULL OR s.responsibility = r.responsibility) \
             WHERE s.post_id = p.id \
             AND (r.scope_kind = 'ORGANIZATION' OR r.function IN ('LEGAL', 'HUMAN_RESOURCES', 'SENIOR_MANAGEMENT') \
             OR (r.scope_kind = 'CHANNEL' AND r.scope_id IN (SELECT channel_id FROM post_channels WHERE post_id = p.id)) \
             OR (r.scope_kind = 'TEAM' AND r.scope_id IN (SELECT team_id FROM chain WHERE chain.post_id = p.id))) \
             AND NOT EXISTS (SELECT 1 FROM post_approvals a WHERE a.post_id = s.post_id AND a.policy_id = s.policy_id \
             AND a.step = s.step AND a.voided_at IS NULL AND a.signer_id = ",
        );
        qb.push_bind(viewer);
        qb.push("))");
        if let Some(after) = page.after {
            qb.push(" AND p.id > ").push_bind(after);
        }
        qb.push(" ORDER BY p.id LIMIT ").push_bind(page.limit);
    }))
}
