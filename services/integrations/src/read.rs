//! Queries over the integrations read models, each confined to one organization and
//! served by an index.

use chorus_api::{decode_stored, decode_stored_opt, ApiResult, Caller};
use chorus_kernel::{fetch_all, push_in, Db};
use chorus_teams::api::PersonRow;
use chorus_teams::{RoleScope, ScopeKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{GroupRole, UserProfile};

/// A person's HR attributes as provisioned.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProfileRow {
    pub person_id: Uuid,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub employee_number: Option<String>,
    pub department: Option<String>,
}

/// The HR attributes of those of `people` (of `org`) that have any, by primary key.
pub async fn profiles_of(db: &Db, org: Uuid, people: &[Uuid]) -> ApiResult<Vec<ProfileRow>> {
    Ok(fetch_all!(db, ProfileRow, |qb| {
        qb.push(
            "SELECT person_id, given_name, family_name, employee_number, department \
             FROM scim_users WHERE person_id",
        );
        push_in!(qb, people);
        qb.push(" AND organization_id = ").push_bind(org);
    }))
}

/// A SCIM group's mapping.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub id: Uuid,
    pub display_name: String,
    pub external_id: Option<String>,
    pub function: String,
    pub responsibility: Option<String>,
    pub scope_kind: String,
    pub scope_id: Uuid,
    /// When the identity provider pushed the group (`POST /Groups`).
    pub linked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl GroupRow {
    /// The role grant the group stands for.
    pub fn role(&self) -> ApiResult<GroupRole> {
        const TABLE: &str = "scim_groups";
        let kind: ScopeKind = decode_stored(TABLE, "scope_kind", &self.scope_kind)?;
        Ok(GroupRole {
            function: decode_stored(TABLE, "function", &self.function)?,
            responsibility: decode_stored_opt(
                TABLE,
                "responsibility",
                self.responsibility.as_deref(),
            )?,
            scope: RoleScope {
                kind,
                id: self.scope_id,
            },
        })
    }
}

const GROUP_SELECT: &str = "SELECT id, display_name, external_id, function, responsibility, \
                            scope_kind, scope_id, linked_at, created_at, updated_at FROM scim_groups";

/// Which groups a list asks for: exact matches (SCIM `eq`), every group when both `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupFilter {
    pub display_name: Option<String>,
    pub external_id: Option<String>,
}

/// One page of the organization's groups by `filter`, in creation order, `offset` rows
/// in, with the number matching.
pub async fn groups_page(
    db: &Db,
    org: Uuid,
    filter: &GroupFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(i64, Vec<GroupRow>)> {
    #[derive(sqlx::FromRow)]
    struct Count {
        n: i64,
    }
    macro_rules! push_filter {
        ($qb:ident) => {{
            $qb.push(" WHERE organization_id = ").push_bind(org);
            if let Some(name) = &filter.display_name {
                $qb.push(" AND display_name = ").push_bind(name.clone());
            }
            if let Some(external_id) = &filter.external_id {
                $qb.push(" AND external_id = ")
                    .push_bind(external_id.clone());
            }
        }};
    }
    let count = fetch_all!(db, Count, |qb| {
        qb.push("SELECT COUNT(*) AS n FROM scim_groups");
        push_filter!(qb);
    });
    let rows = fetch_all!(db, GroupRow, |qb| {
        qb.push(GROUP_SELECT);
        push_filter!(qb);
        qb.push(" ORDER BY id LIMIT ").push_bind(limit);
        qb.push(" OFFSET ").push_bind(offset);
    });
    Ok((count.first().map_or(0, |c| c.n), rows))
}

/// The group `id` of `org`, if it exists (and was not removed).
pub async fn group(db: &Db, org: Uuid, id: Uuid) -> ApiResult<Option<GroupRow>> {
    let rows = fetch_all!(db, GroupRow, |qb| {
        qb.push(GROUP_SELECT);
        qb.push(" WHERE id = ").push_bind(id);
        qb.push(" AND organization_id = ").push_bind(org);
    });
    Ok(rows.into_iter().next())
}

/// A SCIM user: the person, their HR attributes and their manager now.
#[derive(Debug, Clone)]
pub struct UserNow {
    pub person: PersonRow,
    pub profile: Option<ProfileRow>,
    pub manager: Option<Uuid>,
}

/// Whether `profile` is what `row` holds (no row: no attributes).
pub fn same_profile(profile: &UserProfile, row: Option<&ProfileRow>) -> bool {
    match row {
        None => *profile == UserProfile::default(),
        Some(row) => {
            profile.given_name() == row.given_name.as_deref()
                && profile.family_name() == row.family_name.as_deref()
                && profile.employee_number() == row.employee_number.as_deref()
                && profile.department() == row.department.as_deref()
        }
    }
}

/// The SCIM user `id` of the caller's organization, read fresh (`NOT_FOUND` otherwise).
pub async fn user(caller: Caller<'_>, id: Uuid) -> ApiResult<UserNow> {
    let person = chorus_teams::api::person(caller, id).await?;
    users_of(&caller.runtime.db, caller.organization_id(), vec![person])
        .await?
        .into_iter()
        .next()
        .ok_or(chorus_api::ApiError::NotFound("person"))
}

/// `people` (of `org`) as SCIM users: their attributes and managers in two queries.
pub async fn users_of(db: &Db, org: Uuid, people: Vec<PersonRow>) -> ApiResult<Vec<UserNow>> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let profiles = profiles_of(db, org, &ids).await?;
    let managers = chorus_teams::api::managers_now(db, org, &ids).await?;
    Ok(people
        .into_iter()
        .map(|person| UserNow {
            profile: profiles.iter().find(|p| p.person_id == person.id).cloned(),
            manager: managers
                .iter()
                .find(|(p, _)| *p == person.id)
                .map(|(_, m)| *m),
            person,
        })
        .collect())
}

/// One keyset page of the organization's groups, in creation order (GraphQL's
/// `scimGroups`), on `scim_groups_by_organization`.
pub async fn groups_after(
    db: &Db,
    org: Uuid,
    page: chorus_kernel::sql::Page,
) -> ApiResult<Vec<GroupRow>> {
    Ok(fetch_all!(db, GroupRow, |qb| {
        qb.push(GROUP_SELECT);
        qb.push(" WHERE organization_id = ").push_bind(org);
        if let Some(after) = page.after {
            qb.push(" AND id > ").push_bind(after);
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(page.limit);
    }))
}
