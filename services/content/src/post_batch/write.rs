//! Writing a folded batch: one multi-row statement per table and chunk.

use std::collections::HashMap;

use chorus_kernel::{on_tx, DbTx, StoreError};
use uuid::Uuid;

use super::rows::{open_steps, PostRow};
use super::{status_of, CachedPost, Interval, PostBatch, MAX_BINDS};
use crate::projection::count;

/// Inserts `$rows` with one multi-row `INSERT` per chunk that fits [`MAX_BINDS`].
/// `$head` names the table and columns, `$tail` follows the values (`ON CONFLICT …`).
macro_rules! insert_rows {
    ($conn:expr, $head:expr, $tail:expr, $rows:expr, $columns:expr, |$bind:ident, $row:ident| $push:block) => {
        for chunk in $rows.chunks(MAX_BINDS / $columns) {
            let mut query = sqlx::QueryBuilder::new($head);
            query.push_values(chunk, |mut $bind, $row| $push);
            query.push($tail);
            query.build().execute(&mut *$conn).await?;
        }
    };
}

/// `DELETE FROM $table WHERE post_id IN (…)` for `$ids`, chunked.
macro_rules! delete_for_posts {
    ($conn:expr, $table:literal, $ids:expr) => {
        for chunk in $ids.chunks(MAX_BINDS) {
            let mut query =
                sqlx::QueryBuilder::new(concat!("DELETE FROM ", $table, " WHERE post_id IN ("));
            let mut ids = query.separated(", ");
            for id in chunk {
                ids.push_bind(*id);
            }
            query.push(")");
            query.build().execute(&mut *$conn).await?;
        }
    };
}

