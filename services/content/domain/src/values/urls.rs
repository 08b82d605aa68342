//! The web addresses a post carries: its media and, once published, its public address.

use chorus_shared::{text, text_value, ValueError};

text_value! {
    /// Address of a media item attached to a post: an absolute `http`/`https`
    /// URL of at most 2,000 characters without whitespace.
    pub struct MediaUrl = |raw| web_url("mediaUrls", raw, 2000);

    /// Public address of a published post: an absolute `http`/`https` URL of at
    /// most 2,000 characters without whitespace.
    pub struct PublishedUrl = |raw| web_url("url", raw, 2000);
}

/// Checks an absolute `http`/`https` URL of at most `max` characters without
/// whitespace or control characters. Deliberately a light check, not RFC 3986.
fn web_url(field: &'static str, raw: &str, max: usize) -> Result<String, ValueError> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(ValueError::new(
            field,
            format!("must be 1 to {max} characters"),
        ));
    }
    text::check_token(field, value)?;
    let lower = value.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value["https://".len()..]
    } else if lower.starts_with("http://") {
        &value["http://".len()..]
    } else {
        return Err(ValueError::new(
            field,
            "must be an absolute http:// or https:// URL",
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(ValueError::new(field, "must name a host"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_teams_domain::testing::field_of;

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
}
