//! Chorus content domain: posts, approval policies and approvals, the
//! flagging lexicon and legal reviews.
//!
//! Pure domain: no I/O, no clock reads, no id generation, no lookups. The
//! application layer supplies inside commands everything the rules need
//! from elsewhere: the current time, new ids, the roles an actor holds at
//! that instant, the policy versions that apply and the lexicon's matches.
//! Policy evaluation is a set of pure functions in [`policy::evaluate`].

pub mod legal;
pub mod lexicon;
pub mod policy;
pub mod post;
pub mod values;

#[cfg(test)]
mod test_support;

pub use legal::{LegalReview, LegalReviewCommand, LegalReviewError, LegalReviewEvent};
pub use lexicon::{Lexicon, LexiconCommand, LexiconError, LexiconEvent, LexiconMatch};
pub use policy::{
    ApprovalPolicy, ApprovalPolicyCommand, ApprovalPolicyError, ApprovalPolicyEvent, Delegation,
    PolicyDefinition, PolicyScope, PolicySnapshot, PolicyStep, SignerRule, StepConditions,
};
pub use post::{
    AppliedPolicy, DelegatedAuthority, Post, PostCommand, PostError, PostEvent, Publication,
    Retraction, Signature, VoidReason,
};
pub use values::{
    CampaignName, Comment, ContentFlag, FlagSource, HeldRole, LexiconTerm, MediaUrl, NetworkPostId,
    PostFlag, PostStatus, PostText, PublishedUrl, ReviewKind, ReviewOutcome, ReviewSubjectKind,
    ReviewText, StepName,
};

/// Each aggregate error's stable code, as the API's mutation runner reads it; the errors
/// with an `Invalid(ValueError)` variant report it as the field and the rule.
macro_rules! domain_code {
    ($($t:ident),*) => {$(
        impl chorus_shared::DomainCode for $t {
            fn domain_code(&self) -> &'static str {
                self.code()
            }
        }
    )*};
    (with_invalid: $($t:ident),*) => {$(
        impl chorus_shared::DomainCode for $t {
            fn domain_code(&self) -> &'static str {
                self.code()
            }

            fn invalid_input(&self) -> Option<(&'static str, String)> {
                match self {
                    $t::Invalid(e) => Some((e.field, e.rule.clone())),
                    _ => None,
                }
            }
        }
    )*};
}
domain_code!(LexiconError);
domain_code!(with_invalid: PostError, ApprovalPolicyError, LegalReviewError);

#[cfg(test)]
mod error_codes_tests;
#[cfg(test)]
mod stored_names_tests;
