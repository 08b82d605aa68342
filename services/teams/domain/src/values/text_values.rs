//! The teams context's validated text newtypes: each one's rules are its one parse
//! function, through [`text`] where a text policy fits.

use chorus_shared::{text, text_value, ValueError};

text_value! {
    /// Name of an organization: a [`text::name`] of 1 to 120 characters.
    pub struct OrganizationName = |raw| text::name("name", raw, 1, 120, true);

    /// Name of a team: a [`text::name`] of 1 to 120 characters.
    pub struct TeamName = |raw| text::name("name", raw, 1, 120, true);

    /// A person's display name: a [`text::name`] of 1 to 200 characters.
    pub struct DisplayName = |raw| text::name("displayName", raw, 1, 200, true);

    /// An email address, trimmed and lowercased so equality means "same mailbox"
    /// for our purposes. Deliberately a light check, not RFC 5322.
    pub struct Email = parse_email;

    /// Identifier of a person in an external system (HR, directory): a
    /// [`text::name`] of 1 to 200 characters, spaces kept as given.
    pub struct ExternalId = |raw| text::name("externalId", raw, 1, 200, false);

    /// Handle of a social account, stored without a leading '@' so "@acme" and
    /// "acme" are the same handle: 1 to 100 characters, no whitespace or control
    /// characters.
    pub struct Handle = parse_handle;

    /// Free-text justification recorded for auditors: [`text::free_text`] of 1 to
    /// 1000 characters. Line breaks are allowed because reasons are often pasted.
    pub struct Reason = |raw| text::free_text("reason", raw, 1, 1000);
}

/// The longest address SMTP can carry (RFC 5321's path limit less the brackets).
const EMAIL_MAX_LEN: usize = 254;

fn parse_email(raw: &str) -> Result<String, ValueError> {
    const FIELD: &str = "email";
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err(ValueError::new(FIELD, "must not be empty"));
    }
    if value.chars().count() > EMAIL_MAX_LEN {
        return Err(ValueError::new(
            FIELD,
            format!("must be at most {EMAIL_MAX_LEN} characters"),
        ));
    }
    text::check_token(FIELD, &value)?;
    let mut parts = value.split('@');
    let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => (local, domain),
        _ => {
            return Err(ValueError::new(FIELD, "must contain exactly one '@'"));
        }
    };
    if local.is_empty() {
        return Err(ValueError::new(FIELD, "must have a name before the '@'"));
    }
    if !domain.contains('.') {
        return Err(ValueError::new(
            FIELD,
            "must have a domain containing a '.' after the '@'",
        ));
    }
    Ok(value)
}

