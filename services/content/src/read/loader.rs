//! The per-page batch loader of a post's nested lists (channels, approvals, open steps).

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use chorus_api::error::{ApiError, ApiResult};
use chorus_kernel::{fetch_all, push_in, Db};
use uuid::Uuid;

use super::rows::{ApprovalRow, OpenStepRow, APPROVAL_COLUMNS};

/// Per-page batch loader of a post's nested lists, confined to one organization: one
/// query per list kind, whatever the number of posts on the page.
pub struct ContentLoader {
    pub db: Db,
    pub org: Uuid,
}

/// A post's channels, in the order the author listed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelsOfPost(pub Uuid);
/// A post's approvals in the current and earlier rounds (voided ones included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApprovalsOfPost(pub Uuid);
/// A post's open review steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenStepsOfPost(pub Uuid);

#[derive(sqlx::FromRow)]
struct PostChannel {
    post_id: Uuid,
    channel_id: Uuid,
}

impl Loader<ChannelsOfPost> for ContentLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;
    async fn load(&self, keys: &[ChannelsOfPost]) -> ApiResult<HashMap<ChannelsOfPost, Vec<Uuid>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, PostChannel, |qb| {
            qb.push("SELECT post_id, channel_id FROM post_channels WHERE organization_id = ")
                .push_bind(self.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, channel_order");
        });
        Ok(grouped(
            rows,
            |r| ChannelsOfPost(r.post_id),
            |r| r.channel_id,
        ))
    }
}

impl Loader<ApprovalsOfPost> for ContentLoader {
    type Value = Vec<ApprovalRow>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[ApprovalsOfPost],
    ) -> ApiResult<HashMap<ApprovalsOfPost, Vec<ApprovalRow>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, ApprovalRow, |qb| {
            qb.push("SELECT ").push(APPROVAL_COLUMNS);
            qb.push(" FROM post_approvals a WHERE a.organization_id = ")
                .push_bind(self.org);
            qb.push(" AND a.post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY a.post_id, a.sequence");
        });
        Ok(grouped(rows, |r| ApprovalsOfPost(r.post_id), |r| r))
    }
}

impl Loader<OpenStepsOfPost> for ContentLoader {
    type Value = Vec<OpenStepRow>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[OpenStepsOfPost],
    ) -> ApiResult<HashMap<OpenStepsOfPost, Vec<OpenStepRow>>> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = fetch_all!(&self.db, OpenStepRow, |qb| {
            qb.push(
                "SELECT post_id, policy_id, step, policy_version, step_order, required_signatures, signatures \
                 FROM post_open_steps WHERE organization_id = ",
            )
            .push_bind(self.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, step_order");
        });
        Ok(grouped(rows, |r| OpenStepsOfPost(r.post_id), |r| r))
    }
}

/// The loaded rows of a page's posts, per post, in the order the query returned them.
fn grouped<K: Hash + Eq, R, V>(
    rows: Vec<R>,
    key_of: impl Fn(&R) -> K,
    value_of: impl Fn(R) -> V,
) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        out.entry(key_of(&row)).or_default().push(value_of(row));
    }
    out
}
