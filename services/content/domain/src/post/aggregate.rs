//! The post's state, how events change it, and the dispatch of each command to the rules
//! of its phase: [`drafting`] (draft, edit), [`review`] (submit, withdraw, sign off,
//! reject, legal reviews) and [`publication`] (schedule, publish, retract, expire).

mod drafting;
mod publication;
mod review;

use chorus_shared::refuse_if;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AppliedPolicy, DelegatedAuthority, PostCommand, PostError, PostEvent, Signature};
use crate::policy::evaluate::{self, StepStatus};
use crate::policy::PolicySnapshot;
use crate::values::{ContentFlag, HeldRole, PostFlag, PostStatus};
use drafting::Written;

/// Most channels one post may target.
pub const MAX_CHANNELS: usize = 10;
/// Most media items one post may carry.
pub const MAX_MEDIA: usize = 10;

/// How and when a post went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Who published.
    pub publisher_id: Uuid,
    /// Id the network gave the post.
    pub network_post_id: String,
    /// Public address.
    pub url: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Set when published without approval under delegated authority.
    pub delegated_authority: Option<DelegatedAuthority>,
}

/// Why, by whom and when a published post was taken down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    /// Why.
    pub reason: String,
    /// Who.
    pub by: Uuid,
    /// When.
    pub at: DateTime<Utc>,
}

/// State of one post, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Post {
    post_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    author_id: Option<Uuid>,
    author_roles: Vec<HeldRole>,
    channel_ids: Vec<Uuid>,
    text: String,
    media: Vec<String>,
    campaign: Option<String>,
    scheduled_at: Option<DateTime<Utc>>,
    flags: Vec<PostFlag>,
    status: PostStatus,
    policies: Vec<PolicySnapshot>,
    signatures: Vec<Signature>,
    approved_under: Vec<AppliedPolicy>,
    legal_block: Option<Uuid>,
    publication: Option<Publication>,
    retraction: Option<Retraction>,
}

impl Post {
    /// Id of the post, `None` until drafted.
    pub fn post_id(&self) -> Option<Uuid> {
        self.post_id
    }

    /// Organization the post belongs to, `None` until drafted.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Author, `None` until drafted.
    pub fn author_id(&self) -> Option<Uuid> {
        self.author_id
    }

    /// Roles the author held when drafting.
    pub fn author_roles(&self) -> &[HeldRole] {
        &self.author_roles
    }

    /// Channels the post targets.
    pub fn channel_ids(&self) -> &[Uuid] {
        &self.channel_ids
    }

    /// Current text (empty until drafted).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Attached media URLs.
    pub fn media(&self) -> &[String] {
        &self.media
    }

