//! The enums of the content slice: most mirror the domain's, with the stored
//! (SCREAMING_SNAKE_CASE) form the read models keep.

use async_graphql::Enum;
use chorus_api::error::{ApiError, ApiResult};
use chorus_content_domain as content;
use serde::Serialize;

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
            pub(super) fn from_stored(value: &str) -> ApiResult<Self> {
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
