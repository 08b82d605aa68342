//! The people read model.

use chorus_api::ApiResult;
use chorus_kernel::{fetch_all, Db};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{like_pattern, Page};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub affiliation: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub offboarded_at: Option<DateTime<Utc>>,
}

pub const PERSON_SELECT: &str =
    "SELECT id, organization_id, display_name, email, affiliation, external_id, created_at, offboarded_at FROM people";

/// Filters of the `people` connection.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub affiliation: Option<String>,
    pub include_offboarded: bool,
    pub name_contains: Option<String>,
    pub email: Option<String>,
    pub external_id: Option<String>,
}

pub async fn people_page(
    db: &Db,
    org: Uuid,
    filter: &PersonFilter,
    page: Page,
) -> ApiResult<Vec<PersonRow>> {
    Ok(fetch_all!(db, PersonRow, |qb| {
        qb.push(PERSON_SELECT);
        qb.push(" WHERE organization_id = ").push_bind(org);
        if let Some(affiliation) = &filter.affiliation {
            qb.push(" AND affiliation = ")
                .push_bind(affiliation.clone());
        }
        if !filter.include_offboarded {
            qb.push(" AND offboarded_at IS NULL");
        }
        if let Some(needle) = &filter.name_contains {
            qb.push(" AND lower(display_name) LIKE ")
                .push_bind(like_pattern(needle))
                .push(" ESCAPE '\\'");
        }
        if let Some(email) = &filter.email {
            qb.push(" AND email = ")
                .push_bind(email.trim().to_lowercase());
        }
        if let Some(external_id) = &filter.external_id {
            qb.push(" AND external_id = ")
                .push_bind(external_id.clone());
        }
        push_page!(qb, page);
    }))
}

/// The active person of `org` whose email is `email` (stored lowercase), if any: the
/// check that keeps an email to one active person (`addPerson`, `updatePerson`, SCIM).
/// One lookup on `people_by_email`.
pub async fn active_person_with_email(db: &Db, org: Uuid, email: &str) -> ApiResult<Option<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Found {
        id: Uuid,
    }
    let found = fetch_all!(db, Found, |qb| {
        qb.push("SELECT id FROM people WHERE organization_id = ")
            .push_bind(org);
        qb.push(" AND email = ").push_bind(email.to_owned());
        qb.push(" AND offboarded_at IS NULL ORDER BY id LIMIT 1");
    });
    Ok(found.into_iter().next().map(|row| row.id))
}
