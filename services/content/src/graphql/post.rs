//! A post (`Post`), the small objects it is made of, and a post as it was at a past
//! instant (`PostSnapshot`).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, SimpleObject, ID};
use chorus_api::error::{ApiError, Gql};
use chorus_api::{connection, encode_id, page, page_complexity, runtime};
use chorus_content_domain as content;
use chorus_teams::api::{loader, ChannelById};
use chorus_teams::graphql::{Channel, Person, Responsibility, RoleAssignment, RoleFunction};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::approval::Approval;
use super::enums::{ContentFlag, FlagSource, PostStatus};
use super::legal_review::LegalReview;
use super::shared::{function_of, person, responsibility_of, role, Batch};
use super::timeline::TimelineEntry;
use crate::read::{self, ApprovalsOfPost, ChannelsOfPost, OpenStepsOfPost, PostRow};

/// A post drafted for one or more channels.
pub struct Post {
    row: PostRow,
    batch: Batch,
}

impl Post {
    pub(super) fn new(row: PostRow, batch: &Batch) -> Self {
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
    pub async fn id(&self) -> ID {
        encode_id("Post", self.row.id)
    }
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        person(ctx, self.row.author_id).await.gql()
    }
    async fn status(&self) -> async_graphql::Result<PostStatus> {
        PostStatus::from_stored("posts", "status", &self.row.status).gql()
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
                    function: function_of("posts", "delegated_function", function)?,
                    responsibility: responsibility_of(
                        "posts",
                        "delegated_responsibility",
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

/// A post as it was at a past instant.
#[derive(SimpleObject)]
pub struct PostSnapshot {
    /// The post as it is now.
    pub(super) post: Post,
    pub(super) at: DateTime<Utc>,
    /// Its status at `at`; null when it did not exist yet.
    pub(super) status: Option<PostStatus>,
    /// Its text at `at` (from the last draft or edit by then); null before it existed.
    pub(super) text: Option<String>,
    /// The sign-offs standing at `at`: given by then and not voided by then.
    pub(super) approvals: Vec<Approval>,
}
