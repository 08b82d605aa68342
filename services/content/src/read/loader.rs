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

/// A [`Loader`] of one list per post: keys `$key(post_id)`, values `Vec<$value>`. The
/// `$rows` block runs the one query of the page (with `$this` the loader and `$ids` the
/// page's post ids); `$value_of` picks each row's value.
macro_rules! post_list_loader {
    ($key:ident => $value:ty, |$this:ident, $ids:ident| $rows:block, $value_of:expr) => {
        impl Loader<$key> for ContentLoader {
            type Value = Vec<$value>;
            type Error = ApiError;
            async fn load(&self, keys: &[$key]) -> ApiResult<HashMap<$key, Vec<$value>>> {
                let $this = self;
                let $ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $rows;
                Ok(grouped(rows, |r| $key(r.post_id), $value_of))
            }
        }
    };
}

post_list_loader!(
    ChannelsOfPost => Uuid,
    |this, ids| {
        fetch_all!(&this.db, PostChannel, |qb| {
            qb.push("SELECT post_id, channel_id FROM post_channels WHERE organization_id = ")
                .push_bind(this.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, channel_order");
        })
    },
    |r| r.channel_id
);

post_list_loader!(
    ApprovalsOfPost => ApprovalRow,
    |this, ids| {
        fetch_all!(&this.db, ApprovalRow, |qb| {
            qb.push("SELECT ").push(APPROVAL_COLUMNS);
            qb.push(" FROM post_approvals a WHERE a.organization_id = ")
                .push_bind(this.org);
            qb.push(" AND a.post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY a.post_id, a.sequence");
        })
    },
    |r| r
);

post_list_loader!(
    OpenStepsOfPost => OpenStepRow,
    |this, ids| {
        fetch_all!(&this.db, OpenStepRow, |qb| {
            qb.push(
                "SELECT post_id, policy_id, step, policy_version, step_order, required_signatures, signatures \
                 FROM post_open_steps WHERE organization_id = ",
            )
            .push_bind(this.org);
            qb.push(" AND post_id");
            push_in!(qb, ids);
            qb.push(" ORDER BY post_id, step_order");
        })
    },
    |r| r
);

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
