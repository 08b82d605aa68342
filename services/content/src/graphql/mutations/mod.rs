//! The content slice's mutation root (`ContentMutation`), merged from one part per
//! aggregate, each in its own file with its inputs and payload:
//! - [`policy`] (`defineApprovalPolicy`, `reviseApprovalPolicy`, `retireApprovalPolicy`);
//! - [`lexicon`] (`addLexiconTerm`, `removeLexiconTerm`);
//! - [`post`] (`draftPost`, `editPost`, `submitPost`, `withdrawPost`, `approvePost`,
//!   `rejectPost`, `schedulePost`, `markPublished`, `retractPost`);
//! - [`legal_review`] (`logLegalReview`).
//!
//! The parts are merged in that order, which is the order of the fields in the schema.

use async_graphql::MergedObject;

mod legal_review;
mod lexicon;
mod policy;
mod post;

pub use legal_review::{LegalReviewMutation, LegalReviewPayload, LogLegalReviewInput};
pub use lexicon::{LexiconMutation, LexiconPayload, LexiconTermInput};
pub use policy::{
    ApprovalPolicyPayload, DefineApprovalPolicyInput, DelegationInput, PolicyMutation,
    PolicyStepInput, RetireApprovalPolicyInput, ReviseApprovalPolicyInput, SignerRuleInput,
    StepConditionsInput,
};
pub use post::{
    ApprovePostInput, DraftPostInput, EditPostInput, MarkPublishedInput, PostActionInput,
    PostMutation, PostPayload, RejectPostInput, RetractPostInput, SchedulePostInput,
};

#[derive(MergedObject, Default)]
pub struct ContentMutation(
    PolicyMutation,
    LexiconMutation,
    PostMutation,
    LegalReviewMutation,
);
