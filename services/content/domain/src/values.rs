//! Value types of the content context.
//!
//! As in `chorus-teams`, every newtype is the only place its rules are
//! checked ("parse, don't validate"): once a command holds a `PostText`, the
//! aggregate can trust it. Rule violations are reported as the shared
//! [`ValueError`] naming the API field and the rule.

use chorus_teams_domain::text;
use chorus_teams_domain::{code_enum, string_newtype};

use chorus_teams_domain::values::{Responsibility, RoleFunction, RoleScope, ValueError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Builds a [`ValueError`]; the constructor in `chorus-teams` is private but
/// its fields are public.
pub(crate) fn value_error(field: &'static str, rule: impl Into<String>) -> ValueError {
    ValueError {
        field,
        rule: rule.into(),
    }
}

/// Checks an absolute `http`/`https` URL of at most `max` characters without
/// whitespace or control characters. Deliberately a light check, not RFC 3986.
fn web_url(field: &'static str, raw: &str, max: usize) -> Result<String, ValueError> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(value_error(field, format!("must be 1 to {max} characters")));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(value_error(
            field,
            "must not contain whitespace or control characters",
        ));
    }
    if value.chars().any(text::is_invisible) {
        return Err(value_error(field, text::NO_INVISIBLE));
    }
    let lower = value.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value["https://".len()..]
    } else if lower.starts_with("http://") {
        &value["http://".len()..]
    } else {
        return Err(value_error(
            field,
            "must be an absolute http:// or https:// URL",
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(value_error(field, "must name a host"));
    }
    Ok(value.to_owned())
}

/// Body of a post: trimmed, 1 to 10,000 characters. Line breaks and other
/// formatting characters are allowed because posts are pasted from editors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostText(String);

impl PostText {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::free_text("text", raw, 1, 10_000)
    }
}
string_newtype!(PostText);

/// Address of a media item attached to a post: an absolute `http`/`https`
/// URL of at most 2,000 characters without whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MediaUrl(String);

impl MediaUrl {
    fn parse(raw: &str) -> Result<String, ValueError> {
        web_url("mediaUrls", raw, 2000)
    }
}
string_newtype!(MediaUrl);

/// Name of the campaign a post belongs to: trimmed, 1 to 200 characters,
/// no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CampaignName(String);

impl CampaignName {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("campaign", raw, 1, 200, true)
    }
}
string_newtype!(CampaignName);

/// Free-text remark of an approver, rejecter or retractor: trimmed, 0 to
/// 2,000 characters. Commands that require one check [`Comment::is_empty`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Comment(String);

impl Comment {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::free_text("comment", raw, 0, 2000)
    }

    /// Whether the comment is empty (after trimming).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
string_newtype!(Comment);

/// Name of a step of an approval policy: trimmed, 1 to 100 characters, no
/// control characters; unique within its policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StepName(String);

impl StepName {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("steps.name", raw, 1, 100, true)
    }
}
string_newtype!(StepName);

/// A word or phrase of an organization's flagging lexicon, normalised so
/// that equal terms compare equal: trimmed, lowercased, runs of whitespace
/// collapsed to one space; 1 to 200 characters, at least one letter or
/// digit, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LexiconTerm(String);

impl LexiconTerm {
    fn parse(raw: &str) -> Result<String, ValueError> {
        const FIELD: &str = "term";
        let value = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let len = value.chars().count();
        if len == 0 || len > 200 {
            return Err(value_error(FIELD, "must be 1 to 200 characters"));
        }
        if value.chars().any(char::is_control) {
            return Err(value_error(FIELD, text::NO_CONTROL));
        }
        if value.chars().any(text::is_invisible) {
            return Err(value_error(FIELD, text::NO_INVISIBLE));
        }
        if !value.chars().any(char::is_alphanumeric) {
            return Err(value_error(FIELD, "must contain a letter or digit"));
        }
        Ok(value)
    }
}
string_newtype!(LexiconTerm);

/// Id the social network gave a published post: trimmed, 1 to 200
/// characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NetworkPostId(String);

