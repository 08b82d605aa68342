//! Helpers every part of the content slice uses: decoding stored teams enums, keyset
//! pagination of time-ordered lists, the per-list batch loader, the lookups and access
//! checks of the resolvers, input parsing, and the mutation payload macro.

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID};
use base64::Engine;
use chorus_api::error::{ApiError, ApiResult};
use chorus_api::{decode_id, page, principal, require_reader, runtime, Principal};
use chorus_content_domain as content;
use chorus_teams as teams;
use chorus_teams::api::{loader, require_admin, PersonById, RoleById};
use chorus_teams::graphql::{Person, Responsibility, RoleAssignment, RoleFunction};
use uuid::Uuid;

use crate::read::{ContentLoader, Keyset, KeysetKey};
use crate::service;

pub(super) fn function_of(stored: &str) -> ApiResult<RoleFunction> {
    stored
        .parse::<teams::RoleFunction>()
        .map(RoleFunction::from)
        .map_err(|e| ApiError::internal(&e))
}

pub(super) fn responsibility_of(stored: Option<&str>) -> ApiResult<Option<Responsibility>> {
    stored
        .map(|s| {
            s.parse::<teams::Responsibility>()
                .map(Responsibility::from)
                .map_err(|e| ApiError::internal(&e))
        })
        .transpose()
}

// ---------------------------------------------------------------------------------------
// Pagination of time-ordered lists
// ---------------------------------------------------------------------------------------

/// Parses Relay arguments of a time-ordered list (same page-size cap as everywhere).
pub(super) fn keyset(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Keyset> {
    let limit = page(ctx, first, None)?.limit;
    let after = after
        .map(|cursor| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|bytes| serde_json::from_slice::<KeysetKey>(&bytes).ok())
                .ok_or_else(|| {
                    ApiError::bad_input("after", "must be a cursor returned by this API")
                })
        })
        .transpose()?;
    Ok(Keyset { after, limit })
}

pub(super) fn keyset_connection<R, N: async_graphql::OutputType>(
    mut rows: Vec<R>,
    page: Keyset,
    key_of: impl Fn(&R) -> KeysetKey,
    node: impl Fn(R) -> N,
) -> Connection<String, N> {
    let size = usize::try_from(page.limit - 1).unwrap_or_default();
    let has_next = rows.len() > size;
    rows.truncate(size);
    let mut connection = Connection::new(page.after.is_some(), has_next);
    connection.edges.extend(rows.into_iter().map(|row| {
        let key = serde_json::to_vec(&key_of(&row)).unwrap_or_default();
        Edge::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
            node(row),
        )
    }));
    connection
}

pub(super) type Batch = Arc<DataLoader<ContentLoader>>;

/// A batch loader for one list of posts (or one post): the nested lists of every post
/// it serves are loaded with one query per kind.
pub(super) fn batch(ctx: &Context<'_>) -> ApiResult<Batch> {
    Ok(Arc::new(DataLoader::new(
        ContentLoader {
            db: runtime(ctx)?.db.clone(),
            org: principal(ctx)?.organization_id,
        },
        tokio::spawn,
    )))
}

// ---------------------------------------------------------------------------------------
// Shared lookups
// ---------------------------------------------------------------------------------------

pub(super) async fn person(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

pub(super) async fn role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    Ok(loader(ctx)?
        .load_one(RoleById(id))
        .await?
        .map(RoleAssignment))
}

/// The caller's person id; service accounts are refused.
pub(super) fn person_id(principal: &Principal, what: &'static str) -> ApiResult<Uuid> {
    principal.person_id().ok_or(ApiError::Forbidden(what))
}

/// Loads a post of the caller's organization from its events, or NOT_FOUND.
pub(super) async fn load_post(ctx: &Context<'_>, field: &str, id: &ID) -> ApiResult<content::Post> {
    let id = decode_id("Post", field, id)?;
    let org = principal(ctx)?.organization_id;
    let (post, _, owner) = runtime(ctx)?
        .store
        .load::<content::Post>(&id.to_string())
        .await?;
    if owner != Some(org) || !post.exists() {
        return Err(ApiError::NotFound("post"));
    }
    Ok(post)
}

/// The caller as an author of a post on `channels`: a person whose qualifying roles
/// include an authoring function. Returns the person and every qualifying role.
pub(super) async fn require_author(
    ctx: &Context<'_>,
    channels: &[Uuid],
) -> ApiResult<(Uuid, Vec<content::HeldRole>)> {
    let principal = require_reader(ctx)?;
    let person = person_id(principal, "only people may write posts")?;
    let roles = service::qualifying_roles(
        &runtime(ctx)?.db,
        principal.organization_id,
        person,
        channels,
        chorus_kernel::now(),
    )
    .await?;
    if !service::may_author(&roles) {
        return Err(ApiError::Forbidden(
            "only holders of a social media, marketing, creative or PR role for the post's channels may write posts",
        ));
    }
    Ok((person, roles))
}

/// LEGAL holders (any scope) or organization admins.
pub(super) async fn require_policy_manager<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
    let principal = principal(ctx)?;
    if let Some(person) = principal.person_id() {
        require_reader(ctx)?;
        let legal = service::legal_role(
            &runtime(ctx)?.db,
            principal.organization_id,
            person,
            chorus_kernel::now(),
        )
        .await?;
        if legal.is_some() {
            return Ok(principal);
        }
    }
    require_admin(ctx).await.map_err(|e| match e {
        ApiError::Forbidden(_) => ApiError::Forbidden(
            "only legal-role holders and organization admins may change policies and the lexicon",
        ),
        other => other,
    })
}

/// Who publishes: a person with a qualifying SOCIAL_MEDIA role (returned with every
/// qualifying role), or a service account with `content:publish` (no roles).
pub(super) async fn require_publisher(
    ctx: &Context<'_>,
    channels: &[Uuid],
) -> ApiResult<(Uuid, Vec<content::HeldRole>)> {
    let principal = principal(ctx)?;
    match principal.person_id() {
        Some(person) => {
            require_reader(ctx)?;
            let roles = service::qualifying_roles(
                &runtime(ctx)?.db,
                principal.organization_id,
                person,
                channels,
                chorus_kernel::now(),
            )
            .await?;
            if roles
                .iter()
                .any(|r| r.function == teams::RoleFunction::SocialMedia)
            {
                Ok((person, roles))
            } else {
                Err(ApiError::Forbidden(
                    "only holders of a social media role for the post's channels may publish",
                ))
            }
        }
        None if principal.has_scope("content:publish") => {
            Ok((principal.actor.id.unwrap_or_default(), Vec::new()))
        }
        None => Err(ApiError::Forbidden(
            "this token has no scope to publish posts (content:publish)",
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Input parsing
// ---------------------------------------------------------------------------------------

pub(super) fn actor_id(principal: &Principal) -> Uuid {
    principal.actor.id.unwrap_or_default()
}

pub(super) fn parse<T: TryFrom<String, Error = teams::ValueError>>(
    field: &str,
    value: &str,
) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

pub(super) fn parse_opt<T: TryFrom<String, Error = teams::ValueError>>(
    field: &str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}

// ---------------------------------------------------------------------------------------
// Mutation payloads
// ---------------------------------------------------------------------------------------

macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* }) => {
        $(#[$meta])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            $($field: $ty,)*
            /// Position of the last event this mutation appended (or, on an idempotent
            /// retry, appended the first time).
            position: chorus_api::LogPositionScalar,
            /// True when the idempotency key matched an earlier request and nothing new was written.
            replayed: bool,
        }
    };
}
pub(super) use payload;
