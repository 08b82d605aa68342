//! `Contact`: an outside party who writes to the brand, with their handles and cases.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, SimpleObject, ID};
use chorus_api::{decode_after, encode_cursor, encode_id, page, runtime, Gql};
use chorus_teams::graphql::SocialNetwork;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::case::Case;
use crate::read::{self, ContactRow};

/// A customer, an influencer or a member of the public who wrote to the organization.
/// Never a team member; their personal data is kept apart from their cases.
pub struct Contact(pub ContactRow);

/// A contact's handle on a network.
#[derive(SimpleObject)]
pub struct ContactHandle {
    pub network: SocialNetwork,
    pub handle: String,
}

#[Object]
impl Contact {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id("Contact", self.0.id)
    }
    async fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }
    /// The contact's id in the organization's CRM.
    async fn crm_id(&self) -> Option<&str> {
        self.0.crm_id.as_deref()
    }
    /// Whether routing treats the contact as a VIP.
    async fn vip(&self) -> bool {
        self.0.vip
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The contact's handles, one per network.
    async fn handles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContactHandle>> {
        async {
            let rows = super::case::cases_loader(ctx)?
                .load_one(read::HandlesOfContact(self.0.id))
                .await?
                .unwrap_or_default();
            rows.into_iter()
                .map(|row| {
                    let network = chorus_api::decode_stored::<chorus_teams::values::SocialNetwork>(
                        "contact_handles",
                        "network",
                        &row.network,
                    )?;
                    Ok(ContactHandle {
                        network: network.into(),
                        handle: row.handle,
                    })
                })
                .collect::<chorus_api::ApiResult<Vec<_>>>()
        }
        .await
        .gql()
    }
    /// The contact's cases, newest first.
    #[graphql(complexity = "chorus_api::page_complexity(first, child_complexity)")]
    async fn cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Case>> {
        async {
            let limit = page(ctx, first, None)?.limit;
            let after = decode_after(after, |bytes| {
                serde_json::from_slice::<(DateTime<Utc>, Uuid)>(bytes).ok()
            })?;
            let db = &runtime(ctx)?.db;
            let rows =
                read::cases_of_contact(db, self.0.organization_id, self.0.id, after, limit).await?;
            Ok(chorus_api::cursor_connection(
                rows,
                limit,
                after.is_some(),
                |row| {
                    encode_cursor(serde_json::to_vec(&(row.opened_at, row.id)).unwrap_or_default())
                },
                Case,
            ))
        }
        .await
        .gql()
    }
}
