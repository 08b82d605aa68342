//! The content context's use cases, one file per command: authorize → replay → look up
//! → build the domain command → execute. GraphQL resolvers and the CLI's demo call these,
//! so each rule (who may author, sign or publish; which policies apply) is written once.
//!
//! Inputs arrive parsed (domain newtypes, uuids); a use case answers with the command's
//! outcome, from which each caller builds its own reply.

mod define_policy;
mod draft_post;
mod edit_post;
mod lexicon_term;
mod log_legal_review;
mod mark_published;
mod retract_post;
mod revise_policy;
mod schedule_post;
mod sign_post;
mod submit_post;
mod withdraw_post;

pub use define_policy::{define_policy, ensure_scope, DefinePolicy};
pub use draft_post::{draft_post, DraftPost};
pub use edit_post::{edit_post, EditPost};
pub use lexicon_term::{add_lexicon_term, remove_lexicon_term, LexiconTermChange};
pub use log_legal_review::{log_legal_review, LegalReviewLogged, LogLegalReview};
pub use mark_published::{mark_published, MarkPublished};
pub use retract_post::{retract_post, RetractPost};
pub use revise_policy::{retire_policy, revise_policy, RevisePolicy};
pub use schedule_post::{schedule_post, SchedulePost};
pub use sign_post::{approve_post, reject_post, ApprovePost, RejectPost};
pub use submit_post::{submit_post, SubmitPost};
pub use withdraw_post::{withdraw_post, WithdrawPost};

use std::future::Future;

use chorus_api::{ApiError, ApiResult, Caller, Principal};
use chorus_kernel::{CommandOutcome, IdempotencyKey};
use uuid::Uuid;

use crate::domain::{HeldRole, Post, PostCommand};
use crate::service;

/// The caller's person id; service accounts are refused with `what`.
pub fn person_id(principal: &Principal, what: &'static str) -> ApiResult<Uuid> {
    principal.person_id().ok_or(ApiError::Forbidden(what))
}

/// The acting principal's id as recorded in `by` (a person's or a service account's).
pub(crate) fn actor_id(caller: &Caller<'_>) -> Uuid {
    caller.principal.actor.id.unwrap_or_default()
}

/// A post of the caller's organization, from its events, or NOT_FOUND.
pub async fn load_post(caller: Caller<'_>, id: Uuid) -> ApiResult<Post> {
    let (post, _, owner) = caller.runtime.store.load::<Post>(&id.to_string()).await?;
    if owner != Some(caller.organization_id()) || !post.exists() {
        return Err(ApiError::NotFound("post"));
    }
    Ok(post)
}

/// A retried request's idempotency key, if the caller sent one.
pub type RetryKey = Option<IdempotencyKey>;

/// What a use case answers: the outcome of the command it ran (or replayed).
pub type Outcome = ApiResult<CommandOutcome>;

pub(crate) use chorus_api::replay_or_execute;

/// An author's command on an existing post: the caller is a reader, an idempotent retry
/// is replayed, then the post is loaded, the caller must be an author of its channels,
/// and `build(post, author)` makes the command (with any lookups it needs).
pub(crate) async fn as_author<Fut>(
    caller: Caller<'_>,
    post_id: Uuid,
    key: RetryKey,
    build: impl FnOnce(Post, Uuid) -> Fut,
) -> Outcome
where
    Fut: Future<Output = ApiResult<PostCommand>>,
{
    require_reader(&caller)?;
    replay_or_execute::<Post, _>(caller, key, || async move {
        let post = load_post(caller, post_id).await?;
        let (author, _) = require_author(caller, post.channel_ids()).await?;
        Ok((post_id, build(post, author).await?))
    })
    .await
}

/// The caller as an author of a post on `channels`: a person whose qualifying roles
/// include an authoring function. Returns the person and every qualifying role.
pub async fn require_author(
    caller: Caller<'_>,
    channels: &[Uuid],
) -> ApiResult<(Uuid, Vec<HeldRole>)> {
    let person = person_id(caller.principal, "only people may write posts")?;
    let roles = service::qualifying_roles(
        &caller.runtime.db,
        caller.organization_id(),
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

/// Who publishes: a person with a qualifying SOCIAL_MEDIA role (returned with every
/// qualifying role), or a service account with `content:publish` (no roles).
pub async fn require_publisher(
    caller: Caller<'_>,
    channels: &[Uuid],
) -> ApiResult<(Uuid, Vec<HeldRole>)> {
    let principal = caller.principal;
    match principal.person_id() {
        Some(person) => {
            let roles = service::qualifying_roles(
                &caller.runtime.db,
                principal.organization_id,
                person,
                channels,
                chorus_kernel::now(),
            )
            .await?;
            if roles
                .iter()
                .any(|r| r.function == chorus_teams::RoleFunction::SocialMedia)
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

/// Who manages policies and the lexicon: LEGAL holders (any scope) or organization
/// admins (service accounts: `teams:write`).
pub async fn require_policy_manager(caller: Caller<'_>) -> ApiResult<()> {
    if let Some(person) = caller.principal.person_id() {
        let legal = service::legal_role(
            &caller.runtime.db,
            caller.organization_id(),
            person,
            chorus_kernel::now(),
        )
        .await?;
        if legal.is_some() {
            return Ok(());
        }
    }
    chorus_teams::access::ensure_admin(caller)
        .await
        .map_err(|e| match e {
            ApiError::Forbidden(_) => ApiError::Forbidden(
                "only legal-role holders and organization admins may change policies and the lexicon",
            ),
            other => other,
        })
}

/// A person, or a service account with a reading scope.
pub fn require_reader(caller: &Caller<'_>) -> ApiResult<()> {
    chorus_api::runtime::ensure_reader(caller.principal)
}