impl NetworkPostId {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("networkPostId", raw, 1, 200, false)
    }
}
string_newtype!(NetworkPostId);

/// Public address of a published post: an absolute `http`/`https` URL of at
/// most 2,000 characters without whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublishedUrl(String);

impl PublishedUrl {
    fn parse(raw: &str) -> Result<String, ValueError> {
        web_url("url", raw, 2000)
    }
}
string_newtype!(PublishedUrl);

/// Notes or conditions of a legal review: trimmed, 0 to 5,000 characters.
/// Line breaks are allowed. Parsing through `TryFrom` reports the field
/// `notes`; use [`ReviewText::parse_field`] to name another field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReviewText(String);

impl ReviewText {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::free_text("notes", raw, 0, 5000)
    }

    /// Parses `raw`, naming `field` (e.g. `conditions`) in any error.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, ValueError> {
        text::free_text(field, raw, 0, 5000).map(Self)
    }

    /// Whether the text is empty (after trimming).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
string_newtype!(ReviewText);

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

/// A role assignment the actor holds at the command's instant.
///
/// The application layer reads it from the role history and passes only
/// assignments whose scope covers the post (the organization, the team of
/// one of the post's channels, or one of its channels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeldRole {
    /// The role assignment.
    pub assignment_id: Uuid,
    /// Function of the role.
    pub function: RoleFunction,
    /// Responsibility within the function, if any.
    pub responsibility: Option<Responsibility>,
    /// Where the role applies.
    pub scope: RoleScope,
}

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

    fn field_of<T: std::fmt::Debug>(result: Result<T, ValueError>) -> &'static str {
        result.expect_err("value should be rejected").field
    }

    #[test]
    fn post_text_is_trimmed_and_bounded() {
        assert_eq!(
            PostText::try_from("  Hello\nworld  ")
                .expect("valid")
                .as_str(),
            "Hello\nworld"
        );
        assert!(PostText::try_from("x".repeat(10_000)).is_ok());
        assert!(PostText::try_from("é".repeat(10_000)).is_ok());
        assert_eq!(field_of(PostText::try_from("x".repeat(10_001))), "text");
        assert_eq!(field_of(PostText::try_from(" \n ")), "text");
        assert_eq!(field_of(PostText::try_from("")), "text");
    }

    #[test]
    fn hostile_text_is_refused_in_every_value() {
        let nul = "line one\u{0000}line two";
        assert_eq!(field_of(PostText::try_from(nul)), "text");
        assert_eq!(field_of(Comment::try_from(nul)), "comment");
        assert_eq!(field_of(ReviewText::try_from(nul)), "notes");
        assert_eq!(
            field_of(ReviewText::parse_field(
                "conditions",
                "cleared \u{202e}deniable"
            )),
            "conditions"
        );
        assert_eq!(
            field_of(CampaignName::try_from("Spring\u{200b}")),
            "campaign"
        );
        assert_eq!(field_of(StepName::try_from("Legal\u{2067}")), "steps.name");
        assert_eq!(
            field_of(NetworkPostId::try_from("17\u{feff}")),
            "networkPostId"
        );
        assert_eq!(field_of(LexiconTerm::try_from("pr\u{200b}ice")), "term");
        assert_eq!(
            field_of(MediaUrl::try_from("https://cdn.example.com/\u{200b}a.png")),
            "mediaUrls"
        );
        // Tabs, line breaks, emoji joiners and right-to-left marks are text.
        assert!(PostText::try_from("Sale!\tNow\r\n\u{1f469}\u{200d}\u{1f4bb} \u{200f}").is_ok());
    }

    #[test]
    fn media_url_rules() {
        assert_eq!(
            MediaUrl::try_from(" https://cdn.example.com/a.png ")
                .expect("valid")
                .as_str(),
            "https://cdn.example.com/a.png"
        );
        assert!(MediaUrl::try_from("http://example.com").is_ok());
        assert!(MediaUrl::try_from("HTTPS://Example.com/x?y=1#z").is_ok());
        let long = format!("https://example.com/{}", "a".repeat(2000 - 20));
        assert_eq!(long.len(), 2000);
        assert!(MediaUrl::try_from(long.as_str()).is_ok());
        for bad in [
            String::new(),
            format!("{long}a"),
            "ftp://example.com/a".to_string(),
            "example.com/a.png".to_string(),
            "/relative/a.png".to_string(),
            "https://".to_string(),
            "https:///path".to_string(),
            "https://exa mple.com".to_string(),
            "https://example.com/a\tb".to_string(),
            "javascript:alert(1)".to_string(),
        ] {
            assert_eq!(
                field_of(MediaUrl::try_from(bad.as_str())),
                "mediaUrls",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn published_url_rules() {
        assert!(PublishedUrl::try_from("https://x.com/acme/status/1").is_ok());
        assert_eq!(field_of(PublishedUrl::try_from("x.com/acme")), "url");
        assert_eq!(field_of(PublishedUrl::try_from("https:// x")), "url");
        assert_eq!(field_of(PublishedUrl::try_from("")), "url");
    }

    #[test]
    fn campaign_name_rules() {
        assert_eq!(
            CampaignName::try_from(" Spring ").expect("valid").as_str(),
            "Spring"
        );
        assert!(CampaignName::try_from("c".repeat(200)).is_ok());
        assert_eq!(
            field_of(CampaignName::try_from("c".repeat(201))),
            "campaign"
        );
        assert_eq!(field_of(CampaignName::try_from(" ")), "campaign");
        assert_eq!(field_of(CampaignName::try_from("a\u{0007}b")), "campaign");
    }

    #[test]
    fn comment_may_be_empty_but_is_bounded() {
        let empty = Comment::try_from("   ").expect("empty comment is a value");
        assert!(empty.is_empty());
        assert!(!Comment::try_from("ok").expect("valid").is_empty());
        assert!(Comment::try_from("line\nline").is_ok());
        assert!(Comment::try_from("c".repeat(2000)).is_ok());
        assert_eq!(field_of(Comment::try_from("c".repeat(2001))), "comment");
    }

    #[test]
    fn step_name_rules() {
        assert_eq!(
            StepName::try_from(" Legal ").expect("valid").as_str(),
            "Legal"
        );
        assert!(StepName::try_from("s".repeat(100)).is_ok());
        assert_eq!(field_of(StepName::try_from("s".repeat(101))), "steps.name");
        assert_eq!(field_of(StepName::try_from("")), "steps.name");
        assert_eq!(field_of(StepName::try_from("a\nb")), "steps.name");
    }

    #[test]
    fn lexicon_term_is_normalised() {
        let term = LexiconTerm::try_from("  Limited \t  TIME\nOffer ").expect("valid");
        assert_eq!(term.as_str(), "limited time offer");
        assert_eq!(
            term,
            LexiconTerm::try_from("limited time offer").expect("valid")
        );
        assert_eq!(
            LexiconTerm::try_from("50% OFF").expect("valid").as_str(),
            "50% off"
        );
        assert!(LexiconTerm::try_from("t".repeat(200)).is_ok());
    }

    #[test]
    fn lexicon_term_rules() {
        assert_eq!(field_of(LexiconTerm::try_from("t".repeat(201))), "term");
        assert_eq!(field_of(LexiconTerm::try_from("   ")), "term");
        assert_eq!(field_of(LexiconTerm::try_from("!!!")), "term");
        assert_eq!(field_of(LexiconTerm::try_from("a\u{0000}b")), "term");
    }

    #[test]
    fn network_post_id_rules() {
        assert_eq!(
            NetworkPostId::try_from(" 1789 ").expect("valid").as_str(),
            "1789"
        );
        assert!(NetworkPostId::try_from("n".repeat(200)).is_ok());
        assert_eq!(
            field_of(NetworkPostId::try_from("n".repeat(201))),
            "networkPostId"
        );
        assert_eq!(field_of(NetworkPostId::try_from("")), "networkPostId");
    }

    #[test]
    fn review_text_rules() {
        assert!(ReviewText::try_from("").expect("empty allowed").is_empty());
        assert!(ReviewText::try_from("r".repeat(5000)).is_ok());
        assert_eq!(field_of(ReviewText::try_from("r".repeat(5001))), "notes");
        assert_eq!(
            field_of(ReviewText::parse_field("conditions", &"r".repeat(5001))),
            "conditions"
        );
        assert_eq!(
            ReviewText::parse_field("conditions", " credit the author ")
                .expect("valid")
                .as_str(),
            "credit the author"
        );
    }

    #[test]
    fn value_error_display_and_code() {
        let err = PostText::try_from("").expect_err("empty is rejected");
        assert_eq!(err.to_string(), "text: must be 1 to 10000 characters");
        assert_eq!(err.code(), "BAD_USER_INPUT");
    }

    #[test]
    fn newtypes_serialize_as_plain_strings_and_validate_on_deserialize() {
        let term = LexiconTerm::try_from("Free").expect("valid");
        assert_eq!(serde_json::to_string(&term).expect("serialize"), "\"free\"");
        let back: LexiconTerm = serde_json::from_str("\" FREE \"").expect("deserialize");
        assert_eq!(back, term);
        assert!(serde_json::from_str::<StepName>("\"\"").is_err());
        assert!(serde_json::from_str::<MediaUrl>("\"nope\"").is_err());
    }

    fn assert_enum_names<T>(all: &[T], as_str: fn(&T) -> &'static str)
    where
        T: Serialize + std::str::FromStr + PartialEq + std::fmt::Debug,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        for value in all {
            let json = serde_json::to_string(value).expect("serialize");
            assert_eq!(json, format!("\"{}\"", as_str(value)));
            assert_eq!(&as_str(value).parse::<T>().expect("parse"), value);
        }
    }

    #[test]
    fn enum_strings_match_serde_and_parse_back() {
        assert_enum_names(ContentFlag::ALL, ContentFlag::as_str);
        assert_enum_names(PostStatus::ALL, PostStatus::as_str);
        assert_enum_names(ReviewSubjectKind::ALL, ReviewSubjectKind::as_str);
        assert_enum_names(ReviewKind::ALL, ReviewKind::as_str);
        assert_enum_names(ReviewOutcome::ALL, ReviewOutcome::as_str);
        assert_eq!(ContentFlag::ALL.len(), 5);
        assert_eq!(PostStatus::ALL.len(), 8);
        assert_eq!(ReviewSubjectKind::ALL.len(), 4);
        assert_eq!(ReviewKind::ALL.len(), 5);
        assert_eq!(ReviewOutcome::ALL.len(), 3);
        assert_eq!(PostStatus::default(), PostStatus::Draft);
    }

    #[test]
    fn enum_parse_rejects_unknown_names() {
        let err = "pricing".parse::<ContentFlag>().expect_err("unknown");
        assert_eq!(err.field, "flag");
        assert_eq!(
            "NOPE".parse::<PostStatus>().expect_err("unknown").field,
            "status"
        );
        assert_eq!(
            "NOPE"
                .parse::<ReviewSubjectKind>()
                .expect_err("unknown")
                .field,
            "subjectKind"
        );
        assert_eq!(
            "NOPE".parse::<ReviewKind>().expect_err("unknown").field,
            "kind"
        );
        let err = "cleared"
            .parse::<ReviewOutcome>()
            .expect_err("case matters");
        assert_eq!(err.field, "outcome");
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

    #[test]
    fn held_role_round_trips() {
        let role = HeldRole {
            assignment_id: Uuid::from_u128(1),
            function: RoleFunction::Legal,
            responsibility: Some(Responsibility::LegalUgcCounsel),
            scope: RoleScope::organization(Uuid::from_u128(2)),
        };
        let json = serde_json::to_value(role).expect("serialize");
        assert_eq!(json["function"], "LEGAL");
        assert_eq!(json["responsibility"], "LEGAL_UGC_COUNSEL");
        assert_eq!(json["scope"]["kind"], "ORGANIZATION");
        let back: HeldRole = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, role);
    }
}