impl PostBatch {
    /// Writes every row the batch's post events produced.
    pub(crate) async fn write(self, tx: &mut DbTx) -> Result<(), StoreError> {
        if self.order.is_empty() {
            return Ok(());
        }
        let posts: Vec<(Uuid, &CachedPost)> = self
            .order
            .iter()
            .filter_map(|id| self.posts.get(id).map(|post| (*id, post)))
            .collect();

        let states = posts
            .iter()
            .map(|(id, post)| {
                Ok((
                    *id,
                    post.organization_id,
                    serde_json::to_string(&post.state)?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let rows = posts
            .iter()
            .map(|(id, post)| PostRow::new(*id, post))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let teams = channel_teams(tx, &posts).await?;
        let mut channels = Vec::new();
        for (id, post) in &posts {
            for (index, channel_id) in post.state.channel_ids().iter().enumerate() {
                // The owning team is looked up when the post is drafted; later batches
                // only update status and schedule, so an existing row keeps its team.
                let team_id = if post.drafted {
                    teams.get(channel_id).copied()
                } else {
                    None
                };
                channels.push((
                    *id,
                    *channel_id,
                    post.organization_id,
                    team_id,
                    count(index)?,
                    post,
                ));
            }
        }
        let intervals: Vec<(Uuid, Uuid, &Interval)> = posts
            .iter()
            .flat_map(|(id, post)| {
                post.history
                    .iter()
                    .filter(|interval| interval.dirty)
                    .map(move |interval| (*id, post.organization_id, interval))
            })
            .collect();
        let open = open_steps(&posts)?;
        let post_ids: Vec<Uuid> = posts.iter().map(|(id, _)| *id).collect();

        on_tx!(tx, c => {
            insert_rows!(c, "INSERT INTO post_states (post_id, organization_id, state) ",
                " ON CONFLICT (post_id) DO UPDATE SET state = excluded.state", states, 3,
                |b, row| {
                    b.push_bind(row.0).push_bind(row.1).push_bind(&row.2);
                });
            insert_rows!(c,
                "INSERT INTO posts (id, organization_id, author_id, status, text, media, campaign, scheduled_at, \
                 flags, author_roles, legal_block_review_id, legally_blocked_at, approved_at, approved_under, \
                 published_by, published_network_post_id, published_url, published_at, delegated_policy_id, \
                 delegated_policy_version, delegated_assignment_id, delegated_function, delegated_responsibility, \
                 retracted_at, retracted_by, retraction_reason, expired_at, created_at, updated_at, last_sequence) ",
                " ON CONFLICT (id) DO UPDATE SET status = excluded.status, text = excluded.text, \
                 media = excluded.media, campaign = excluded.campaign, scheduled_at = excluded.scheduled_at, \
                 flags = excluded.flags, legal_block_review_id = excluded.legal_block_review_id, \
                 legally_blocked_at = excluded.legally_blocked_at, approved_at = excluded.approved_at, \
                 approved_under = excluded.approved_under, published_by = excluded.published_by, \
                 published_network_post_id = excluded.published_network_post_id, \
                 published_url = excluded.published_url, published_at = excluded.published_at, \
                 delegated_policy_id = excluded.delegated_policy_id, \
                 delegated_policy_version = excluded.delegated_policy_version, \
                 delegated_assignment_id = excluded.delegated_assignment_id, \
                 delegated_function = excluded.delegated_function, \
                 delegated_responsibility = excluded.delegated_responsibility, \
                 retracted_at = excluded.retracted_at, retracted_by = excluded.retracted_by, \
                 retraction_reason = excluded.retraction_reason, expired_at = excluded.expired_at, \
                 updated_at = excluded.updated_at, last_sequence = excluded.last_sequence",
                rows, 30,
                |b, row| {
                    b.push_bind(row.id).push_bind(row.organization_id).push_bind(row.author_id)
                        .push_bind(row.status).push_bind(row.text).push_bind(&row.media).push_bind(row.campaign)
                        .push_bind(row.scheduled_at).push_bind(&row.flags).push_bind(&row.author_roles)
                        .push_bind(row.legal_block_review_id).push_bind(row.legally_blocked_at)
                        .push_bind(row.approved_at).push_bind(&row.approved_under).push_bind(row.published_by)
                        .push_bind(row.published_network_post_id).push_bind(row.published_url)
                        .push_bind(row.published_at).push_bind(row.delegated_policy_id)
                        .push_bind(row.delegated_policy_version).push_bind(row.delegated_assignment_id)
                        .push_bind(row.delegated_function).push_bind(row.delegated_responsibility)
                        .push_bind(row.retracted_at).push_bind(row.retracted_by).push_bind(row.retraction_reason)
                        .push_bind(row.expired_at).push_bind(row.created_at).push_bind(row.updated_at)
                        .push_bind(row.last_sequence);
                });
            insert_rows!(c,
                "INSERT INTO post_channels (post_id, channel_id, organization_id, team_id, channel_order, status, \
                 scheduled_at) ",
                " ON CONFLICT (post_id, channel_id) DO UPDATE SET status = excluded.status, \
                 scheduled_at = excluded.scheduled_at",
                channels, 7,
                |b, row| {
                    let (post_id, channel_id, org, team_id, order, post) = row;
                    b.push_bind(*post_id).push_bind(*channel_id).push_bind(*org).push_bind(*team_id)
                        .push_bind(*order).push_bind(status_of(post)).push_bind(post.state.scheduled_at());
                });
            insert_rows!(c,
                "INSERT INTO post_timeline (post_id, sequence, organization_id, global_position, event_type, \
                 actor_kind, actor_id, assignment_id, function, responsibility, occurred_at, policy_id, \
                 policy_version, details) ",
                "", self.timeline, 14,
                |b, row| {
                    b.push_bind(row.post_id).push_bind(row.sequence).push_bind(row.organization_id)
                        .push_bind(row.global_position).push_bind(&row.event_type).push_bind(row.actor_kind)
                        .push_bind(row.actor_id).push_bind(row.assignment_id).push_bind(row.function)
                        .push_bind(row.responsibility).push_bind(row.occurred_at).push_bind(row.policy_id)
                        .push_bind(row.policy_version).push_bind(&row.details);
                });
            insert_rows!(c,
                "INSERT INTO post_approvals (post_id, sequence, organization_id, signer_id, assignment_id, \
                 function, responsibility, step, policy_id, policy_version, signed_at, comment, voided_at, \
                 void_reason) ",
                "", self.approvals, 14,
                |b, row| {
                    b.push_bind(row.post_id).push_bind(row.sequence).push_bind(row.organization_id)
                        .push_bind(row.signer_id).push_bind(row.assignment_id).push_bind(row.function)
                        .push_bind(row.responsibility).push_bind(&row.step).push_bind(row.policy_id)
                        .push_bind(row.policy_version).push_bind(row.at).push_bind(&row.comment)
                        .push_bind(row.voided_at).push_bind(row.void_reason);
                });
            insert_rows!(c,
                "INSERT INTO post_rejections (post_id, sequence, organization_id, signer_id, assignment_id, \
                 function, responsibility, step, policy_id, policy_version, rejected_at, comment) ",
                "", self.rejections, 12,
                |b, row| {
                    b.push_bind(row.post_id).push_bind(row.sequence).push_bind(row.organization_id)
                        .push_bind(row.signer_id).push_bind(row.assignment_id).push_bind(row.function)
                        .push_bind(row.responsibility).push_bind(&row.step).push_bind(row.policy_id)
                        .push_bind(row.policy_version).push_bind(row.at).push_bind(&row.comment);
                });
            insert_rows!(c,
                "INSERT INTO post_status_history (post_id, valid_from, organization_id, status, valid_to) ",
                " ON CONFLICT (post_id, valid_from) DO UPDATE SET status = excluded.status, \
                 valid_to = excluded.valid_to",
                intervals, 5,
                |b, row| {
                    let (post_id, org, interval) = row;
                    b.push_bind(*post_id).push_bind(interval.valid_from).push_bind(*org)
                        .push_bind(&interval.status).push_bind(interval.valid_to);
                });
            delete_for_posts!(c, "post_open_step_signers", post_ids);
            delete_for_posts!(c, "post_open_steps", post_ids);
            insert_rows!(c,
                "INSERT INTO post_open_steps (post_id, policy_id, step, organization_id, policy_version, \
                 step_order, required_signatures, signatures) ",
                "", open.steps, 8,
                |b, row| {
                    b.push_bind(row.post_id).push_bind(row.policy_id).push_bind(&row.step)
                        .push_bind(row.organization_id).push_bind(row.policy_version).push_bind(row.order)
                        .push_bind(row.required).push_bind(row.signed);
                });
            insert_rows!(c,
                "INSERT INTO post_open_step_signers (post_id, policy_id, step, rule_index, organization_id, \
                 function, responsibility) ",
                "", open.signers, 7,
                |b, row| {
                    b.push_bind(row.post_id).push_bind(row.policy_id).push_bind(&row.step)
                        .push_bind(row.rule_index).push_bind(row.organization_id).push_bind(row.function)
                        .push_bind(row.responsibility);
                });
        });
        Ok(())
    }
}

/// The owning team of every channel of the posts drafted in this batch, from the teams
/// read model (already up to date with this batch: it is applied first).
async fn channel_teams(
    tx: &mut DbTx,
    posts: &[(Uuid, &CachedPost)],
) -> Result<HashMap<Uuid, Uuid>, StoreError> {
    let mut ids: Vec<Uuid> = posts
        .iter()
        .filter(|(_, post)| post.drafted)
        .flat_map(|(_, post)| post.state.channel_ids().iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut teams = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(MAX_BINDS) {
        teams.extend(chorus_teams::api::channel_teams_in(tx, chunk).await?);
    }
    Ok(teams)
}
