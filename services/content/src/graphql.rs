//! The content slice of the GraphQL schema: posts and their approval under versioned
//! policies, the flagging lexicon, legal reviews, and the auditor's compliance history.
//!
//! # Who may do what
//!
//! Qualifying roles are defined in [`super::service`]. On top of them:
//! - **Authors** (`draftPost`, `editPost`, `submitPost`, `withdrawPost`, `schedulePost`):
//!   people holding SOCIAL_MEDIA, MARKETING, CREATIVE or PUBLIC_RELATIONS among their
//!   qualifying roles for the post's channels, else FORBIDDEN. Only the post's author
//!   may edit, submit, withdraw or schedule it (the domain's NOT_AUTHOR).
//! - **Signers** (`approvePost`, `rejectPost`): whatever the policy step says; the
//!   person's qualifying roles go to the domain, which refuses with NOT_ENTITLED,
//!   FOUR_EYES, ALREADY_SIGNED, …
//! - **Publishing** (`markPublished`): people holding SOCIAL_MEDIA among their
//!   qualifying roles, or service accounts with the scope `content:publish`
//!   (integrators; they hold no role, so they publish approved posts only). Delegated
//!   authority is decided by the domain against the policies in force now.
//! - **Retraction** (`retractPost`): as publishing, plus LEGAL holders (any scope) and
//!   organization admins, who may need to take a post down.
//! - **Legal reviews** (`logLegalReview`): people holding an active LEGAL assignment at
//!   any scope. A review of a POST is then applied to the post
//!   (`PostCommand::ApplyLegalReview`), a second command in the same request with its
//!   own events; with an idempotency key, a retry completes that second step if the
//!   first attempt stopped between the two.
//! - **Policies and lexicon**: LEGAL holders (any scope) or organization admins.
//! - **Queries**: any reader of the organization (as for the teams slice); the
//!   approval inbox is a person's own.
//!
//! Every read and write is confined to the caller's organization.

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use base64::Engine;
use chorus_content_domain as content;
use chorus_kernel::IdempotencyKey;
use chorus_teams as teams;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::read::{self, *};
use super::service;
use chorus_api::error::{ApiError, ApiResult, Gql};
use chorus_api::Principal;
use chorus_api::{
    connection, decode_any_id, decode_id, encode_id, idempotency, page, principal, replayed,
    require_reader, runtime, seal, seal_at, LogPositionScalar,
};
use chorus_api::{outcome_uuid, page_complexity};
use chorus_teams::api::{loader, require_admin};
use chorus_teams::api::{ChannelById, PersonById, RoleById, TeamById};
use chorus_teams::graphql::{
    Channel, Person, Responsibility, RoleAssignment, RoleFunction, ScopeKind,
};

// ---------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $domain:ty { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Serialize)]
        pub enum $name { $($variant),* }
        impl From<$name> for $domain {
            fn from(value: $name) -> Self { match value { $($name::$variant => <$domain>::$variant),* } }
        }
        impl From<$domain> for $name {
            fn from(value: $domain) -> Self { match value { $(<$domain>::$variant => $name::$variant),* } }
        }
        impl $name {
            /// Parses the stored (SCREAMING_SNAKE_CASE) form.
            fn from_stored(value: &str) -> ApiResult<Self> {
                value.parse::<$domain>().map(Self::from).map_err(|e| ApiError::internal(&e))
            }
            /// The stored (SCREAMING_SNAKE_CASE) form.
            pub fn stored(self) -> &'static str {
                <$domain>::from(self).as_str()
            }
        }
    };
}

mirror_enum!(
    /// A property of a post's content that decides which review it needs.
    ContentFlag => content::ContentFlag { MentionsPricing, ContainsUserGeneratedContent, ContestOrPromotion, RegulatedClaim, CrisisRelated }
);
mirror_enum!(
    /// Where a post is in its life.
    PostStatus => content::PostStatus { Draft, InReview, Approved, Rejected, Scheduled, Published, Retracted, Expired }
);
mirror_enum!(
    /// What a legal review is about.
    ReviewSubjectKind => content::ReviewSubjectKind { Post, UserGeneratedContent, Campaign, Contract }
);
mirror_enum!(
    /// Which legal question a review answers.
    ReviewKind => content::ReviewKind { UgcRights, Privacy, IntellectualProperty, AdvertisingClaim, Contract }
);
mirror_enum!(
    /// The verdict of a legal review.
    ReviewOutcome => content::ReviewOutcome { Cleared, ClearedWithConditions, Blocked }
);

/// Who or what set a flag.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum FlagSource {
    /// The author.
    Author,
    /// The organization's lexicon matched a term of the text.
    Lexicon,
}

/// A compliance rule a published post breaks.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ComplianceViolationKind {
    /// An approval the post was published on was voided at or after publication.
    ApprovalVoidedAfterPublication,
    /// An approver did not hold the recorded role assignment when signing.
    ApproverWithoutRole,
    /// The delegated publisher did not hold the recorded role assignment when publishing.
    DelegateWithoutRole,
}

fn function_of(stored: &str) -> ApiResult<RoleFunction> {
    stored
        .parse::<teams::RoleFunction>()
        .map(RoleFunction::from)
        .map_err(|e| ApiError::internal(&e))
}