fn parse_handle(raw: &str) -> Result<String, ValueError> {
    const FIELD: &str = "handle";
    let trimmed = raw.trim();
    let value = trimmed.strip_prefix('@').unwrap_or(trimmed);
    let len = value.chars().count();
    if len == 0 || len > 100 {
        return Err(ValueError::new(FIELD, "must be 1 to 100 characters"));
    }
    text::check_token(FIELD, value)?;
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        assert_bounded_text, assert_normalised, assert_plain_json_string, assert_refused, field_of,
    };

    #[test]
    fn organization_name_is_trimmed_and_bounded() {
        assert_bounded_text::<OrganizationName>("  Acme Corp  ", "Acme Corp", 120, "name");
        assert!(OrganizationName::try_from("é".repeat(120)).is_ok());
        assert_refused::<OrganizationName>(&["   ", "", "Ac\u{0007}me", "Ac\nme"], "name");
    }

    #[test]
    fn team_name_is_trimmed_and_bounded() {
        assert_bounded_text::<TeamName>(" Social ", "Social", 120, "name");
        assert_refused::<TeamName>(&["\t", "So\u{0000}cial"], "name");
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_bounded_text::<DisplayName>(" Ada Lovelace ", "Ada Lovelace", 200, "displayName");
        assert_refused::<DisplayName>(&["", "Ada\r\nL"], "displayName");
    }

    #[test]
    fn email_is_normalised() {
        assert_normalised::<Email>("  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com");
    }

    #[test]
    fn email_rules() {
        let long_local = "a".repeat(254 - "@example.com".len());
        assert!(Email::try_from(format!("{long_local}@example.com")).is_ok());
        for bad in [
            String::new(),
            "   ".to_string(),
            format!("a{long_local}@example.com"),
            "ada.example.com".to_string(),
            "ada@@example.com".to_string(),
            "ada@b@example.com".to_string(),
            "@example.com".to_string(),
            "ada@localhost".to_string(),
            "ada lovelace@example.com".to_string(),
            "ada@exa\tmple.com".to_string(),
        ] {
            assert_eq!(field_of(Email::try_from(bad.as_str())), "email", "{bad:?}");
        }
    }

    #[test]
    fn external_id_rules() {
        assert_bounded_text::<ExternalId>(" E-42 ", "E-42", 200, "externalId");
        assert_refused::<ExternalId>(&[" ", "E\u{001b}42"], "externalId");
    }

    #[test]
    fn handle_strips_leading_at() {
        assert_eq!(Handle::try_from(" @acme ").expect("valid").as_str(), "acme");
        assert_eq!(Handle::try_from("acme").expect("valid").as_str(), "acme");
        assert!(Handle::try_from(format!("@{}", "h".repeat(100))).is_ok());
    }

    #[test]
    fn handle_rules() {
        let too_long = "h".repeat(101);
        let refused = ["", "@", &too_long, "ac me", "@ acme", "ac\u{0001}me"];
        assert_refused::<Handle>(&refused, "handle");
    }

    #[test]
    fn reason_rules() {
        assert_bounded_text::<Reason>("  covers leave ", "covers leave", 1000, "reason");
        assert!(Reason::try_from("line one\nline two").is_ok());
        assert_refused::<Reason>(&[" \n "], "reason");
    }

    #[test]
    fn hostile_text_is_refused_in_every_value() {
        // "Olivia Hart" followed by a right-to-left override and a zero-width space.
        let imitation = "Olivia Hart\u{202e}\u{200b}";
        assert_eq!(field_of(DisplayName::try_from(imitation)), "displayName");
        assert_eq!(field_of(TeamName::try_from(imitation)), "name");
        assert_eq!(field_of(OrganizationName::try_from(imitation)), "name");
        assert_eq!(field_of(ExternalId::try_from("E\u{200b}42")), "externalId");
        assert_eq!(field_of(Handle::try_from("acme\u{2066}")), "handle");
        assert_eq!(
            field_of(Email::try_from("ada\u{200b}@example.com")),
            "email"
        );
        assert_eq!(
            field_of(Reason::try_from("line one\u{0000}line two")),
            "reason"
        );
        assert_eq!(field_of(Reason::try_from("covers \u{202e}leave")), "reason");
        assert_eq!(
            Reason::try_from("line one\r\nline two\tend")
                .expect("valid")
                .as_str(),
            "line one\nline two\tend"
        );
        assert_eq!(
            DisplayName::try_from("Olivia\u{00a0} Hart")
                .expect("valid")
                .as_str(),
            "Olivia Hart",
            "every run of whitespace in a name is one space"
        );
        // Events carry only what the rules accept: a hostile payload does not decode.
        assert!(serde_json::from_str::<DisplayName>("\"Olivia Hart\\u202e\"").is_err());
    }

    #[test]
    fn value_error_display_and_code() {
        let err = DisplayName::try_from("").expect_err("empty is rejected");
        assert_eq!(err.to_string(), "displayName: must be 1 to 200 characters");
        assert_eq!(err.code(), "BAD_USER_INPUT");
    }

    #[test]
    fn newtypes_serialize_as_plain_strings_and_validate_on_deserialize() {
        assert_plain_json_string::<TeamName>("Social", "Social", " Social ");
        assert!(serde_json::from_str::<TeamName>("\"\"").is_err());
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
    }
}
