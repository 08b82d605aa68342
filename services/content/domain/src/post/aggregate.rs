use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    AppliedPolicy, DelegatedAuthority, PostCommand, PostError, PostEvent, Signature, VoidReason,
};
use crate::lexicon::LexiconMatch;
use crate::policy::evaluate::{self, StepStatus};
use crate::policy::PolicySnapshot;
use crate::values::{
    ContentFlag, FlagSource, HeldRole, MediaUrl, PostFlag, PostStatus, ValueError,
};

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
        if self.ensure_exists()? != actor {
            return Err(PostError::NotAuthor);
        }
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

    /// The event voiding the collected signatures, when there is anything
    /// (a signature or an approval) to void.
    fn voiding(&self, reason: VoidReason, at: DateTime<Utc>) -> Option<PostEvent> {
        let approved = matches!(self.status, PostStatus::Approved | PostStatus::Scheduled);
        (approved || !self.signatures.is_empty()).then(|| PostEvent::ApprovalsVoided {
            voided: self.signatures.clone(),
            reason,
            at,
        })
    }

    /// `PostApproved` when the post is in review, unblocked and every
    /// applicable step is complete.
    fn approval_if_complete(&self, at: DateTime<Utc>) -> Option<PostEvent> {
        let complete = self.status == PostStatus::InReview
            && self.legal_block.is_none()
            && evaluate::is_fully_approved(&self.review_status());
        complete.then(|| PostEvent::PostApproved {
            policies: self
                .policies
                .iter()
                .map(|policy| AppliedPolicy {
                    policy_id: policy.policy_id,
                    version: policy.version,
                })
                .collect(),
            at,
        })
    }

    /// Picks the step `signer_id` signs among `candidates` (steps with a
    /// given name, or every applicable step), applying the refusal order
    /// "not entitled", "already signed", "step complete".
    fn choose_step<'a>(
        &self,
        candidates: &[StepStatus<'a>],
        signer_id: Uuid,
        signer_roles: &'a [HeldRole],
    ) -> Result<(StepStatus<'a>, &'a HeldRole), PostError> {
        let entitled: Vec<(StepStatus<'a>, &'a HeldRole)> = candidates
            .iter()
            .filter_map(|status| {
                evaluate::entitled_role(status.step, signer_roles).map(|role| (*status, role))
            })
            .collect();
        if entitled.is_empty() {
            let step = candidates
                .iter()
                .find(|status| !status.is_complete())
                .or(candidates.first())
                .map(|status| status.step.name.to_string())
                .unwrap_or_default();
            return Err(PostError::NotEntitled { step });
        }
        if let Some(choice) = entitled.iter().find(|(status, _)| {
            !status.is_complete() && !status.signed_by(signer_id, &self.signatures)
        }) {
            return Ok(*choice);
        }
        if let Some((status, _)) = entitled
            .iter()
            .find(|(status, _)| status.signed_by(signer_id, &self.signatures))
        {
            return Err(PostError::AlreadySigned {
                step: status.step.name.to_string(),
            });
        }
        let step = entitled
            .first()
            .map(|(status, _)| status.step.name.to_string())
            .unwrap_or_default();
        Err(PostError::StepComplete { step })
    }
}

/// Author flags first (deduplicated, in order), then the first lexicon
/// match of every flag the author did not set.
fn merge_flags(author_flags: &[ContentFlag], lexicon_matches: &[LexiconMatch]) -> Vec<PostFlag> {
    let mut flags: Vec<PostFlag> = Vec::new();
    for flag in author_flags {
        if !flags.iter().any(|existing| existing.flag == *flag) {
            flags.push(PostFlag {
                flag: *flag,
                source: FlagSource::Author,
            });
        }
    }
    for found in lexicon_matches {
        if !flags.iter().any(|existing| existing.flag == found.flag) {
            flags.push(PostFlag {
                flag: found.flag,
                source: FlagSource::Lexicon {
                    lexicon_version: found.lexicon_version,
                    term: found.term.clone(),
                },
            });
        }
    }
    flags
}

fn check_media(media: &[MediaUrl]) -> Result<Vec<String>, PostError> {
    if media.len() > MAX_MEDIA {
        return Err(
            ValueError::new("mediaUrls", format!("must list at most {MAX_MEDIA} items")).into(),
        );
    }
    Ok(media.iter().map(|url| url.as_str().to_owned()).collect())
}

fn check_schedule(
    scheduled_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    if scheduled_at.is_some_and(|at| at <= now) {
        return Err(PostError::ScheduleInPast);
    }
    Ok(())
}