    /// Campaign, if any.
    pub fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }

    /// Planned publication time, if any.
    pub fn scheduled_at(&self) -> Option<DateTime<Utc>> {
        self.scheduled_at
    }

    /// Flags with their sources.
    pub fn flags(&self) -> &[PostFlag] {
        &self.flags
    }

    /// The flags alone, in order.
    pub fn flag_values(&self) -> Vec<ContentFlag> {
        self.flags.iter().map(|flag| flag.flag).collect()
    }

    /// Status, `None` until drafted.
    pub fn status(&self) -> Option<PostStatus> {
        self.exists().then_some(self.status)
    }

    /// Policy versions recorded at the current submission (empty for a
    /// draft).
    pub fn policies(&self) -> &[PolicySnapshot] {
        &self.policies
    }

    /// Sign-offs collected in the current review round.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// Policy versions of the current approval (empty unless approved).
    pub fn approved_under(&self) -> &[AppliedPolicy] {
        &self.approved_under
    }

    /// The legal review currently blocking the post, if any.
    pub fn legal_block(&self) -> Option<Uuid> {
        self.legal_block
    }

    /// Publication details once published.
    pub fn publication(&self) -> Option<&Publication> {
        self.publication.as_ref()
    }

    /// Retraction details once retracted.
    pub fn retraction(&self) -> Option<&Retraction> {
        self.retraction.as_ref()
    }

    /// Whether the post has been drafted.
    pub fn exists(&self) -> bool {
        self.post_id.is_some()
    }

    /// Progress of every applicable step of the recorded policies.
    pub fn review_status(&self) -> Vec<StepStatus<'_>> {
        evaluate::review_status(
            &self.policies,
            &self.flag_values(),
            &self.channel_ids,
            &self.author_roles,
            &self.signatures,
        )
    }

    /// Returns the author, failing when the post does not exist.
    fn ensure_exists(&self) -> Result<Uuid, PostError> {
        self.author_id.ok_or(PostError::NotFound)
    }

    /// Fails unless `actor` wrote the post.
    fn ensure_author(&self, actor: Uuid) -> Result<(), PostError> {
        refuse_if(self.ensure_exists()? != actor, PostError::NotAuthor)?;
        Ok(())
    }

    /// Fails unless the post is in one of `allowed`.
    fn ensure_status(&self, allowed: &[PostStatus]) -> Result<(), PostError> {
        if !allowed.contains(&self.status) {
            return Err(PostError::InvalidStatus {
                status: self.status,
            });
        }
        Ok(())
    }

    fn ensure_not_blocked(&self) -> Result<(), PostError> {
        match self.legal_block {
            Some(review_id) => Err(PostError::LegalBlock { review_id }),
            None => Ok(()),
        }
    }
}

// `decide` runs every check and returns every event before any is written, so a refused
// command records nothing.
chorus_shared::aggregate!(Post, "post", PostCommand, PostEvent, PostError);

impl Post {
    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: PostEvent) {
        match event {
            PostEvent::PostDrafted {
                post_id,
                organization_id,
                author_id,
                author_roles,
                channel_ids,
                text,
                media,
                campaign,
                scheduled_at,
                flags,
                ..
            } => {
                self.post_id = Some(post_id);
                self.organization_id = Some(organization_id);
                self.author_id = Some(author_id);
                self.author_roles = author_roles;
                self.channel_ids = channel_ids;
                self.text = text;
                self.media = media;
                self.campaign = campaign;
                self.scheduled_at = scheduled_at;
                self.flags = flags;
                self.status = PostStatus::Draft;
            }
            PostEvent::PostEdited {
                text,
                media,
                campaign,
                scheduled_at,
                flags,
                ..
            } => {
                self.text = text;
                self.media = media;
                self.campaign = campaign;
                self.scheduled_at = scheduled_at;
                self.flags = flags;
                self.status = PostStatus::Draft;
                self.policies.clear();
            }
            PostEvent::ApprovalsVoided { .. } => {
                self.signatures.clear();
                self.approved_under.clear();
                if matches!(self.status, PostStatus::Approved | PostStatus::Scheduled) {
                    self.status = PostStatus::InReview;
                }
            }
            PostEvent::PostSubmitted { policies, .. } => {
                self.policies = policies;
                self.status = PostStatus::InReview;
            }
            PostEvent::PostWithdrawn { .. } => {
                self.status = PostStatus::Draft;
                self.policies.clear();
            }
            PostEvent::PostSigned {
                step,
                policy_id,
                policy_version,
                signer_id,
                assignment_id,
                function,
                responsibility,
                comment,
                at,
            } => {
                self.signatures.push(Signature {
                    step,
                    policy_id,
                    policy_version,
                    signer_id,
                    assignment_id,
                    function,
                    responsibility,
                    at,
                    comment,
                });
            }
            PostEvent::PostApproved { policies, .. } => {
                self.approved_under = policies;
                self.status = if self.scheduled_at.is_some() {
                    PostStatus::Scheduled
                } else {
                    PostStatus::Approved
                };
            }
            PostEvent::PostRejected { .. } => {
                self.status = PostStatus::Rejected;
            }
            PostEvent::PostScheduled { scheduled_at, .. } => {
                self.scheduled_at = Some(scheduled_at);
                if self.status == PostStatus::Approved {
                    self.status = PostStatus::Scheduled;
                }
            }
            PostEvent::PostPublished {
                publisher_id,
                network_post_id,
                url,
                delegated_authority,
                at,
            } => {
                self.status = PostStatus::Published;
                self.publication = Some(Publication {
                    publisher_id,
                    network_post_id,
                    url,
                    at,
                    delegated_authority,
                });
            }
            PostEvent::PostRetracted { reason, by, at } => {
                self.status = PostStatus::Retracted;
                self.retraction = Some(Retraction { reason, by, at });
            }
            PostEvent::PostExpired { .. } => {
                self.status = PostStatus::Expired;
            }
            PostEvent::PostLegallyBlocked { review_id, .. } => {
                self.legal_block = Some(review_id);
            }
            PostEvent::PostLegallyCleared { .. } => {
                self.legal_block = None;
            }
        }
    }
}

