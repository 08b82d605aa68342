//! The reply approval inbox: the replies awaiting the viewer's approval.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, Db};
use chorus_teams::api::{channel_team_sql, push_active_roles, push_team_parent_step};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::timeline::REPLY_COLUMNS;
use super::ReplyRow;

/// The replies of organization `org` awaiting approval that `viewer` may approve now:
/// not their own (four-eyes), with an approver function the viewer holds in a role
/// covering the reply's case at `at` (the rule of [`crate::service::case_roles`]: the
/// organization's scope, an organization-wide function, the case's channel, or the
/// case's team, its channel's team, or an ancestor of either). Oldest first (`after`: the
/// last reply's submission and id), at most `limit`.
///
/// One statement: the pending replies are found through `case_replies_pending` (the
/// organization and the functions the viewer holds), the cases' team chains and the
/// viewer's roles in force come from the teams context's fragments.
pub async fn reply_approval_inbox(
    db: &Db,
    org: Uuid,
    viewer: Uuid,
    at: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> ApiResult<Vec<ReplyRow>> {
    let organization_wide = chorus_content::service::ORGANIZATION_WIDE
        .iter()
        .map(|f| format!("'{}'", f.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(fetch_all!(db, ReplyRow, |qb| {
        // The teams covering each pending reply's case: its team and its channel's, with
        // their ancestors.
        qb.push(
            "WITH RECURSIVE chain(case_id, team_id) AS (SELECT x.case_id, x.team_id FROM \
             (SELECT c.id AS case_id, c.team_id AS team_id FROM cases c WHERE c.id IN \
             (SELECT case_id FROM case_replies WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND status = 'PENDING') UNION ALL SELECT c.id, ");
        qb.push(channel_team_sql("c.channel_id"));
        qb.push(" FROM cases c WHERE c.channel_id IS NOT NULL AND c.id IN (SELECT case_id FROM case_replies WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND status = 'PENDING')) x WHERE x.team_id IS NOT NULL");
        push_team_parent_step(&mut qb, "chain", "case_id");
        qb.push(format!(
            ") SELECT {REPLY_COLUMNS} FROM case_replies p WHERE p.organization_id = "
        ));
        qb.push_bind(org);
        qb.push(" AND p.status = 'PENDING' AND p.responder_id <> ")
            .push_bind(viewer);
        // Narrows the index range to the functions the viewer holds at all.
        qb.push(" AND p.approver_function IN (SELECT function FROM ");
        push_active_roles(&mut qb, org, viewer, at);
        qb.push(" h) AND EXISTS (SELECT 1 FROM ");
        push_active_roles(&mut qb, org, viewer, at);
        qb.push(format!(
            " r WHERE r.function = p.approver_function AND (r.scope_kind = 'ORGANIZATION' \
             OR r.function IN ({organization_wide}) \
             OR (r.scope_kind = 'CHANNEL' AND r.scope_id = (SELECT c.channel_id FROM cases c WHERE c.id = p.case_id)) \
             OR (r.scope_kind = 'TEAM' AND r.scope_id IN (SELECT team_id FROM chain WHERE chain.case_id = p.case_id))))"
        ));
        if let Some((at, id)) = after {
            qb.push(" AND (p.submitted_at > ").push_bind(at);
            qb.push(" OR (p.submitted_at = ").push_bind(at);
            qb.push(" AND p.id > ").push_bind(id);
            qb.push("))");
        }
        qb.push(" ORDER BY p.submitted_at, p.id LIMIT ")
            .push_bind(limit);
    }))
}
