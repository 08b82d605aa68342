use chorus_teams_domain::values::{Responsibility, RoleFunction};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::policy::PolicySnapshot;
use crate::values::{HeldRole, PostFlag};

/// One sign-off collected on a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Name of the step signed.
    pub step: String,
    /// Policy the step belongs to.
    pub policy_id: Uuid,
    /// Version of that policy recorded at submission.
    pub policy_version: u64,
    /// Who signed.
    pub signer_id: Uuid,
    /// The role assignment that entitled them.
    pub assignment_id: Uuid,
    /// Function of that role.
    pub function: RoleFunction,
    /// Responsibility of that role, if any.
    pub responsibility: Option<Responsibility>,
    /// When.
    pub at: DateTime<Utc>,
    /// Their remark, if any.
    pub comment: Option<String>,
}

/// A policy version a post was approved under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AppliedPolicy {
    /// The policy.
    pub policy_id: Uuid,
    /// Its version.
    pub version: u64,
}

/// The delegated authority a post was published under, without approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegatedAuthority {
    /// Policy granting the authority.
    pub policy_id: Uuid,
    /// Its version.
    pub policy_version: u64,
    /// The publisher's role assignment that matched the delegation.
    pub assignment_id: Uuid,
    /// Function of that role.
    pub function: RoleFunction,
    /// Responsibility of that role, if any.
    pub responsibility: Option<Responsibility>,
}

/// Why collected sign-offs stopped counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoidReason {
    /// The content changed after they were given.
    Edited,
    /// The author withdrew the post from review.
    Withdrawn,
    /// The post was resubmitted after a rejection; a new round starts.
    Resubmitted,
    /// A legal review blocked an approved post.
    LegallyBlocked,
}

/// Facts recorded by the [`Post`](super::Post) aggregate.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
pub enum PostEvent {
    /// A post was drafted.
    PostDrafted {
        /// Id of the post.
        post_id: Uuid,
        /// Organization it belongs to.
        organization_id: Uuid,
        /// Who wrote it.
        author_id: Uuid,
        /// Roles the author held when drafting.
        author_roles: Vec<HeldRole>,
        /// Channels to publish on.
        channel_ids: Vec<Uuid>,
        /// The text.
        text: String,
        /// Attached media URLs.
        media: Vec<String>,
        /// Campaign, if any.
        campaign: Option<String>,
        /// Planned publication time, if any.
        scheduled_at: Option<DateTime<Utc>>,
        /// Flags, author's first, one per flag.
        flags: Vec<PostFlag>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The author replaced the post's content; it is a draft again.
    PostEdited {
        /// Who edited.
        editor_id: Uuid,
        /// The new text.
        text: String,
        /// The new media URLs.
        media: Vec<String>,
        /// The new campaign.
        campaign: Option<String>,
        /// The new publication time.
        scheduled_at: Option<DateTime<Utc>>,
        /// The new flags.
        flags: Vec<PostFlag>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Collected sign-offs (and any approval) stopped counting.
    ApprovalsVoided {
        /// The signatures that no longer count.
        voided: Vec<Signature>,
        /// Why.
        reason: VoidReason,
        /// When.
        at: DateTime<Utc>,
    },
    /// The post was submitted for approval under these policy versions.
    PostSubmitted {
        /// Policy versions the post is evaluated against.
        policies: Vec<PolicySnapshot>,
        /// Who submitted.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The author took the post out of review.
    PostWithdrawn {
        /// Who withdrew.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// Someone signed a step.
    PostSigned {
        /// Name of the step.
        step: String,
        /// Policy of the step.
        policy_id: Uuid,
        /// Version recorded at submission.
        policy_version: u64,
        /// Who signed.
        signer_id: Uuid,
        /// Role assignment that entitled them.
        assignment_id: Uuid,
        /// Function of that role.
        function: RoleFunction,
        /// Responsibility of that role, if any.
        responsibility: Option<Responsibility>,
        /// Their remark, if any.
        comment: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Every applicable step is complete.
    PostApproved {
        /// Policy versions the post was evaluated against.
        policies: Vec<AppliedPolicy>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Someone entitled to a pending step refused the post.
    PostRejected {
        /// Name of the step the rejecter was entitled to.
        step: String,
        /// Policy of the step.
        policy_id: Uuid,
        /// Version recorded at submission.
        policy_version: u64,
        /// Who rejected.
        signer_id: Uuid,
        /// Role assignment that entitled them.
        assignment_id: Uuid,
        /// Function of that role.
        function: RoleFunction,
        /// Responsibility of that role, if any.
        responsibility: Option<Responsibility>,
        /// Why.
        comment: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The publication time was set.
    PostScheduled {
        /// When the post should go out.
        scheduled_at: DateTime<Utc>,
        /// Who set it.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The post went out.
    PostPublished {
        /// Who published.
        publisher_id: Uuid,
        /// Id the network gave it.
        network_post_id: String,
        /// Public address.
        url: String,
        /// Set when published without approval under delegated authority.
        delegated_authority: Option<DelegatedAuthority>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The published post was taken down.
    PostRetracted {
        /// Why.
        reason: String,
        /// Who retracted.
        by: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// The publication time passed before approval.
    PostExpired {
        /// When.
        at: DateTime<Utc>,
    },
    /// A legal review blocked the post: no approval or publication until a
    /// later review clears it.
    PostLegallyBlocked {
        /// The blocking review.
        review_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A legal review cleared the post.
    PostLegallyCleared {
        /// The clearing review.
        review_id: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
}

chorus_shared::domain_event!(PostEvent);