/// Outcome of checking a command: the events to record, in order.
enum Decision {
    /// Record these events.
    Events(Vec<PostEvent>),
    /// Record these events, then approve if every step is complete.
    EventsThenApproval(Vec<PostEvent>, DateTime<Utc>),
}

impl Post {
    /// Checks a command against the state and returns the events to record.
    fn decide(&self, command: PostCommand) -> Result<Vec<PostEvent>, PostError> {
        match self.decide_first(command)? {
            Decision::Events(events) => Ok(events),
            Decision::EventsThenApproval(events, at) => {
                // Decide the approval on a scratch copy with the earlier
                // events applied; the sink applies them for real.
                let mut after = self.clone();
                for event in &events {
                    after.evolve(event.clone());
                }
                let mut events = events;
                events.extend(after.approval_if_complete(at));
                Ok(events)
            }
        }
    }

    /// Hands each command to the rules of its phase.
    fn decide_first(&self, command: PostCommand) -> Result<Decision, PostError> {
        match command {
            PostCommand::DraftPost {
                post_id,
                organization_id,
                author_id,
                author_roles,
                channel_ids,
                text,
                media,
                campaign,
                scheduled_at,
                author_flags,
                lexicon_matches,
                now,
            } => {
                let written = Written {
                    text,
                    media,
                    campaign,
                    scheduled_at,
                    author_flags,
                    lexicon_matches,
                };
                self.draft(
                    post_id,
                    organization_id,
                    author_id,
                    author_roles,
                    channel_ids,
                    written,
                    now,
                )
            }
            PostCommand::EditPost {
                text,
                media,
                campaign,
                scheduled_at,
                author_flags,
                lexicon_matches,
                editor_id,
                now,
            } => {
                let written = Written {
                    text,
                    media,
                    campaign,
                    scheduled_at,
                    author_flags,
                    lexicon_matches,
                };
                self.edit(editor_id, written, now)
            }
            PostCommand::SubmitPost { policies, by, now } => self.submit(policies, by, now),
            PostCommand::WithdrawPost { by, now } => self.withdraw(by, now),
            PostCommand::ApprovePost {
                signer_id,
                signer_roles,
                step,
                comment,
                now,
            } => self.approve(signer_id, &signer_roles, step, comment, now),
            PostCommand::RejectPost {
                signer_id,
                signer_roles,
                comment,
                now,
            } => self.reject(signer_id, &signer_roles, comment, now),
            PostCommand::SchedulePost {
                scheduled_at,
                by,
                now,
            } => self.schedule(scheduled_at, by, now),
            PostCommand::MarkPublished {
                publisher_id,
                publisher_roles,
                network_post_id,
                url,
                delegation_policies,
                now,
            } => self.mark_published(
                publisher_id,
                &publisher_roles,
                network_post_id,
                url,
                &delegation_policies,
                now,
            ),
            PostCommand::RetractPost { reason, by, now } => self.retract(reason, by, now),
            PostCommand::ExpirePost { now } => self.expire(now),
            PostCommand::ApplyLegalReview {
                review_id,
                outcome,
                now,
            } => self.apply_legal_review(review_id, outcome, now),
        }
    }
}
