//! The enums of the content slice: most mirror the domain's, with the stored
//! (SCREAMING_SNAKE_CASE) form the read models keep.

use async_graphql::Enum;
use chorus_content_domain as content;

/// The stored (SCREAMING_SNAKE_CASE) form of mirrored enums, for filters on enum columns.
macro_rules! stored_form {
    ($($name:ident => $domain:ty),* $(,)?) => {
        $(impl $name {
            /// The stored (SCREAMING_SNAKE_CASE) form.
            pub fn stored(self) -> &'static str {
                <$domain>::from(self).as_str()
            }
        })*
    };
}

chorus_api::mirror_enum!(
    /// A property of a post's content that decides which review it needs.
    ContentFlag => content::ContentFlag { MentionsPricing, ContainsUserGeneratedContent, ContestOrPromotion, RegulatedClaim, CrisisRelated }
);
chorus_api::mirror_enum!(
    /// Where a post is in its life.
    PostStatus => content::PostStatus { Draft, InReview, Approved, Rejected, Scheduled, Published, Retracted, Expired }
);
chorus_api::mirror_enum!(
    /// What a legal review is about.
    ReviewSubjectKind => content::ReviewSubjectKind { Post, UserGeneratedContent, Campaign, Contract }
);
chorus_api::mirror_enum!(
    /// Which legal question a review answers.
    ReviewKind => content::ReviewKind { UgcRights, Privacy, IntellectualProperty, AdvertisingClaim, Contract }
);
chorus_api::mirror_enum!(
    /// The verdict of a legal review.
    ReviewOutcome => content::ReviewOutcome { Cleared, ClearedWithConditions, Blocked }
);

stored_form!(
    ReviewSubjectKind => content::ReviewSubjectKind,
    ReviewKind => content::ReviewKind,
    ReviewOutcome => content::ReviewOutcome,
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
