//! The social networks a channel lives on.

use chorus_shared::code_enum;
use serde::{Deserialize, Serialize};

/// Social network a channel lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SocialNetwork {
    /// X (formerly Twitter).
    X,
    /// Facebook.
    Facebook,
    /// Instagram.
    Instagram,
    /// LinkedIn.
    Linkedin,
    /// TikTok.
    Tiktok,
    /// YouTube.
    Youtube,
    /// Threads.
    Threads,
    /// Bluesky.
    Bluesky,
    /// Mastodon.
    Mastodon,
    /// Pinterest.
    Pinterest,
    /// Reddit.
    Reddit,
    /// Any network not listed.
    Other,
}

code_enum!(SocialNetwork, "network", {
    X => "X",
    Facebook => "FACEBOOK",
    Instagram => "INSTAGRAM",
    Linkedin => "LINKEDIN",
    Tiktok => "TIKTOK",
    Youtube => "YOUTUBE",
    Threads => "THREADS",
    Bluesky => "BLUESKY",
    Mastodon => "MASTODON",
    Pinterest => "PINTEREST",
    Reddit => "REDDIT",
    Other => "OTHER",
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_code_enum;

    #[test]
    fn network_names_match_serde_and_parse_back() {
        assert_code_enum(SocialNetwork::ALL, SocialNetwork::as_str, 12, "network");
        assert_eq!(SocialNetwork::Linkedin.as_str(), "LINKEDIN");
    }
}
