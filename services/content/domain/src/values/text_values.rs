//! The content context's validated text newtypes: each one's rules are its one parse
//! function, through [`text`] where a text policy fits.

use chorus_shared::{text, text_value, ValueError};

text_value! {
    /// Body of a post: trimmed, 1 to 10,000 characters. Line breaks and other
    /// formatting characters are allowed because posts are pasted from editors.
    pub struct PostText = |raw| text::free_text("text", raw, 1, 10_000);

    /// Name of the campaign a post belongs to: trimmed, 1 to 200 characters,
    /// no control characters.
    pub struct CampaignName = |raw| text::name("campaign", raw, 1, 200, true);

    /// Free-text remark of an approver, rejecter or retractor: trimmed, 0 to
    /// 2,000 characters. Commands that require one check [`Comment::is_empty`].
    pub struct Comment = |raw| text::free_text("comment", raw, 0, 2000);

    /// Name of a step of an approval policy: trimmed, 1 to 100 characters, no
    /// control characters; unique within its policy.
    pub struct StepName = |raw| text::name("steps.name", raw, 1, 100, true);

    /// A word or phrase of an organization's flagging lexicon, normalised so
    /// that equal terms compare equal: trimmed, lowercased, runs of whitespace
    /// collapsed to one space; 1 to 200 characters, at least one letter or
    /// digit, no control characters.
    pub struct LexiconTerm = parse_lexicon_term;

    /// Id the social network gave a published post: trimmed, 1 to 200
    /// characters, no control characters.
    pub struct NetworkPostId = |raw| text::name("networkPostId", raw, 1, 200, false);

    /// Notes or conditions of a legal review: trimmed, 0 to 5,000 characters.
    /// Line breaks are allowed. Parsing through `TryFrom` reports the field
    /// `notes`; use [`ReviewText::parse_field`] to name another field.
    pub struct ReviewText = |raw| ReviewText::policy("notes", raw);
}

impl Comment {
    /// Whether the comment is empty (after trimming).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl ReviewText {
    fn policy(field: &'static str, raw: &str) -> Result<String, ValueError> {
        text::free_text(field, raw, 0, 5000)
    }

    /// Parses `raw`, naming `field` (e.g. `conditions`) in any error.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, ValueError> {
        Self::policy(field, raw).map(Self)
    }

    /// Whether the text is empty (after trimming).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn parse_lexicon_term(raw: &str) -> Result<String, ValueError> {
    const FIELD: &str = "term";
    let value = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let len = value.chars().count();
    if len == 0 || len > 200 {
        return Err(ValueError::new(FIELD, "must be 1 to 200 characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(ValueError::new(FIELD, text::NO_CONTROL));
    }
    if value.chars().any(text::is_invisible) {
        return Err(ValueError::new(FIELD, text::NO_INVISIBLE));
    }
    if !value.chars().any(char::is_alphanumeric) {
        return Err(ValueError::new(FIELD, "must contain a letter or digit"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::MediaUrl;
    use chorus_teams_domain::testing::{
        assert_bounded_text, assert_normalised, assert_plain_json_string, assert_refused, field_of,
    };

    #[test]
    fn post_text_is_trimmed_and_bounded() {
        assert_bounded_text::<PostText>("  Hello\nworld  ", "Hello\nworld", 10_000, "text");
        assert!(PostText::try_from("é".repeat(10_000)).is_ok());
        assert_refused::<PostText>(&[" \n ", ""], "text");
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
    fn campaign_name_rules() {
        assert_bounded_text::<CampaignName>(" Spring ", "Spring", 200, "campaign");
        assert_refused::<CampaignName>(&[" ", "a\u{0007}b"], "campaign");
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
        assert_bounded_text::<StepName>(" Legal ", "Legal", 100, "steps.name");
        assert_refused::<StepName>(&["", "a\nb"], "steps.name");
    }

    #[test]
    fn lexicon_term_is_normalised() {
        assert_normalised::<LexiconTerm>("  Limited \t  TIME\nOffer ", "limited time offer");
        assert_eq!(
            LexiconTerm::try_from("50% OFF").expect("valid").as_str(),
            "50% off"
        );
        assert!(LexiconTerm::try_from("t".repeat(200)).is_ok());
    }

    #[test]
    fn lexicon_term_rules() {
        let too_long = "t".repeat(201);
        assert_refused::<LexiconTerm>(&[&too_long, "   ", "!!!", "a\u{0000}b"], "term");
    }

    #[test]
    fn network_post_id_rules() {
        assert_bounded_text::<NetworkPostId>(" 1789 ", "1789", 200, "networkPostId");
        assert_refused::<NetworkPostId>(&[""], "networkPostId");
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
        assert_plain_json_string::<LexiconTerm>("Free", "free", " FREE ");
        assert!(serde_json::from_str::<StepName>("\"\"").is_err());
        assert!(serde_json::from_str::<MediaUrl>("\"nope\"").is_err());
    }
}