fn responsibility_of(stored: Option<&str>) -> ApiResult<Option<Responsibility>> {
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
fn keyset(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> ApiResult<Keyset> {
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

fn keyset_connection<R, N: async_graphql::OutputType>(
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

type Batch = Arc<DataLoader<ContentLoader>>;

/// A batch loader for one list of posts (or one post): the nested lists of every post
/// it serves are loaded with one query per kind.
fn batch(ctx: &Context<'_>) -> ApiResult<Batch> {
    Ok(Arc::new(DataLoader::new(
        ContentLoader {
            db: runtime(ctx)?.db.clone(),
            org: principal(ctx)?.organization_id,
        },
        tokio::spawn,
    )))
}

// ---------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------

/// A post drafted for one or more channels.
pub struct Post {
    row: PostRow,
    batch: Batch,
}

impl Post {
    fn new(row: PostRow, batch: &Batch) -> Self {
        Self {
            row,
            batch: batch.clone(),
        }
    }
}

/// A content flag with why the post carries it.
#[derive(SimpleObject)]
pub struct PostFlag {
    flag: ContentFlag,
    source: FlagSource,
    /// The lexicon term that matched, for lexicon flags.
    term: Option<String>,
    /// The lexicon version that matched, for lexicon flags.
    lexicon_version: Option<i64>,
}

/// How a post went out.
#[derive(SimpleObject)]
pub struct Publication {
    /// The person who published (null for an integrator's service account).
    publisher: Option<Person>,
    /// The id of whoever published (person or service account).
    publisher_id: ID,
    network_post_id: String,
    url: String,
    published_at: DateTime<Utc>,
    /// Set when the post went out without approval under delegated authority.
    delegated_authority: Option<DelegatedAuthority>,
}

/// The delegated authority a post was published under.
#[derive(SimpleObject)]
pub struct DelegatedAuthority {
    policy_id: ID,
    policy_version: i64,
    /// The publisher's role assignment that matched the delegation.
    assignment: Option<RoleAssignment>,
    assignment_id: ID,
    function: RoleFunction,
    responsibility: Option<Responsibility>,
}

/// Why, by whom and when a published post was taken down.
#[derive(SimpleObject)]
pub struct Retraction {
    reason: String,
    by_id: ID,
    by: Option<Person>,
    retracted_at: DateTime<Utc>,
}

/// A review step of a post still waiting for signatures.
#[derive(SimpleObject)]
pub struct OpenStep {
    policy_id: ID,
    policy_version: i64,
    step: String,
    required_signatures: i64,
    signatures: i64,
}

#[Object]
impl Post {
    async fn id(&self) -> ID {
        encode_id("Post", self.row.id)
    }
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.row.author_id).await.gql()
    }
    async fn status(&self) -> async_graphql::Result<PostStatus> {
        PostStatus::from_stored(&self.row.status).gql()
    }
    async fn text(&self) -> &str {
        &self.row.text
    }
    async fn media_urls(&self) -> async_graphql::Result<Vec<String>> {
        serde_json::from_str::<Vec<String>>(&self.row.media)
            .map_err(|e| ApiError::internal(&e))
            .gql()
    }
    async fn campaign(&self) -> Option<&str> {
        self.row.campaign.as_deref()
    }
    async fn scheduled_at(&self) -> Option<DateTime<Utc>> {
        self.row.scheduled_at
    }
    /// Flags, the author's first, each with its source.
    async fn flags(&self) -> async_graphql::Result<Vec<PostFlag>> {
        let flags: Vec<content::PostFlag> = serde_json::from_str(&self.row.flags)
            .map_err(|e| ApiError::internal(&e))
            .gql()?;
        Ok(flags
            .into_iter()
            .map(|f| match f.source {
                content::FlagSource::Author => PostFlag {
                    flag: f.flag.into(),
                    source: FlagSource::Author,
                    term: None,
                    lexicon_version: None,
                },
                content::FlagSource::Lexicon {
                    lexicon_version,
                    term,
                } => PostFlag {
                    flag: f.flag.into(),
                    source: FlagSource::Lexicon,
                    term: Some(term),
                    lexicon_version: i64::try_from(lexicon_version).ok(),
                },
            })
            .collect())
    }
    /// The channels the post is for, in the author's order.
    async fn channels(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Channel>> {
        async {
            let ids = self
                .batch
                .load_one(ChannelsOfPost(self.row.id))
                .await?
                .unwrap_or_default();
            let found = loader(ctx)?
                .load_many(ids.iter().map(|id| ChannelById(*id)))
                .await?;
            Ok(ids
                .iter()
                .filter_map(|id| found.get(&ChannelById(*id)).cloned().map(Channel))
                .collect())
        }
        .await
        .gql()
    }
    /// Whether a legal review blocks the post now.
    async fn legally_blocked(&self) -> bool {
        self.row.legal_block_review_id.is_some()
    }
    /// The legal review blocking the post, if any.
    async fn legal_block(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LegalReview>> {
        async {
            match self.row.legal_block_review_id {
                Some(id) => Ok(
                    read::legal_review(&runtime(ctx)?.db, self.row.organization_id, id)
                        .await?
                        .map(LegalReview),
                ),
                None => Ok(None),
            }
        }
        .await
        .gql()
    }
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.row.approved_at
    }
    async fn publication(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Publication>> {
        async {
            let (Some(by), Some(at)) = (self.row.published_by, self.row.published_at) else {
                return Ok(None);
            };
            let delegated_authority = match (
                self.row.delegated_policy_id,
                self.row.delegated_assignment_id,
                self.row.delegated_function.as_deref(),
            ) {
                (Some(policy), Some(assignment), Some(function)) => Some(DelegatedAuthority {
                    policy_id: encode_id("ApprovalPolicy", policy),
                    policy_version: self.row.delegated_policy_version.unwrap_or_default(),
                    assignment: role(ctx, assignment).await?,
                    assignment_id: encode_id("RoleAssignment", assignment),
                    function: function_of(function)?,
                    responsibility: responsibility_of(
                        self.row.delegated_responsibility.as_deref(),
                    )?,
                }),
                _ => None,
            };
            Ok(Some(Publication {
                publisher: person(ctx, by).await?,
                publisher_id: encode_id("Person", by),
                network_post_id: self
                    .row
                    .published_network_post_id
                    .clone()
                    .unwrap_or_default(),
                url: self.row.published_url.clone().unwrap_or_default(),
                published_at: at,
                delegated_authority,
            }))
        }
        .await
        .gql()
    }
    async fn retraction(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Retraction>> {
        async {
            let (Some(by), Some(at)) = (self.row.retracted_by, self.row.retracted_at) else {
                return Ok(None);
            };
            Ok(Some(Retraction {
                reason: self.row.retraction_reason.clone().unwrap_or_default(),
                by_id: encode_id("Person", by),
                by: person(ctx, by).await?,
                retracted_at: at,
            }))
        }
        .await
        .gql()
    }
    async fn expired_at(&self) -> Option<DateTime<Utc>> {
        self.row.expired_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
    /// Sign-offs given on the post, oldest first; voided ones only when asked.
    async fn approvals(
        &self,
        #[graphql(default = false)] include_voided: bool,
    ) -> async_graphql::Result<Vec<Approval>> {
        async {
            Ok(self
                .batch
                .load_one(ApprovalsOfPost(self.row.id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .filter(|a| include_voided || a.voided_at.is_none())
                .map(|row| Approval {
                    row,
                    batch: self.batch.clone(),
                })
                .collect())
        }
        .await
        .gql()
    }
    /// Review steps still waiting for signatures (while in review).
    async fn open_steps(&self) -> async_graphql::Result<Vec<OpenStep>> {
        async {
            Ok(self
                .batch
                .load_one(OpenStepsOfPost(self.row.id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(|s| OpenStep {
                    policy_id: encode_id("ApprovalPolicy", s.policy_id),
                    policy_version: s.policy_version,
                    step: s.step,
                    required_signatures: s.required_signatures,
                    signatures: s.signatures,
                })
                .collect())
        }
        .await
        .gql()
    }
    /// Every event of the post with its actor, role, time and policy version.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, TimelineEntry>> {
        async {
            let page = page(ctx, first, after)?;
            let rows = read::timeline(
                &runtime(ctx)?.db,
                self.row.organization_id,
                self.row.id,
                page,
            )
            .await?;
            // The cursor's uuid carries the sequence, so the usual id cursor orders it.
            Ok(connection(
                rows,
                page,
                |r| Uuid::from_u128(u128::try_from(r.sequence).unwrap_or_default()),
                TimelineEntry,
            ))
        }
        .await
        .gql()
    }
}

/// One event in a post's life.
pub struct TimelineEntry(TimelineRow);

#[Object]
impl TimelineEntry {
    /// The event's number within the post (1, 2, …).
    async fn sequence(&self) -> i64 {
        self.0.sequence
    }
    /// The event's place in the log (an opaque token of your organization).
    async fn position(&self, ctx: &Context<'_>) -> async_graphql::Result<LogPositionScalar> {
        seal_at(ctx, self.0.global_position).gql()
    }
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    /// PERSON, SERVICE_ACCOUNT or SYSTEM.
    async fn actor_kind(&self) -> &str {
        &self.0.actor_kind
    }
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        match self.0.actor_id {
            Some(id) => person(ctx, id).await.gql(),
            None => Ok(None),
        }
    }
    /// The role assignment acted under (signatures, rejections, delegated publication).
    async fn assignment_id(&self) -> Option<ID> {
        self.0
            .assignment_id
            .map(|id| encode_id("RoleAssignment", id))
    }
    async fn function(&self) -> async_graphql::Result<Option<RoleFunction>> {
        self.0
            .function
            .as_deref()
            .map(function_of)
            .transpose()
            .gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(self.0.responsibility.as_deref()).gql()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    async fn policy_id(&self) -> Option<ID> {
        self.0.policy_id.map(|id| encode_id("ApprovalPolicy", id))
    }
    async fn policy_version(&self) -> Option<i64> {
        self.0.policy_version
    }
    /// The event's fields, as JSON text.
    async fn details(&self) -> &str {
        &self.0.details
    }
}

/// A sign-off of one step of one policy version, with the role it was given under.
pub struct Approval {
    row: ApprovalRow,
    batch: Batch,
}

#[Object]
impl Approval {
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        async {
            let org = principal(ctx)?.organization_id;
            Ok(read::post(&runtime(ctx)?.db, org, self.row.post_id)
                .await?
                .map(|row| Post::new(row, &self.batch)))
        }
        .await
        .gql()
    }
    async fn post_id(&self) -> ID {
        encode_id("Post", self.row.post_id)
    }
    async fn approver(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.row.signer_id).await.gql()
    }
    async fn approver_id(&self) -> ID {
        encode_id("Person", self.row.signer_id)
    }
    /// The role assignment that entitled the approver.
    async fn assignment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RoleAssignment>> {
        role(ctx, self.row.assignment_id).await.gql()
    }
    async fn assignment_id(&self) -> ID {
        encode_id("RoleAssignment", self.row.assignment_id)
    }
    async fn function(&self) -> async_graphql::Result<RoleFunction> {
        function_of(&self.row.function).gql()
    }
    async fn responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(self.row.responsibility.as_deref()).gql()
    }
    async fn step(&self) -> &str {
        &self.row.step
    }
    async fn policy_id(&self) -> ID {
        encode_id("ApprovalPolicy", self.row.policy_id)
    }
    async fn policy_version(&self) -> i64 {
        self.row.policy_version
    }
    async fn signed_at(&self) -> DateTime<Utc> {
        self.row.signed_at
    }
    async fn comment(&self) -> Option<&str> {
        self.row.comment.as_deref()
    }
    async fn voided(&self) -> bool {
        self.row.voided_at.is_some()
    }
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.row.voided_at
    }
    /// EDITED, WITHDRAWN, RESUBMITTED or LEGALLY_BLOCKED.
    async fn void_reason(&self) -> Option<&str> {
        self.row.void_reason.as_deref()
    }
}

/// Where a policy applies.
#[derive(SimpleObject)]
pub struct PolicyScope {
    kind: ScopeKind,
    /// The organization, team or channel id.
    id: ID,
}

/// Who may sign a step (or holds delegated authority).
#[derive(SimpleObject)]
pub struct SignerRule {
    function: RoleFunction,
    /// Only this responsibility within the function; null accepts any.
    responsibility: Option<Responsibility>,
}

/// When a step applies; empty lists mean "any".
#[derive(SimpleObject)]
pub struct StepConditions {
    flags_any: Vec<ContentFlag>,
    channel_ids: Vec<ID>,
    author_functions: Vec<RoleFunction>,
}

/// One sign-off a post needs.
#[derive(SimpleObject)]
pub struct PolicyStep {
    name: String,
    conditions: StepConditions,
    signers: Vec<SignerRule>,
    required_signatures: i32,
}

/// Holders of these roles may publish flag-free posts without approval.
#[derive(SimpleObject)]
pub struct Delegation {
    holders: Vec<SignerRule>,
}

fn rules(rules: &[content::SignerRule]) -> Vec<SignerRule> {
    rules
        .iter()
        .map(|r| SignerRule {
            function: r.function.into(),
            responsibility: r.responsibility.map(Into::into),
        })
        .collect()
}

/// One version of an approval policy, in force over `[validFrom, validTo)`.
pub struct ApprovalPolicy(PolicyRow);

impl ApprovalPolicy {
    fn definition(&self) -> ApiResult<content::PolicyDefinition> {
        serde_json::from_str(&self.0.definition).map_err(|e| ApiError::internal(&e))
    }
}

#[Object]
impl ApprovalPolicy {
    async fn id(&self) -> ID {
        encode_id("ApprovalPolicy", self.0.policy_id)
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn scope(&self) -> async_graphql::Result<PolicyScope> {
        let kind: teams::ScopeKind = self
            .0
            .scope_kind
            .parse()
            .map_err(|e| ApiError::internal(&e))
            .gql()?;
        let id = match kind {
            teams::ScopeKind::Organization => encode_id("Organization", self.0.scope_id),
            teams::ScopeKind::Team => encode_id("Team", self.0.scope_id),
            teams::ScopeKind::Channel => encode_id("Channel", self.0.scope_id),
        };
        Ok(PolicyScope {
            kind: kind.into(),
            id,
        })
    }
    async fn steps(&self) -> async_graphql::Result<Vec<PolicyStep>> {
        let definition = self.definition().gql()?;
        Ok(definition
            .steps()
            .iter()
            .map(|s| PolicyStep {
                name: s.name.to_string(),
                conditions: StepConditions {
                    flags_any: s.conditions.flags_any.iter().map(|f| (*f).into()).collect(),
                    channel_ids: s
                        .conditions
                        .channel_ids
                        .iter()
                        .map(|c| encode_id("Channel", *c))
                        .collect(),
                    author_functions: s
                        .conditions
                        .author_functions
                        .iter()
                        .map(|f| (*f).into())
                        .collect(),
                },
                signers: rules(&s.signers),
                required_signatures: i32::from(s.required_signatures),
            })
            .collect())
    }
    async fn delegation(&self) -> async_graphql::Result<Option<Delegation>> {
        let definition = self.definition().gql()?;
        Ok(definition.delegation().map(|d| Delegation {
            holders: rules(&d.holders),
        }))
    }
    async fn defined_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.defined_by).await.gql()
    }
    async fn valid_from(&self) -> DateTime<Utc> {
        self.0.valid_from
    }
    async fn valid_to(&self) -> Option<DateTime<Utc>> {
        self.0.valid_to
    }
    async fn retired(&self) -> bool {
        self.0.retired_at.is_some()
    }
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }
}

/// A word or phrase that raises a flag.
#[derive(SimpleObject)]
pub struct LexiconTerm {
    flag: ContentFlag,
    /// Normalised: lowercased, single spaces.
    term: String,
    added_in_version: i64,
    added_at: DateTime<Utc>,
}

/// The organization's flagging lexicon as it is now.
#[derive(SimpleObject)]
pub struct Lexicon {
    /// Number of changes made so far.
    version: i64,
    terms: Vec<LexiconTerm>,
}

/// A legal-role holder's verdict on a post, a piece of UGC, a campaign or a contract.
pub struct LegalReview(LegalReviewRow);

#[Object]
impl LegalReview {
    async fn id(&self) -> ID {
        encode_id("LegalReview", self.0.id)
    }
    async fn subject_kind(&self) -> async_graphql::Result<ReviewSubjectKind> {
        ReviewSubjectKind::from_stored(&self.0.subject_kind).gql()
    }
    /// The reviewed post, when the subject is a post.
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Post>> {
        async {
            if self.0.subject_kind != "POST" {
                return Ok(None);
            }
            let Some(id) = self.0.subject_id else {
                return Ok(None);
            };
            let batch = batch(ctx)?;
            Ok(read::post(&runtime(ctx)?.db, self.0.organization_id, id)
                .await?
                .map(|row| Post::new(row, &batch)))
        }
        .await
        .gql()
    }
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.map(|id| {
            if self.0.subject_kind == "POST" {
                encode_id("Post", id)
            } else {
                ID(id.to_string())
            }
        })
    }
    async fn subject_reference(&self) -> Option<&str> {
        self.0.subject_reference.as_deref()
    }
    async fn kind(&self) -> async_graphql::Result<ReviewKind> {
        ReviewKind::from_stored(&self.0.kind).gql()
    }
    async fn outcome(&self) -> async_graphql::Result<ReviewOutcome> {
        ReviewOutcome::from_stored(&self.0.outcome).gql()
    }
    async fn conditions(&self) -> Option<&str> {
        self.0.conditions.as_deref()
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn references(&self) -> async_graphql::Result<Vec<String>> {
        serde_json::from_str::<Vec<String>>(&self.0.review_references)
            .map_err(|e| ApiError::internal(&e))
            .gql()
    }
    async fn reviewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.0.reviewer_id).await.gql()
    }
    /// The legal role assignment the reviewer held.
    async fn reviewer_assignment(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RoleAssignment>> {
        role(ctx, self.0.reviewer_assignment_id).await.gql()
    }
    async fn reviewer_responsibility(&self) -> async_graphql::Result<Option<Responsibility>> {
        responsibility_of(self.0.reviewer_responsibility.as_deref()).gql()
    }
    async fn reviewed_at(&self) -> DateTime<Utc> {
        self.0.reviewed_at
    }
}

/// A post on one channel of the content calendar.
#[derive(SimpleObject)]
pub struct CalendarEntry {
    post: Post,
    channel: Option<Channel>,
    scheduled_at: Option<DateTime<Utc>>,
    status: PostStatus,
}

/// A published post that breaks a compliance rule (the list must always be empty).
#[derive(SimpleObject)]
pub struct ComplianceViolation {
    post: Post,
    reasons: Vec<ComplianceViolationKind>,
}

/// A post as it was at a past instant.
#[derive(SimpleObject)]
pub struct PostSnapshot {
    /// The post as it is now.
    post: Post,
    at: DateTime<Utc>,
    /// Its status at `at`; null when it did not exist yet.
    status: Option<PostStatus>,
    /// Its text at `at` (from the last draft or edit by then); null before it existed.
    text: Option<String>,
    /// The sign-offs standing at `at`: given by then and not voided by then.
    approvals: Vec<Approval>,
}

// ---------------------------------------------------------------------------------------
// Shared lookups
// ---------------------------------------------------------------------------------------

async fn person(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Person>> {
    Ok(loader(ctx)?.load_one(PersonById(id)).await?.map(Person))
}

async fn role(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<RoleAssignment>> {
    Ok(loader(ctx)?
        .load_one(RoleById(id))
        .await?
        .map(RoleAssignment))
}

/// The caller's person id; service accounts are refused.
fn person_id(principal: &Principal, what: &'static str) -> ApiResult<Uuid> {
    principal.person_id().ok_or(ApiError::Forbidden(what))
}

/// Loads a post of the caller's organization from its events, or NOT_FOUND.
async fn load_post(ctx: &Context<'_>, field: &str, id: &ID) -> ApiResult<content::Post> {
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
async fn require_author(
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
async fn require_policy_manager<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Principal> {
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
async fn require_publisher(
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

use chorus_api::{execute, Caller};

use crate::commands;

fn actor_id(principal: &Principal) -> Uuid {
    principal.actor.id.unwrap_or_default()
}

fn parse<T: TryFrom<String, Error = teams::ValueError>>(field: &str, value: &str) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

fn parse_opt<T: TryFrom<String, Error = teams::ValueError>>(
    field: &str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}

/// Decodes the channels of a new post: 1 to `MAX_CHANNELS` distinct channel ids (the
/// use case checks that they are the caller's organization's and live).
fn post_channels(ids: &[ID]) -> ApiResult<Vec<Uuid>> {
    if ids.is_empty() || ids.len() > content::post::MAX_CHANNELS {
        return Err(ApiError::bad_input(
            "channelIds",
            format!("must list 1 to {} channels", content::post::MAX_CHANNELS),
        ));
    }
    let mut channels: Vec<Uuid> = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let uuid = decode_id("Channel", &format!("channelIds[{index}]"), id)?;
        if channels.contains(&uuid) {
            return Err(ApiError::bad_input(
                "channelIds",
                "must not repeat a channel",
            ));
        }
        channels.push(uuid);
    }
    Ok(channels)
}

fn media(urls: &[String]) -> ApiResult<Vec<content::MediaUrl>> {
    urls.iter()
        .enumerate()
        .map(|(i, url)| parse(&format!("mediaUrls[{i}]"), url))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

/// Filters of the approval history.
#[derive(InputObject, Default)]
pub struct ApprovalFilterInput {
    approver_id: Option<ID>,
    post_id: Option<ID>,
    channel_id: Option<ID>,
    team_id: Option<ID>,
    policy_id: Option<ID>,
    policy_version: Option<i64>,
    /// Signed at or after.
    from: Option<DateTime<Utc>>,
    /// Signed before.
    to: Option<DateTime<Utc>>,
    /// Include approvals voided later (edit, withdrawal, resubmission, legal block).
    #[graphql(default = false)]
    include_voided: bool,
}

/// Filters of the legal-review history.
#[derive(InputObject, Default)]
pub struct LegalReviewFilterInput {
    reviewer_id: Option<ID>,
    /// Reviews of this post.
    post_id: Option<ID>,
    subject_kind: Option<ReviewSubjectKind>,
    kind: Option<ReviewKind>,
    outcome: Option<ReviewOutcome>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

/// Where a policy applies: the organization itself, a team or a channel.
#[derive(InputObject, Serialize)]
pub struct PolicyScopeInput {
    kind: ScopeKind,
    /// The team or channel id; omitted for the organization.
    id: Option<ID>,
}

/// Resolves a scope input against the caller's organization.
async fn scope_of(
    ctx: &Context<'_>,
    field: &str,
    scope: &PolicyScopeInput,
) -> ApiResult<content::PolicyScope> {
    let org = principal(ctx)?.organization_id;
    let id_field = format!("{field}.id");
    let id = match (scope.kind, &scope.id) {
        (ScopeKind::Organization, None) => org,
        (ScopeKind::Organization, Some(_)) => {
            return Err(ApiError::bad_input(
                id_field,
                "must be omitted for the organization scope",
            ))
        }
        (ScopeKind::Team, Some(id)) => {
            let uuid = decode_id("Team", &id_field, id)?;
            loader(ctx)?
                .load_one(TeamById(uuid))
                .await?
                .ok_or(ApiError::NotFound("team"))?
                .id
        }
        (ScopeKind::Channel, Some(id)) => {
            let uuid = decode_id("Channel", &id_field, id)?;
            loader(ctx)?
                .load_one(ChannelById(uuid))
                .await?
                .ok_or(ApiError::NotFound("channel"))?
                .id
        }
        (_, None) => {
            return Err(ApiError::bad_input(
                id_field,
                "is required for team and channel scopes",
            ))
        }
    };
    Ok(content::PolicyScope {
        kind: scope.kind.into(),
        id,
    })
}

#[derive(Default)]
pub struct ContentQuery;

#[Object]
impl ContentQuery {
    /// A post of the organization.
    async fn post(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Post>> {
        async {
            let principal = require_reader(ctx)?;
            let id = decode_id("Post", "id", &id)?;
            let batch = batch(ctx)?;
            Ok(read::post(&runtime(ctx)?.db, principal.organization_id, id)
                .await?
                .map(|row| Post::new(row, &batch)))
        }
        .await
        .gql()
    }

    /// An approval policy, at its current (or last) version.
    async fn approval_policy(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<ApprovalPolicy>> {
        async {
            let principal = require_reader(ctx)?;
            let id = decode_id("ApprovalPolicy", "id", &id)?;
            Ok(
                read::policy(&runtime(ctx)?.db, principal.organization_id, id)
                    .await?
                    .map(ApprovalPolicy),
            )
        }
        .await
        .gql()
    }

    /// Approval policies in force now, by id.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approval_policies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ApprovalPolicy>> {
        async {
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let rows =
                read::policies_now(&runtime(ctx)?.db, principal.organization_id, page).await?;
            Ok(connection(rows, page, |r| r.policy_id, ApprovalPolicy))
        }
        .await
        .gql()
    }

    /// The organization's flagging lexicon.
    async fn lexicon(&self, ctx: &Context<'_>) -> async_graphql::Result<Lexicon> {
        async {
            let principal = require_reader(ctx)?;
            lexicon_now(ctx, principal.organization_id).await
        }
        .await
        .gql()
    }

    /// A legal review.
    async fn legal_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<LegalReview>> {
        async {
            let principal = require_reader(ctx)?;
            let id = decode_id("LegalReview", "id", &id)?;
            Ok(
                read::legal_review(&runtime(ctx)?.db, principal.organization_id, id)
                    .await?
                    .map(LegalReview),
            )
        }
        .await
        .gql()
    }

    /// Posts waiting for a signature the viewer may give now: in review, not legally
    /// blocked, not the viewer's own, with an open step whose signer rules match one of
    /// the viewer's qualifying roles and that the viewer has not signed.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approval_inbox(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Post>> {
        async {
            let principal = require_reader(ctx)?;
            let viewer = person_id(principal, "the approval inbox belongs to a person")?;
            let page = page(ctx, first, after)?;
            let rows = read::approval_inbox(
                &runtime(ctx)?.db,
                principal.organization_id,
                viewer,
                chorus_kernel::now(),
                page,
            )
            .await?;
            let batch = batch(ctx)?;
            Ok(connection(
                rows,
                page,
                |r| r.id,
                |row| Post::new(row, &batch),
            ))
        }
        .await
        .gql()
    }

    /// Posts by scheduled time in `[from, to)`, one entry per channel, optionally for one
    /// team or one channel.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn content_calendar(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        team_id: Option<ID>,
        channel_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, CalendarEntry>> {
        async {
            let principal = require_reader(ctx)?;
            if to <= from {
                return Err(ApiError::bad_input("to", "must be after from"));
            }
            let page = keyset(ctx, first, after)?;
            let team = team_id
                .as_ref()
                .map(|id| decode_id("Team", "teamId", id))
                .transpose()?;
            let channel = channel_id
                .as_ref()
                .map(|id| decode_id("Channel", "channelId", id))
                .transpose()?;
            let rows = read::calendar(
                &runtime(ctx)?.db,
                principal.organization_id,
                from,
                to,
                team,
                channel,
                page,
            )
            .await?;
            let channels = loader(ctx)?
                .load_many(rows.iter().map(|r| ChannelById(r.channel_id)))
                .await?;
            let batch = batch(ctx)?;
            let mut entries = Vec::with_capacity(rows.len());
            for row in rows {
                let key = KeysetKey {
                    at: row.post.scheduled_at,
                    id: row.post.id,
                    seq: row.channel_order,
                };
                let status = PostStatus::from_stored(&row.post.status)?;
                entries.push((
                    key,
                    CalendarEntry {
                        channel: channels
                            .get(&ChannelById(row.channel_id))
                            .cloned()
                            .map(Channel),
                        scheduled_at: row.post.scheduled_at,
                        status,
                        post: Post::new(row.post, &batch),
                    },
                ));
            }
            Ok(keyset_connection(entries, page, |(k, _)| *k, |(_, e)| e))
        }
        .await
        .gql()
    }

    /// The auditor's approval history, by signing time.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn approvals(
        &self,
        ctx: &Context<'_>,
        filter: Option<ApprovalFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Approval>> {
        async {
            let principal = require_reader(ctx)?;
            let page = keyset(ctx, first, after)?;
            let f = filter.unwrap_or_default();
            let decode = |kind: &str, field: &str, id: &Option<ID>| {
                id.as_ref().map(|id| decode_id(kind, field, id)).transpose()
            };
            let filter = ApprovalFilter {
                approver_id: decode("Person", "filter.approverId", &f.approver_id)?,
                post_id: decode("Post", "filter.postId", &f.post_id)?,
                channel_id: decode("Channel", "filter.channelId", &f.channel_id)?,
                team_id: decode("Team", "filter.teamId", &f.team_id)?,
                policy_id: decode("ApprovalPolicy", "filter.policyId", &f.policy_id)?,
                policy_version: f.policy_version,
                from: f.from,
                to: f.to,
                include_voided: f.include_voided,
            };
            let rows = read::approvals(&runtime(ctx)?.db, principal.organization_id, &filter, page)
                .await?;
            let batch = batch(ctx)?;
            Ok(keyset_connection(
                rows,
                page,
                |r| KeysetKey {
                    at: Some(r.signed_at),
                    id: r.post_id,
                    seq: r.sequence,
                },
                |row| Approval {
                    row,
                    batch: batch.clone(),
                },
            ))
        }
        .await
        .gql()
    }

    /// The legal-review history, by review time.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn legal_reviews(
        &self,
        ctx: &Context<'_>,
        filter: Option<LegalReviewFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, LegalReview>> {
        async {
            let principal = require_reader(ctx)?;
            let page = keyset(ctx, first, after)?;
            let f = filter.unwrap_or_default();
            let filter = ReviewFilter {
                reviewer_id: f
                    .reviewer_id
                    .as_ref()
                    .map(|id| decode_id("Person", "filter.reviewerId", id))
                    .transpose()?,
                subject_id: f
                    .post_id
                    .as_ref()
                    .map(|id| decode_id("Post", "filter.postId", id))
                    .transpose()?,
                subject_kind: f.subject_kind.map(|k| k.stored().to_owned()),
                outcome: f.outcome.map(|o| o.stored().to_owned()),
                kind: f.kind.map(|k| k.stored().to_owned()),
                from: f.from,
                to: f.to,
            };
            let rows =
                read::legal_reviews(&runtime(ctx)?.db, principal.organization_id, &filter, page)
                    .await?;
            Ok(keyset_connection(
                rows,
                page,
                |r| KeysetKey {
                    at: Some(r.reviewed_at),
                    id: r.id,
                    seq: 0,
                },
                LegalReview,
            ))
        }
        .await
        .gql()
    }

    /// Posts published under delegated authority (without approval) in `[from, to)`.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn delegated_publications(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Post>> {
        async {
            let principal = require_reader(ctx)?;
            let page = keyset(ctx, first, after)?;
            let rows = read::delegated_publications(
                &runtime(ctx)?.db,
                principal.organization_id,
                from,
                to,
                page,
            )
            .await?;
            let batch = batch(ctx)?;
            Ok(keyset_connection(
                rows,
                page,
                |r| KeysetKey {
                    at: r.published_at,
                    id: r.id,
                    seq: 0,
                },
                |row| Post::new(row, &batch),
            ))
        }
        .await
        .gql()
    }

    /// Published posts whose approvals were voided at or after publication, or whose
    /// approver (or delegated publisher) did not hold the recorded role assignment at
    /// that instant. Chorus refuses both, so this list must always be empty: it is the
    /// auditor's proof.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn compliance_violations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ComplianceViolation>> {
        async {
            let principal = require_reader(ctx)?;
            let page = page(ctx, first, after)?;
            let rows =
                read::compliance_violations(&runtime(ctx)?.db, principal.organization_id, page)
                    .await?;
            let batch = batch(ctx)?;
            Ok(connection(
                rows,
                page,
                |r| r.post.id,
                |row| {
                    let mut reasons = Vec::new();
                    if row.voided_after_publication != 0 {
                        reasons.push(ComplianceViolationKind::ApprovalVoidedAfterPublication);
                    }
                    if row.approver_without_role != 0 {
                        reasons.push(ComplianceViolationKind::ApproverWithoutRole);
                    }
                    if row.delegate_without_role != 0 {
                        reasons.push(ComplianceViolationKind::DelegateWithoutRole);
                    }
                    ComplianceViolation {
                        post: Post::new(row.post, &batch),
                        reasons,
                    }
                },
            ))
        }
        .await
        .gql()
    }

    /// A post at a past instant: its status, text and the sign-offs standing then.
    async fn post_as_of(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<Option<PostSnapshot>> {
        async {
            let principal = require_reader(ctx)?;
            let id = decode_id("Post", "id", &id)?;
            let db = &runtime(ctx)?.db;
            let Some(row) = read::post(db, principal.organization_id, id).await? else {
                return Ok(None);
            };
            let status = read::status_at(db, principal.organization_id, id, at)
                .await?
                .map(|s| PostStatus::from_stored(&s))
                .transpose()?;
            let batch = batch(ctx)?;
            let text = read::text_at(db, principal.organization_id, id, at).await?;
            let approvals = batch
                .load_one(ApprovalsOfPost(id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .filter(|a| a.signed_at <= at && a.voided_at.is_none_or(|voided| voided > at))
                .map(|row| Approval {
                    row,
                    batch: batch.clone(),
                })
                .collect();
            Ok(Some(PostSnapshot {
                post: Post::new(row, &batch),
                at,
                status,
                text,
                approvals,
            }))
        }
        .await
        .gql()
    }

    /// The policy versions defined for exactly this scope that were in force at `at`,
    /// most recently defined first (normally one).
    async fn policy_as_of(
        &self,
        ctx: &Context<'_>,
        scope: PolicyScopeInput,
        at: DateTime<Utc>,
    ) -> async_graphql::Result<Vec<ApprovalPolicy>> {
        async {
            let principal = require_reader(ctx)?;
            let scope = scope_of(ctx, "scope", &scope).await?;
            Ok(read::policies_at(
                &runtime(ctx)?.db,
                principal.organization_id,
                scope.kind.as_str(),
                scope.id,
                at,
            )
            .await?
            .into_iter()
            .map(ApprovalPolicy)
            .collect())
        }
        .await
        .gql()
    }
}

async fn lexicon_now(ctx: &Context<'_>, org: Uuid) -> ApiResult<Lexicon> {
    let (lexicon, _, _) = runtime(ctx)?
        .store
        .load::<content::Lexicon>(&org.to_string())
        .await?;
    let rows = read::lexicon_terms(&runtime(ctx)?.db, org).await?;
    Ok(Lexicon {
        version: i64::try_from(lexicon.version()).unwrap_or(i64::MAX),
        terms: rows
            .into_iter()
            .map(|r| {
                Ok(LexiconTerm {
                    flag: ContentFlag::from_stored(&r.flag)?,
                    term: r.term,
                    added_in_version: r.added_in_version,
                    added_at: r.added_at,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?,
    })
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

macro_rules! payload {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* }) => {
        $(#[$meta])*
        #[derive(SimpleObject)]
        pub struct $name {
            $($field: $ty,)*
            /// Position of the last event this mutation appended (or, on an idempotent
            /// retry, appended the first time).
            position: LogPositionScalar,
            /// True when the idempotency key matched an earlier request and nothing new was written.
            replayed: bool,
        }
    };
}

payload!(/// Result of post mutations.
    PostPayload { post: Option<Post> });
payload!(/// Result of approval-policy mutations.
    ApprovalPolicyPayload { policy: Option<ApprovalPolicy> });
payload!(/// Result of lexicon mutations.
    LexiconPayload { lexicon: Lexicon });
payload!(/// Result of `logLegalReview`; `post` is the reviewed post, if the subject is one.
    LegalReviewPayload { legal_review: Option<LegalReview>, post: Option<Post> });

/// Who may sign a step (or hold delegated authority).
#[derive(InputObject, Serialize)]
pub struct SignerRuleInput {
    function: RoleFunction,
    responsibility: Option<Responsibility>,
}

/// When a step applies; omitted or empty lists mean "any".
#[derive(InputObject, Serialize, Default)]
pub struct StepConditionsInput {
    #[graphql(default)]
    flags_any: Vec<ContentFlag>,
    #[graphql(default)]
    channel_ids: Vec<ID>,
    #[graphql(default)]
    author_functions: Vec<RoleFunction>,
}

/// One sign-off a post needs.
#[derive(InputObject, Serialize)]
pub struct PolicyStepInput {
    /// Unique within the policy.
    name: String,
    conditions: Option<StepConditionsInput>,
    /// Who may sign; any rule suffices.
    signers: Vec<SignerRuleInput>,
    /// How many different people must sign (1 to 10).
    #[graphql(default = 1)]
    required_signatures: i32,
}

/// Holders may publish flag-free posts without approval.
#[derive(InputObject, Serialize)]
pub struct DelegationInput {
    holders: Vec<SignerRuleInput>,
}

#[derive(InputObject, Serialize)]
pub struct DefineApprovalPolicyInput {
    scope: PolicyScopeInput,
    steps: Vec<PolicyStepInput>,
    delegation: Option<DelegationInput>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ReviseApprovalPolicyInput {
    policy_id: ID,
    steps: Vec<PolicyStepInput>,
    delegation: Option<DelegationInput>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetireApprovalPolicyInput {
    policy_id: ID,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct LexiconTermInput {
    flag: ContentFlag,
    term: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct DraftPostInput {
    /// 1 to 10 channels of the organization.
    channel_ids: Vec<ID>,
    text: String,
    #[graphql(default)]
    media_urls: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    /// Flags the author sets; the lexicon adds others.
    #[graphql(default)]
    flags: Vec<ContentFlag>,
    idempotency_key: Option<String>,
}

/// Replaces the post's content; voids collected approvals.
#[derive(InputObject, Serialize)]
pub struct EditPostInput {
    post_id: ID,
    text: String,
    #[graphql(default)]
    media_urls: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    #[graphql(default)]
    flags: Vec<ContentFlag>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct PostActionInput {
    post_id: ID,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct ApprovePostInput {
    post_id: ID,
    /// The step to sign; default: the first open step you may sign.
    step: Option<String>,
    comment: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RejectPostInput {
    post_id: ID,
    /// Why; required.
    comment: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct SchedulePostInput {
    post_id: ID,
    scheduled_at: DateTime<Utc>,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct MarkPublishedInput {
    post_id: ID,
    /// The id the network gave the post.
    network_post_id: String,
    /// The post's public address.
    url: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct RetractPostInput {
    post_id: ID,
    reason: String,
    idempotency_key: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct LogLegalReviewInput {
    subject_kind: ReviewSubjectKind,
    /// The post's id (required for POST); for other subjects, any id you keep.
    subject_id: Option<ID>,
    /// A reference outside Chorus (UGC link, campaign or contract number).
    subject_reference: Option<String>,
    kind: ReviewKind,
    outcome: ReviewOutcome,
    conditions: Option<String>,
    notes: Option<String>,
    #[graphql(default)]
    references: Vec<String>,
    idempotency_key: Option<String>,
}

fn signer_rules(inputs: &[SignerRuleInput]) -> Vec<content::SignerRule> {
    inputs
        .iter()
        .map(|r| content::SignerRule {
            function: r.function.into(),
            responsibility: r.responsibility.map(Into::into),
        })
        .collect()
}

/// Builds and validates a policy definition from the input (fields named as in it).
async fn definition_of(
    ctx: &Context<'_>,
    steps: &[PolicyStepInput],
    delegation: &Option<DelegationInput>,
) -> ApiResult<content::PolicyDefinition> {
    let mut built = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let name: content::StepName = parse(&format!("steps[{i}].name"), &step.name)?;
        let required = u8::try_from(step.required_signatures).map_err(|_| {
            ApiError::bad_input(format!("steps[{i}].requiredSignatures"), "must be 1 to 10")
        })?;
        let conditions = match &step.conditions {
            Some(c) => {
                let mut channel_ids = Vec::with_capacity(c.channel_ids.len());
                for (j, id) in c.channel_ids.iter().enumerate() {
                    let field = format!("steps[{i}].conditions.channelIds[{j}]");
                    let uuid = decode_id("Channel", &field, id)?;
                    loader(ctx)?
                        .load_one(ChannelById(uuid))
                        .await?
                        .ok_or(ApiError::NotFound("channel"))?;
                    channel_ids.push(uuid);
                }
                content::StepConditions {
                    flags_any: c.flags_any.iter().map(|f| (*f).into()).collect(),
                    channel_ids,
                    author_functions: c.author_functions.iter().map(|f| (*f).into()).collect(),
                }
            }
            None => content::StepConditions::default(),
        };
        built.push(content::PolicyStep {
            name,
            conditions,
            signers: signer_rules(&step.signers),
            required_signatures: required,
        });
    }
    let delegation = delegation.as_ref().map(|d| content::Delegation {
        holders: signer_rules(&d.holders),
    });
    Ok(content::PolicyDefinition::new(built, delegation)?)
}

#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// Defines an approval policy (version 1) for the organization, a team or a channel.
    /// Legal-role holders and organization admins only.
    async fn define_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: DefineApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "defineApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let scope = scope_of(ctx, "scope", &input.scope).await?;
            let definition = definition_of(ctx, &input.steps, &input.delegation).await?;
            let policy_id = Uuid::now_v7();
            let command = content::ApprovalPolicyCommand::DefinePolicy {
                policy_id,
                organization_id: principal.organization_id,
                scope,
                definition,
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Replaces a policy's content with a new version. Legal-role holders and admins only.
    async fn revise_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: ReviseApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "reviseApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let policy_id = existing_policy(ctx, &input.policy_id).await?;
            let definition = definition_of(ctx, &input.steps, &input.delegation).await?;
            let command = content::ApprovalPolicyCommand::RevisePolicy {
                definition,
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Stops applying a policy. Legal-role holders and admins only.
    async fn retire_approval_policy(
        &self,
        ctx: &Context<'_>,
        input: RetireApprovalPolicyInput,
    ) -> async_graphql::Result<ApprovalPolicyPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "retireApprovalPolicy",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return policy_payload(ctx, &outcome).await;
            }
            let policy_id = existing_policy(ctx, &input.policy_id).await?;
            let command = content::ApprovalPolicyCommand::RetirePolicy {
                by: actor_id(principal),
            };
            let outcome = execute::<content::ApprovalPolicy>(ctx, policy_id, command, key).await?;
            policy_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Makes a term raise a flag. Legal-role holders and admins only.
    async fn add_lexicon_term(
        &self,
        ctx: &Context<'_>,
        input: LexiconTermInput,
    ) -> async_graphql::Result<LexiconPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "addLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return lexicon_payload(ctx, &outcome).await;
            }
            let command = content::LexiconCommand::AddLexiconTerm {
                organization_id: principal.organization_id,
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
                by: actor_id(principal),
            };
            let outcome =
                execute::<content::Lexicon>(ctx, principal.organization_id, command, key).await?;
            lexicon_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Stops a term from raising a flag. Legal-role holders and admins only.
    async fn remove_lexicon_term(
        &self,
        ctx: &Context<'_>,
        input: LexiconTermInput,
    ) -> async_graphql::Result<LexiconPayload> {
        async {
            let principal = require_policy_manager(ctx).await?;
            let key = idempotency(
                principal,
                "removeLexiconTerm",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return lexicon_payload(ctx, &outcome).await;
            }
            let command = content::LexiconCommand::RemoveLexiconTerm {
                flag: input.flag.into(),
                term: parse("term", &input.term)?,
                by: actor_id(principal),
            };
            let outcome =
                execute::<content::Lexicon>(ctx, principal.organization_id, command, key).await?;
            lexicon_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Drafts a post for one or more channels; the lexicon adds flags. Authors only.
    async fn draft_post(
        &self,
        ctx: &Context<'_>,
        input: DraftPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "draftPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::DraftPost {
                channel_ids: post_channels(&input.channel_ids)?,
                text: parse("text", &input.text)?,
                media: media(&input.media_urls)?,
                campaign: parse_opt("campaign", &input.campaign)?,
                scheduled_at: input.scheduled_at,
                author_flags: input.flags.iter().map(|f| (*f).into()).collect(),
            };
            let outcome = commands::draft_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Replaces a post's content; any approval is voided. The author only.
    async fn edit_post(
        &self,
        ctx: &Context<'_>,
        input: EditPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let principal = require_reader(ctx)?;
            let key = idempotency(
                principal,
                "editPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return post_payload(ctx, &outcome).await;
            }
            let post = load_post(ctx, "postId", &input.post_id).await?;
            let (editor_id, _) = require_author(ctx, post.channel_ids()).await?;
            let text: content::PostText = parse("text", &input.text)?;
            let lexicon_matches = service::scan_lexicon(
                &runtime(ctx)?.store,
                principal.organization_id,
                text.as_str(),
            )
            .await?;
            let command = content::PostCommand::EditPost {
                text,
                media: media(&input.media_urls)?,
                campaign: parse_opt("campaign", &input.campaign)?,
                scheduled_at: input.scheduled_at,
                author_flags: input.flags.iter().map(|f| (*f).into()).collect(),
                lexicon_matches,
                editor_id,
                now: chorus_kernel::now(),
            };
            let id = post.post_id().unwrap_or_default();
            let outcome = execute::<content::Post>(ctx, id, command, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Submits a post for approval under the policies in force now. The author only.
    async fn submit_post(
        &self,
        ctx: &Context<'_>,
        input: PostActionInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "submitPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::SubmitPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
            };
            let outcome = commands::submit_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Takes a post out of review, back to draft. The author only.
    async fn withdraw_post(
        &self,
        ctx: &Context<'_>,
        input: PostActionInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let principal = require_reader(ctx)?;
            let key = idempotency(
                principal,
                "withdrawPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return post_payload(ctx, &outcome).await;
            }
            let post = load_post(ctx, "postId", &input.post_id).await?;
            let (by, _) = require_author(ctx, post.channel_ids()).await?;
            let command = content::PostCommand::WithdrawPost {
                by,
                now: chorus_kernel::now(),
            };
            let id = post.post_id().unwrap_or_default();
            let outcome = execute::<content::Post>(ctx, id, command, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Signs a step of a post in review, as the policy step allows.
    async fn approve_post(
        &self,
        ctx: &Context<'_>,
        input: ApprovePostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "approvePost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::ApprovePost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                step: parse_opt("step", &input.step)?,
                comment: parse_opt("comment", &input.comment)?,
            };
            let outcome = commands::approve_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Refuses a post in review, with a comment, as the policy step allows.
    async fn reject_post(
        &self,
        ctx: &Context<'_>,
        input: RejectPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "rejectPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let comment: content::Comment = parse("comment", &input.comment)?;
            if comment.is_empty() {
                return Err(ApiError::bad_input("comment", "must not be empty"));
            }
            let parsed = commands::RejectPost {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                comment,
            };
            let outcome = commands::reject_post(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Sets or moves a post's publication time. The author only.
    async fn schedule_post(
        &self,
        ctx: &Context<'_>,
        input: SchedulePostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let principal = require_reader(ctx)?;
            let key = idempotency(
                principal,
                "schedulePost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            if let Some(outcome) = replayed(ctx, &key).await? {
                return post_payload(ctx, &outcome).await;
            }
            let post = load_post(ctx, "postId", &input.post_id).await?;
            let (by, _) = require_author(ctx, post.channel_ids()).await?;
            let command = content::PostCommand::SchedulePost {
                scheduled_at: input.scheduled_at,
                by,
                now: chorus_kernel::now(),
            };
            let id = post.post_id().unwrap_or_default();
            let outcome = execute::<content::Post>(ctx, id, command, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Records that a post went out (approved, or flag-free under delegated authority).
    /// Social media role holders, or integrators with `content:publish`.
    async fn mark_published(
        &self,
        ctx: &Context<'_>,
        input: MarkPublishedInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let caller = Caller::of(ctx)?;
            let key = idempotency(
                caller.principal,
                "markPublished",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let parsed = commands::MarkPublished {
                post_id: decode_id("Post", "postId", &input.post_id)?,
                network_post_id: parse("networkPostId", &input.network_post_id)?,
                url: parse("url", &input.url)?,
            };
            let outcome = commands::mark_published(caller, parsed, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Takes a published post down, with a reason. Publishers, legal-role holders and
    /// organization admins.
    async fn retract_post(
        &self,
        ctx: &Context<'_>,
        input: RetractPostInput,
    ) -> async_graphql::Result<PostPayload> {
        async {
            let principal = principal(ctx)?;
            let key = idempotency(
                principal,
                "retractPost",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            let post = load_post(ctx, "postId", &input.post_id).await?;
            let by = match require_publisher(ctx, post.channel_ids()).await {
                Ok((by, _)) => by,
                Err(ApiError::Forbidden(_)) => {
                    require_policy_manager(ctx).await.map_err(|_| {
                        ApiError::Forbidden(
                            "only publishers, legal-role holders and admins may retract posts",
                        )
                    })?;
                    actor_id(principal)
                }
                Err(other) => return Err(other),
            };
            if let Some(outcome) = replayed(ctx, &key).await? {
                return post_payload(ctx, &outcome).await;
            }
            let reason: content::Comment = parse("reason", &input.reason)?;
            if reason.is_empty() {
                return Err(ApiError::bad_input("reason", "must not be empty"));
            }
            let command = content::PostCommand::RetractPost {
                reason,
                by,
                now: chorus_kernel::now(),
            };
            let id = post.post_id().unwrap_or_default();
            let outcome = execute::<content::Post>(ctx, id, command, key).await?;
            post_payload(ctx, &outcome).await
        }
        .await
        .gql()
    }

    /// Logs a legal review; a review of a post then applies to it (a block stops its
    /// approval and publication until a later review clears it). Legal-role holders only.
    async fn log_legal_review(
        &self,
        ctx: &Context<'_>,
        input: LogLegalReviewInput,
    ) -> async_graphql::Result<LegalReviewPayload> {
        async {
            let principal = require_reader(ctx)?;
            let reviewer_id = person_id(principal, "only people may log legal reviews")?;
            let now = chorus_kernel::now();
            let reviewer_role = service::legal_role(
                &runtime(ctx)?.db,
                principal.organization_id,
                reviewer_id,
                now,
            )
            .await?
            .ok_or(ApiError::Forbidden(
                "only holders of a legal role may log legal reviews",
            ))?;
            let key = idempotency(
                principal,
                "logLegalReview",
                input.idempotency_key.as_ref(),
                &input,
            )?;
            // The review is applied to its post under a key derived from the request's,
            // so a retry finishes the second step if the first attempt stopped before it.
            let apply_key = key.as_ref().map(|k| IdempotencyKey {
                key: format!("{}#applyLegalReview", k.key),
                request: k.request.clone(),
            });
            if let Some(outcome) = replayed(ctx, &key).await? {
                let review_id = outcome_uuid(&outcome)?;
                let row =
                    read::legal_review(&runtime(ctx)?.db, principal.organization_id, review_id)
                        .await?
                        .ok_or(ApiError::NotFound("legal review"))?;
                let mut last = outcome.clone();
                if let (Some(post_id), true) = (row.subject_id, row.subject_kind == "POST") {
                    let applied = content::PostCommand::ApplyLegalReview {
                        review_id,
                        outcome: row.outcome.parse().map_err(|e| ApiError::internal(&e))?,
                        now,
                    };
                    let second = execute::<content::Post>(ctx, post_id, applied, apply_key).await?;
                    last.position = second.position;
                }
                return review_payload(ctx, review_id, &last, outcome.replayed).await;
            }
            let subject_kind = content::ReviewSubjectKind::from(input.subject_kind);
            let subject_id = match (&input.subject_id, subject_kind) {
                (Some(id), content::ReviewSubjectKind::Post) => {
                    let post = load_post(ctx, "subjectId", id).await?;
                    post.post_id()
                }
                (None, content::ReviewSubjectKind::Post) => {
                    return Err(ApiError::bad_input("subjectId", "is required for a post"))
                }
                (Some(id), _) => Some(decode_any_id("subjectId", id)?.1),
                (None, _) => None,
            };
            let review_id = Uuid::now_v7();
            let outcome_value = content::ReviewOutcome::from(input.outcome);
            let command = content::LegalReviewCommand::LogLegalReview {
                review_id,
                organization_id: principal.organization_id,
                subject_kind,
                subject_id,
                subject_reference: input.subject_reference.clone(),
                kind: input.kind.into(),
                outcome: outcome_value,
                conditions: input
                    .conditions
                    .as_deref()
                    .map(|c| content::ReviewText::parse_field("conditions", c))
                    .transpose()?,
                notes: input
                    .notes
                    .as_deref()
                    .map(|n| content::ReviewText::parse_field("notes", n))
                    .transpose()?,
                references: input.references.clone(),
                reviewer_id,
                reviewer_role,
                now,
            };
            let outcome = execute::<content::LegalReview>(ctx, review_id, command, key).await?;
            let mut last = outcome.clone();
            if let (Some(post_id), content::ReviewSubjectKind::Post) = (subject_id, subject_kind) {
                let applied = content::PostCommand::ApplyLegalReview {
                    review_id,
                    outcome: outcome_value,
                    now,
                };
                let second = execute::<content::Post>(ctx, post_id, applied, apply_key).await?;
                last.position = second.position;
            }
            review_payload(ctx, review_id, &last, outcome.replayed).await
        }
        .await
        .gql()
    }
}

/// A policy of the caller's organization, or NOT_FOUND.
async fn existing_policy(ctx: &Context<'_>, id: &ID) -> ApiResult<Uuid> {
    let id = decode_id("ApprovalPolicy", "policyId", id)?;
    let org = principal(ctx)?.organization_id;
    let (policy, _, owner) = runtime(ctx)?
        .store
        .load::<content::ApprovalPolicy>(&id.to_string())
        .await?;
    if owner != Some(org) || !policy.exists() {
        return Err(ApiError::NotFound("approval policy"));
    }
    Ok(id)
}

async fn post_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<PostPayload> {
    let id = outcome_uuid(outcome)?;
    let org = principal(ctx)?.organization_id;
    let batch = batch(ctx)?;
    Ok(PostPayload {
        post: read::post(&runtime(ctx)?.db, org, id)
            .await?
            .map(|row| Post::new(row, &batch)),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn policy_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<ApprovalPolicyPayload> {
    let id = outcome_uuid(outcome)?;
    let org = principal(ctx)?.organization_id;
    Ok(ApprovalPolicyPayload {
        policy: read::policy(&runtime(ctx)?.db, org, id)
            .await?
            .map(ApprovalPolicy),
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn lexicon_payload(
    ctx: &Context<'_>,
    outcome: &chorus_kernel::CommandOutcome,
) -> ApiResult<LexiconPayload> {
    let org = principal(ctx)?.organization_id;
    Ok(LexiconPayload {
        lexicon: lexicon_now(ctx, org).await?,
        position: seal(ctx, outcome.position)?,
        replayed: outcome.replayed,
    })
}

async fn review_payload(
    ctx: &Context<'_>,
    review_id: Uuid,
    last: &chorus_kernel::CommandOutcome,
    replayed: bool,
) -> ApiResult<LegalReviewPayload> {
    let org = principal(ctx)?.organization_id;
    let db = &runtime(ctx)?.db;
    let review = read::legal_review(db, org, review_id).await?;
    let batch = batch(ctx)?;
    let post = match review
        .as_ref()
        .filter(|r| r.subject_kind == "POST")
        .and_then(|r| r.subject_id)
    {
        Some(id) => read::post(db, org, id)
            .await?
            .map(|row| Post::new(row, &batch)),
        None => None,
    };
    Ok(LegalReviewPayload {
        legal_review: review.map(LegalReview),
        post,
        position: seal(ctx, last.position)?,
        replayed,
    })
}
