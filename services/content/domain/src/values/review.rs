//! What a legal review is about, which question it answers and its verdict.

use chorus_shared::code_enum;
use serde::{Deserialize, Serialize};

/// What a legal review is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewSubjectKind {
    /// A post in Chorus (the subject id is the post id).
    Post,
    /// A piece of user-generated content.
    UserGeneratedContent,
    /// A campaign.
    Campaign,
    /// A contract (with an agency, influencer, partner).
    Contract,
}

code_enum!(ReviewSubjectKind, "subjectKind", {
    Post => "POST",
    UserGeneratedContent => "USER_GENERATED_CONTENT",
    Campaign => "CAMPAIGN",
    Contract => "CONTRACT",
});

/// Which legal question a review answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewKind {
    /// Rights to reuse user-generated content.
    UgcRights,
    /// Privacy and data protection.
    Privacy,
    /// Intellectual property (trademarks, copyright).
    IntellectualProperty,
    /// Advertising and regulated claims.
    AdvertisingClaim,
    /// Contract terms.
    Contract,
}

code_enum!(ReviewKind, "kind", {
    UgcRights => "UGC_RIGHTS",
    Privacy => "PRIVACY",
    IntellectualProperty => "INTELLECTUAL_PROPERTY",
    AdvertisingClaim => "ADVERTISING_CLAIM",
    Contract => "CONTRACT",
});

/// The verdict of a legal review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewOutcome {
    /// No legal objection.
    Cleared,
    /// No objection provided the stated conditions are met.
    ClearedWithConditions,
    /// Must not go out; stops approval and publication of a post.
    Blocked,
}

code_enum!(ReviewOutcome, "outcome", {
    Cleared => "CLEARED",
    ClearedWithConditions => "CLEARED_WITH_CONDITIONS",
    Blocked => "BLOCKED",
});

impl ReviewOutcome {
    /// Whether the outcome lets the subject go ahead.
    pub fn is_clearing(&self) -> bool {
        !matches!(self, Self::Blocked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_teams_domain::testing::assert_code_enum;

    #[test]
    fn enum_names_match_serde_and_parse_back() {
        let subjects = ReviewSubjectKind::ALL;
        assert_code_enum(subjects, ReviewSubjectKind::as_str, 4, "subjectKind");
        assert_code_enum(ReviewKind::ALL, ReviewKind::as_str, 5, "kind");
        assert_code_enum(ReviewOutcome::ALL, ReviewOutcome::as_str, 3, "outcome");
        let err = "cleared"
            .parse::<ReviewOutcome>()
            .expect_err("case matters");
        assert_eq!(
            err.rule,
            "must be one of CLEARED, CLEARED_WITH_CONDITIONS, BLOCKED"
        );
    }

    #[test]
    fn review_outcome_clearing() {
        assert!(ReviewOutcome::Cleared.is_clearing());
        assert!(ReviewOutcome::ClearedWithConditions.is_clearing());
        assert!(!ReviewOutcome::Blocked.is_clearing());
    }
}
