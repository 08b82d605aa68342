//! A post's status and its content flags, with where each flag came from.

use chorus_shared::code_enum;
use serde::{Deserialize, Serialize};

/// A property of a post's content that decides which review it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContentFlag {
    /// Mentions prices, discounts or offers.
    MentionsPricing,
    /// Contains content created by someone outside the organization.
    ContainsUserGeneratedContent,
    /// Announces or runs a contest, sweepstake or promotion.
    ContestOrPromotion,
    /// Makes a claim regulated by advertising, health or financial rules.
    RegulatedClaim,
    /// Relates to an ongoing crisis.
    CrisisRelated,
}

code_enum!(ContentFlag, "flag", {
    MentionsPricing => "MENTIONS_PRICING",
    ContainsUserGeneratedContent => "CONTAINS_USER_GENERATED_CONTENT",
    ContestOrPromotion => "CONTEST_OR_PROMOTION",
    RegulatedClaim => "REGULATED_CLAIM",
    CrisisRelated => "CRISIS_RELATED",
});

/// Where a post is in its life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PostStatus {
    /// Being written; not yet submitted (or edited/withdrawn since).
    #[default]
    Draft,
    /// Submitted and collecting sign-offs.
    InReview,
    /// Every required sign-off was given; no publication time set.
    Approved,
    /// A reviewer rejected it; may be edited and resubmitted.
    Rejected,
    /// Approved and waiting for its publication time.
    Scheduled,
    /// Live on its channels.
    Published,
    /// Taken down after publication.
    Retracted,
    /// Its publication time passed before it was approved.
    Expired,
}

code_enum!(PostStatus, "status", {
    Draft => "DRAFT",
    InReview => "IN_REVIEW",
    Approved => "APPROVED",
    Rejected => "REJECTED",
    Scheduled => "SCHEDULED",
    Published => "PUBLISHED",
    Retracted => "RETRACTED",
    Expired => "EXPIRED",
});

/// Why a post carries a flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlagSource {
    /// The author set it.
    Author,
    /// The organization's lexicon matched a term in the text.
    Lexicon {
        /// Version of the lexicon that matched.
        lexicon_version: u64,
        /// The matched term.
        term: String,
    },
}

/// A content flag on a post together with its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostFlag {
    /// The flag.
    pub flag: ContentFlag,
    /// Who or what set it.
    pub source: FlagSource,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_teams_domain::testing::{assert_code_enum, field_of};

    #[test]
    fn enum_names_match_serde_and_parse_back() {
        assert_code_enum(ContentFlag::ALL, ContentFlag::as_str, 5, "flag");
        assert_code_enum(PostStatus::ALL, PostStatus::as_str, 8, "status");
        assert_eq!(PostStatus::default(), PostStatus::Draft);
        assert_eq!(field_of("pricing".parse::<ContentFlag>()), "flag");
    }

    #[test]
    fn flag_source_json_shape() {
        let author = serde_json::to_value(FlagSource::Author).expect("serialize");
        assert_eq!(author, serde_json::json!({ "kind": "AUTHOR" }));
        let lexicon = FlagSource::Lexicon {
            lexicon_version: 3,
            term: "free".to_string(),
        };
        let json = serde_json::to_value(&lexicon).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({ "kind": "LEXICON", "lexicon_version": 3, "term": "free" })
        );
        let back: FlagSource = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, lexicon);
    }
}
