//! The channels read model: the organization's social accounts and their owning teams.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, push_in_force_at, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Page;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChannelRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub team_id: Uuid,
    pub network: String,
    pub handle: String,
    pub registered_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

pub(crate) const CHANNEL_COLUMNS: &str =
    "id, organization_id, team_id, network, handle, registered_at, retired_at";

/// Filters of the `channels` connection.
#[derive(Debug, Clone, Default)]
pub struct ChannelFilter {
    pub team_id: Option<Uuid>,
    pub network: Option<String>,
    pub include_retired: bool,
}

pub async fn channels_page(
    db: &Db,
    org: Uuid,
    filter: &ChannelFilter,
    page: Page,
) -> ApiResult<Vec<ChannelRow>> {
    Ok(fetch_all!(db, ChannelRow, |qb| {
        qb.push(format!("SELECT {CHANNEL_COLUMNS} FROM channels"));
        qb.push(" WHERE organization_id = ").push_bind(org);
        if let Some(team) = filter.team_id {
            qb.push(" AND team_id = ").push_bind(team);
        }
        if let Some(network) = &filter.network {
            qb.push(" AND network = ").push_bind(network.clone());
        }
        if !filter.include_retired {
            qb.push(" AND retired_at IS NULL");
        }
        push_page!(qb, page);
    }))
}

/// A team's channels that existed at `at` (registered by then, not yet retired).
pub async fn channels_at(
    db: &Db,
    org: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    page: Page,
) -> ApiResult<Vec<ChannelRow>> {
    Ok(fetch_all!(db, ChannelRow, |qb| {
        qb.push(format!("SELECT {CHANNEL_COLUMNS} FROM channels"));
        qb.push(" WHERE team_id = ").push_bind(team);
        qb.push(" AND organization_id = ").push_bind(org);
        push_in_force_at!(qb, "registered_at", "retired_at", at);
        push_page!(qb, page);
    }))
}

/// Active channel with this network and handle, if any (uniqueness check before register).
pub async fn channel_by_account(
    db: &Db,
    org: Uuid,
    network: &str,
    handle: &str,
) -> ApiResult<Option<ChannelRow>> {
    let rows = fetch_all!(db, ChannelRow, |qb| {
        qb.push(format!("SELECT {CHANNEL_COLUMNS} FROM channels"));
        qb.push(" WHERE organization_id = ").push_bind(org);
        qb.push(" AND network = ").push_bind(network.to_owned());
        qb.push(" AND lower(handle) = ")
            .push_bind(handle.to_lowercase());
        qb.push(" AND retired_at IS NULL");
    });
    Ok(rows.into_iter().next())
}
