use chorus_teams_domain::values::ValueError;
use uuid::Uuid;

use crate::values::PostStatus;

/// Why the [`Post`](super::Post) aggregate refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// Draft was sent to a post that already exists.
    #[error("The post already exists.")]
    AlreadyExists,
    /// The post has not been drafted.
    #[error("The post was not found.")]
    NotFound,
    /// Only the post's author may do this.
    #[error("Only the author of the post may do this.")]
    NotAuthor,
    /// The post's status does not allow this.
    #[error("This is not allowed while the post is {status}.")]
    InvalidStatus {
        /// The post's current status.
        status: PostStatus,
    },
    /// Nobody approves or rejects their own post.
    #[error("The author of a post cannot approve or reject it.")]
    FourEyes,
    /// The signer holds no role the step accepts.
    #[error("You hold no role entitled to sign the step \"{step}\".")]
    NotEntitled {
        /// The step.
        step: String,
    },
    /// The signer already signed the step.
    #[error("You have already signed the step \"{step}\".")]
    AlreadySigned {
        /// The step.
        step: String,
    },
    /// The step already has all its signatures.
    #[error("The step \"{step}\" already has all its signatures.")]
    StepComplete {
        /// The step.
        step: String,
    },
    /// The named step does not apply to the post.
    #[error("The step \"{step}\" does not apply to this post.")]
    UnknownStep {
        /// The step named in the command.
        step: String,
    },
    /// The publication time has passed; approving now would be too late.
    #[error("The post cannot be approved at or after its scheduled time.")]
    ApprovalAfterSchedule,
    /// The requested publication time is not in the future.
    #[error("The publication time must be in the future.")]
    ScheduleInPast,
    /// A legal review blocked the post.
    #[error("A legal review blocks this post.")]
    LegalBlock {
        /// The blocking review.
        review_id: Uuid,
    },
    /// The post has not been approved and no delegated authority applies.
    #[error("The post has not been approved.")]
    NotApproved,
    /// The post expired.
    #[error("The post has expired.")]
    PostExpired,
    /// The post has no publication time in the past, or is past review.
    #[error("The post cannot expire now.")]
    NotExpirable,
    /// A field of the command broke its rule.
    #[error(transparent)]
    Invalid(#[from] ValueError),
}

impl PostError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::NotFound => "NOT_FOUND",
            Self::NotAuthor => "NOT_AUTHOR",
            Self::InvalidStatus { .. } => "INVALID_STATUS",
            Self::FourEyes => "FOUR_EYES",
            Self::NotEntitled { .. } => "NOT_ENTITLED",
            Self::AlreadySigned { .. } => "ALREADY_SIGNED",
            Self::StepComplete { .. } => "STEP_COMPLETE",
            Self::UnknownStep { .. } => "UNKNOWN_STEP",
            Self::ApprovalAfterSchedule => "APPROVAL_AFTER_SCHEDULE",
            Self::ScheduleInPast => "SCHEDULE_IN_PAST",
            Self::LegalBlock { .. } => "LEGAL_BLOCK",
            Self::NotApproved => "NOT_APPROVED",
            Self::PostExpired => "POST_EXPIRED",
            Self::NotExpirable => "NOT_EXPIRABLE",
            Self::Invalid(error) => error.code(),
        }
    }
}
