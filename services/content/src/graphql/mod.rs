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

mod approval;
mod calendar;
mod compliance;
mod enums;
mod legal_review;
mod lexicon;
mod mutations;
mod node;
mod policy;
mod post;
mod query;
mod shared;
mod timeline;

pub use approval::Approval;
pub use calendar::CalendarEntry;
pub use compliance::ComplianceViolation;
pub use enums::{
    ComplianceViolationKind, ContentFlag, FlagSource, PostStatus, ReviewKind, ReviewOutcome,
    ReviewSubjectKind,
};
pub use legal_review::LegalReview;
pub use lexicon::{Lexicon, LexiconTerm};
pub use mutations::{
    ApprovalPolicyPayload, ApprovePostInput, ContentMutation, DefineApprovalPolicyInput,
    DelegationInput, DraftPostInput, EditPostInput, LegalReviewPayload, LexiconPayload,
    LexiconTermInput, LogLegalReviewInput, MarkPublishedInput, PolicyStepInput, PostActionInput,
    PostPayload, RejectPostInput, RetireApprovalPolicyInput, RetractPostInput,
    ReviseApprovalPolicyInput, SchedulePostInput, SignerRuleInput, StepConditionsInput,
};
pub use node::{find_node, ContentNode};
pub use policy::{
    ApprovalPolicy, Delegation, PolicyScope, PolicyScopeInput, PolicyStep, SignerRule,
    StepConditions,
};
pub use post::{
    DelegatedAuthority, OpenStep, Post, PostFlag, PostSnapshot, Publication, Retraction,
};
pub use query::{ApprovalFilterInput, ContentQuery, LegalReviewFilterInput};
pub use timeline::TimelineEntry;