impl Aggregate for Post {
    const TYPE: &'static str = "post";
    type Command = PostCommand;
    type Event = PostEvent;
    type Error = PostError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _service: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // `decide` runs every check and returns every event before any is
        // written, so a refused command records nothing.
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
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
                    after.apply(event.clone());
                }
                let mut events = events;
                events.extend(after.approval_if_complete(at));
                Ok(events)
            }
        }
    }

    fn decide_first(&self, command: PostCommand) -> Result<Decision, PostError> {
        use Decision::{Events, EventsThenApproval};
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
                if self.exists() {
                    return Err(PostError::AlreadyExists);
                }
                if channel_ids.is_empty() || channel_ids.len() > MAX_CHANNELS {
                    return Err(ValueError::new(
                        "channelIds",
                        format!("must list 1 to {MAX_CHANNELS} channels"),
                    )
                    .into());
                }
                if channel_ids
                    .iter()
                    .enumerate()
                    .any(|(index, id)| channel_ids[..index].contains(id))
                {
                    return Err(ValueError::new("channelIds", "must not repeat a channel").into());
                }
                let media = check_media(&media)?;
                check_schedule(scheduled_at, now)?;
                Ok(Events(vec![PostEvent::PostDrafted {
                    post_id,
                    organization_id,
                    author_id,
                    author_roles,
                    channel_ids,
                    text: text.into_inner(),
                    media,
                    campaign: campaign.map(String::from),
                    scheduled_at,
                    flags: merge_flags(&author_flags, &lexicon_matches),
                    at: now,
                }]))
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
                self.ensure_author(editor_id)?;
                self.ensure_status(&[
                    PostStatus::Draft,
                    PostStatus::InReview,
                    PostStatus::Approved,
                    PostStatus::Scheduled,
                    PostStatus::Rejected,
                ])?;
                let media = check_media(&media)?;
                check_schedule(scheduled_at, now)?;
                let mut events: Vec<PostEvent> =
                    self.voiding(VoidReason::Edited, now).into_iter().collect();
                events.push(PostEvent::PostEdited {
                    editor_id,
                    text: text.into_inner(),
                    media,
                    campaign: campaign.map(String::from),
                    scheduled_at,
                    flags: merge_flags(&author_flags, &lexicon_matches),
                    at: now,
                });
                Ok(Events(events))
            }

            PostCommand::SubmitPost { policies, by, now } => {
                self.ensure_author(by)?;
                self.ensure_status(&[PostStatus::Draft, PostStatus::Rejected])?;
                if policies.iter().enumerate().any(|(index, policy)| {
                    policies[..index]
                        .iter()
                        .any(|other| other.policy_id == policy.policy_id)
                }) {
                    return Err(ValueError::new("policies", "must not repeat a policy").into());
                }
                check_schedule(self.scheduled_at, now)?;
                let mut events: Vec<PostEvent> = self
                    .voiding(VoidReason::Resubmitted, now)
                    .into_iter()
                    .collect();
                events.push(PostEvent::PostSubmitted {
                    policies,
                    by,
                    at: now,
                });
                Ok(EventsThenApproval(events, now))
            }

            PostCommand::WithdrawPost { by, now } => {
                self.ensure_author(by)?;
                self.ensure_status(&[PostStatus::InReview])?;
                let mut events: Vec<PostEvent> = self
                    .voiding(VoidReason::Withdrawn, now)
                    .into_iter()
                    .collect();
                events.push(PostEvent::PostWithdrawn { by, at: now });
                Ok(Events(events))
            }

            PostCommand::ApprovePost {
                signer_id,
                signer_roles,
                step,
                comment,
                now,
            } => {
                let author_id = self.ensure_exists()?;
                self.ensure_status(&[PostStatus::InReview])?;
                self.ensure_not_blocked()?;
                if self.scheduled_at.is_some_and(|at| now >= at) {
                    return Err(PostError::ApprovalAfterSchedule);
                }
                if signer_id == author_id {
                    return Err(PostError::FourEyes);
                }
                let statuses = self.review_status();
                let candidates: Vec<StepStatus<'_>> = match &step {
                    Some(name) => {
                        let named: Vec<StepStatus<'_>> = statuses
                            .iter()
                            .filter(|status| status.step.name == *name)
                            .copied()
                            .collect();
                        if named.is_empty() {
                            return Err(PostError::UnknownStep {
                                step: name.to_string(),
                            });
                        }
                        named
                    }
                    None => statuses,
                };
                let (chosen, role) = self.choose_step(&candidates, signer_id, &signer_roles)?;
                let event = PostEvent::PostSigned {
                    step: chosen.step.name.to_string(),
                    policy_id: chosen.policy.policy_id,
                    policy_version: chosen.policy.version,
                    signer_id,
                    assignment_id: role.assignment_id,
                    function: role.function,
                    responsibility: role.responsibility,
                    comment: comment
                        .filter(|comment| !comment.is_empty())
                        .map(String::from),
                    at: now,
                };
                Ok(EventsThenApproval(vec![event], now))
            }

            PostCommand::RejectPost {
                signer_id,
                signer_roles,
                comment,
                now,
            } => {
                let author_id = self.ensure_exists()?;
                self.ensure_status(&[PostStatus::InReview])?;
                if comment.is_empty() {
                    return Err(ValueError::new("comment", "must not be empty").into());
                }
                if signer_id == author_id {
                    return Err(PostError::FourEyes);
                }
                let statuses = self.review_status();
                let pending: Vec<StepStatus<'_>> = statuses
                    .iter()
                    .filter(|status| !status.is_complete())
                    .copied()
                    .collect();
                let candidates = if pending.is_empty() {
                    &statuses
                } else {
                    &pending
                };
                let Some((status, role)) = candidates.iter().find_map(|status| {
                    evaluate::entitled_role(status.step, &signer_roles).map(|role| (status, role))
                }) else {
                    return Err(PostError::NotEntitled {
                        step: candidates
                            .first()
                            .map(|status| status.step.name.to_string())
                            .unwrap_or_default(),
                    });
                };
                Ok(Events(vec![PostEvent::PostRejected {
                    step: status.step.name.to_string(),
                    policy_id: status.policy.policy_id,
                    policy_version: status.policy.version,
                    signer_id,
                    assignment_id: role.assignment_id,
                    function: role.function,
                    responsibility: role.responsibility,
                    comment: comment.into_inner(),
                    at: now,
                }]))
            }

            PostCommand::SchedulePost {
                scheduled_at,
                by,
                now,
            } => {
                self.ensure_author(by)?;
                self.ensure_status(&[
                    PostStatus::Draft,
                    PostStatus::InReview,
                    PostStatus::Approved,
                    PostStatus::Scheduled,
                ])?;
                check_schedule(Some(scheduled_at), now)?;
                Ok(Events(vec![PostEvent::PostScheduled {
                    scheduled_at,
                    by,
                    at: now,
                }]))
            }

            PostCommand::MarkPublished {
                publisher_id,
                publisher_roles,
                network_post_id,
                url,
                delegation_policies,
                now,
            } => {
                self.ensure_exists()?;
                if self.status == PostStatus::Expired {
                    return Err(PostError::PostExpired);
                }
                if matches!(self.status, PostStatus::Published | PostStatus::Retracted) {
                    return Err(PostError::InvalidStatus {
                        status: self.status,
                    });
                }
                self.ensure_not_blocked()?;
                let delegated_authority = match self.status {
                    PostStatus::Approved | PostStatus::Scheduled => None,
                    PostStatus::Draft | PostStatus::InReview if self.flags.is_empty() => {
                        let authority = self
                            .policies
                            .iter()
                            .chain(delegation_policies.iter())
                            .find_map(|policy| {
                                evaluate::delegation_role(policy, &publisher_roles).map(|role| {
                                    DelegatedAuthority {
                                        policy_id: policy.policy_id,
                                        policy_version: policy.version,
                                        assignment_id: role.assignment_id,
                                        function: role.function,
                                        responsibility: role.responsibility,
                                    }
                                })
                            })
                            .ok_or(PostError::NotApproved)?;
                        Some(authority)
                    }
                    _ => return Err(PostError::NotApproved),
                };
                Ok(Events(vec![PostEvent::PostPublished {
                    publisher_id,
                    network_post_id: network_post_id.into_inner(),
                    url: url.into_inner(),
                    delegated_authority,
                    at: now,
                }]))
            }

            PostCommand::RetractPost { reason, by, now } => {
                self.ensure_exists()?;
                self.ensure_status(&[PostStatus::Published])?;
                if reason.is_empty() {
                    return Err(ValueError::new("reason", "must not be empty").into());
                }
                Ok(Events(vec![PostEvent::PostRetracted {
                    reason: reason.into_inner(),
                    by,
                    at: now,
                }]))
            }

            PostCommand::ExpirePost { now } => {
                self.ensure_exists()?;
                let due = self.scheduled_at.is_some_and(|at| at <= now);
                let open = matches!(
                    self.status,
                    PostStatus::Draft | PostStatus::InReview | PostStatus::Rejected
                );
                if !(due && open) {
                    return Err(PostError::NotExpirable);
                }
                Ok(Events(vec![PostEvent::PostExpired { at: now }]))
            }

            PostCommand::ApplyLegalReview {
                review_id,
                outcome,
                now,
            } => {
                self.ensure_exists()?;
                if outcome.is_clearing() {
                    return Ok(EventsThenApproval(
                        vec![PostEvent::PostLegallyCleared { review_id, at: now }],
                        now,
                    ));
                }
                let mut events = Vec::new();
                if matches!(self.status, PostStatus::Approved | PostStatus::Scheduled) {
                    events.extend(self.voiding(VoidReason::LegallyBlocked, now));
                }
                events.push(PostEvent::PostLegallyBlocked { review_id, at: now });
                Ok(Events(events))
            }
        }
    }
}
