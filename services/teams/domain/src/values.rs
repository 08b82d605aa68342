//! Shared value types.
//!
//! Every newtype here is the only place its rules are checked ("parse, don't
//! validate"): once a command holds an `Email`, the aggregate can trust it.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use chorus_shared::text;

/// How far in the past a role grant's `effective_from` may lie relative to the
/// command's `now`. Small clock skew between client and server is tolerated,
/// real backdating is not: auditors rely on grants never predating approval.
pub const BACKDATE_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

pub use chorus_shared::ValueError;

/// Implements the shared plumbing of a string newtype whose rules live in
/// `fn parse(&str) -> Result<String, ValueError>`. Shared by every domain crate.
#[macro_export]
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            /// The validated, normalised value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the value, returning the normalised string.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::values::ValueError;

            fn try_from(raw: &str) -> Result<Self, Self::Error> {
                Self::parse(raw).map(Self)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::values::ValueError;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::try_from(raw.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::values::ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::try_from(raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Name of an organization: a [`text::name`] of 1 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganizationName(String);

impl OrganizationName {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("name", raw, 1, 120, true)
    }
}
string_newtype!(OrganizationName);

/// Name of a team: a [`text::name`] of 1 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TeamName(String);

impl TeamName {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("name", raw, 1, 120, true)
    }
}
string_newtype!(TeamName);

/// A person's display name: a [`text::name`] of 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("displayName", raw, 1, 200, true)
    }
}
string_newtype!(DisplayName);

/// An email address, trimmed and lowercased so equality means "same mailbox"
/// for our purposes. Deliberately a light check, not RFC 5322.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    const MAX_LEN: usize = 254;

    fn parse(raw: &str) -> Result<String, ValueError> {
        const FIELD: &str = "email";
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(ValueError::new(FIELD, "must not be empty"));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(ValueError::new(
                FIELD,
                format!("must be at most {} characters", Self::MAX_LEN),
            ));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ValueError::new(
                FIELD,
                "must not contain whitespace or control characters",
            ));
        }
        if value.chars().any(text::is_invisible) {
            return Err(ValueError::new(FIELD, text::NO_INVISIBLE));
        }
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
}
string_newtype!(Email);

/// Identifier of a person in an external system (HR, directory): a
/// [`text::name`] of 1 to 200 characters, spaces kept as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExternalId(String);

impl ExternalId {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::name("externalId", raw, 1, 200, false)
    }
}
string_newtype!(ExternalId);

/// Handle of a social account, stored without a leading '@' so "@acme" and
/// "acme" are the same handle: 1 to 100 characters, no whitespace or control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Handle(String);

impl Handle {
    fn parse(raw: &str) -> Result<String, ValueError> {
        const FIELD: &str = "handle";
        let trimmed = raw.trim();
        let value = trimmed.strip_prefix('@').unwrap_or(trimmed);
        let len = value.chars().count();
        if len == 0 || len > 100 {
            return Err(ValueError::new(FIELD, "must be 1 to 100 characters"));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ValueError::new(
                FIELD,
                "must not contain whitespace or control characters",
            ));
        }
        if value.chars().any(text::is_invisible) {
            return Err(ValueError::new(FIELD, text::NO_INVISIBLE));
        }
        Ok(value.to_owned())
    }
}
string_newtype!(Handle);

/// Free-text justification recorded for auditors: [`text::free_text`] of 1 to
/// 1000 characters. Line breaks are allowed because reasons are often pasted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

impl Reason {
    fn parse(raw: &str) -> Result<String, ValueError> {
        text::free_text("reason", raw, 1, 1000)
    }
}
string_newtype!(Reason);

/// Implements `as_str`, `ALL`, `FromStr` and `Display` for a fieldless enum,
/// keeping the strings identical to the serde `SCREAMING_SNAKE_CASE` names.
#[macro_export]
macro_rules! code_enum {
    ($name:ident, $field:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The `SCREAMING_SNAKE_CASE` name, identical to the serde form.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::values::ValueError;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                match raw {
                    $($code => Ok(Self::$variant),)+
                    _ => Err($crate::values::ValueError::new(
                        $field,
                        format!(
                            "must be one of {}",
                            [$($code),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// How a person is attached to the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Affiliation {
    /// Employee of the organization.
    Internal,
    /// Works for an agency retained by the organization.
    Agency,
    /// Individual consultant.
    Consultant,
    /// Freelancer.
    Freelancer,
}

code_enum!(Affiliation, "affiliation", {
    Internal => "INTERNAL",
    Agency => "AGENCY",
    Consultant => "CONSULTANT",
    Freelancer => "FREELANCER",
});

impl Affiliation {
    /// True for people outside the organization's payroll, whose access
    /// usually gets extra scrutiny.
    pub fn is_external(&self) -> bool {
        !matches!(self, Self::Internal)
    }
}

/// Business function a role is performed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleFunction {
    /// Senior management.
    SeniorManagement,
    /// Social media.
    SocialMedia,
    /// Marketing.
    Marketing,
    /// Public relations.
    PublicRelations,
    /// Customer service.
    CustomerService,
    /// Sales.
    Sales,
    /// Creative.
    Creative,
    /// Technology.
    Technology,
    /// Production.
    Production,
    /// Analytics.
    Analytics,
    /// Human resources.
    HumanResources,
    /// Legal.
    Legal,
}

code_enum!(RoleFunction, "function", {
    SeniorManagement => "SENIOR_MANAGEMENT",
    SocialMedia => "SOCIAL_MEDIA",
    Marketing => "MARKETING",
    PublicRelations => "PUBLIC_RELATIONS",
    CustomerService => "CUSTOMER_SERVICE",
    Sales => "SALES",
    Creative => "CREATIVE",
    Technology => "TECHNOLOGY",
    Production => "PRODUCTION",
    Analytics => "ANALYTICS",
    HumanResources => "HUMAN_RESOURCES",
    Legal => "LEGAL",
});

/// Functions a social team should have represented; the field guidance says
/// every one of them, so this is all twelve.
pub const RECOMMENDED_FUNCTIONS: &[RoleFunction] = RoleFunction::ALL;

/// A specific social-media responsibility a person holds within a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Responsibility {
    /// Sets the social strategy.
    Strategist,
    /// Runs the social accounts day to day.
    SocialMediaManager,
    /// Produces content.
    ContentDeveloper,
    /// Manages relationships with influencers.
    InfluencerRelations,
    /// Brings product marketing into social.
    ProductMarketing,
    /// Measures and reports performance.
    MetricsAnalyst,
    /// Counsel on user-generated content.
    LegalUgcCounsel,
    /// Counsel on privacy and security.
    LegalPrivacySecurityCounsel,
}

code_enum!(Responsibility, "responsibility", {
    Strategist => "STRATEGIST",
    SocialMediaManager => "SOCIAL_MEDIA_MANAGER",
    ContentDeveloper => "CONTENT_DEVELOPER",
    InfluencerRelations => "INFLUENCER_RELATIONS",
    ProductMarketing => "PRODUCT_MARKETING",
    MetricsAnalyst => "METRICS_ANALYST",
    LegalUgcCounsel => "LEGAL_UGC_COUNSEL",
    LegalPrivacySecurityCounsel => "LEGAL_PRIVACY_SECURITY_COUNSEL",
});

impl Responsibility {
    /// Functions this responsibility may be held in; an assignment pairing it
    /// with any other function is refused.
    pub fn allowed_functions(&self) -> &'static [RoleFunction] {
        use RoleFunction as F;
        match self {
            Self::Strategist => &[F::SeniorManagement, F::SocialMedia, F::Marketing],
            Self::SocialMediaManager => &[F::SocialMedia],
            Self::ContentDeveloper => &[F::SocialMedia, F::Marketing, F::Creative],
            Self::InfluencerRelations => &[F::PublicRelations, F::Marketing],
            Self::ProductMarketing => &[F::Marketing],
            Self::MetricsAnalyst => &[F::Analytics, F::SocialMedia],
            Self::LegalUgcCounsel | Self::LegalPrivacySecurityCounsel => &[F::Legal],
        }
    }

    /// Whether this responsibility may be held in `function`.
    pub fn allows(&self, function: RoleFunction) -> bool {
        self.allowed_functions().contains(&function)
    }
}

/// Social network a channel lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// What kind of thing a role assignment is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeKind {
    /// The whole organization.
    Organization,
    /// One team.
    Team,
    /// One social channel.
    Channel,
}

code_enum!(ScopeKind, "scope", {
    Organization => "ORGANIZATION",
    Team => "TEAM",
    Channel => "CHANNEL",
});

/// Where a role assignment applies. For [`ScopeKind::Organization`] the id is
/// the organization id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleScope {
    /// Kind of scope.
    pub kind: ScopeKind,
    /// Id of the organization, team or channel.
    pub id: Uuid,
}

impl RoleScope {
    /// Scope covering a whole organization.
    pub fn organization(id: Uuid) -> Self {
        Self {
            kind: ScopeKind::Organization,
            id,
        }
    }

    /// Scope covering one team.
    pub fn team(id: Uuid) -> Self {
        Self {
            kind: ScopeKind::Team,
            id,
        }
    }

    /// Scope covering one channel.
    pub fn channel(id: Uuid) -> Self {
        Self {
            kind: ScopeKind::Channel,
            id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of<T: std::fmt::Debug>(result: Result<T, ValueError>) -> &'static str {
        result.expect_err("value should be rejected").field
    }

    #[test]
    fn organization_name_is_trimmed_and_bounded() {
        let name = OrganizationName::try_from("  Acme Corp  ").expect("valid");
        assert_eq!(name.as_str(), "Acme Corp");
        assert!(OrganizationName::try_from("x".repeat(120)).is_ok());
        assert!(OrganizationName::try_from("é".repeat(120)).is_ok());
        assert_eq!(
            field_of(OrganizationName::try_from("x".repeat(121))),
            "name"
        );
        assert_eq!(field_of(OrganizationName::try_from("   ")), "name");
        assert_eq!(field_of(OrganizationName::try_from("")), "name");
        assert_eq!(field_of(OrganizationName::try_from("Ac\u{0007}me")), "name");
        assert_eq!(field_of(OrganizationName::try_from("Ac\nme")), "name");
    }

    #[test]
    fn team_name_is_trimmed_and_bounded() {
        assert_eq!(
            TeamName::try_from(" Social ").expect("valid").as_str(),
            "Social"
        );
        assert!(TeamName::try_from("x".repeat(120)).is_ok());
        assert_eq!(field_of(TeamName::try_from("x".repeat(121))), "name");
        assert_eq!(field_of(TeamName::try_from("\t")), "name");
        assert_eq!(field_of(TeamName::try_from("So\u{0000}cial")), "name");
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::try_from(" Ada Lovelace ".to_string())
                .expect("valid")
                .as_str(),
            "Ada Lovelace"
        );
        assert!(DisplayName::try_from("x".repeat(200)).is_ok());
        assert_eq!(
            field_of(DisplayName::try_from("x".repeat(201))),
            "displayName"
        );
        assert_eq!(field_of(DisplayName::try_from("")), "displayName");
        assert_eq!(field_of(DisplayName::try_from("Ada\r\nL")), "displayName");
    }

    #[test]
    fn email_is_normalised() {
        let email = Email::try_from("  Ada.Lovelace@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ada.lovelace@example.com");
        assert_eq!(
            email,
            Email::try_from("ada.lovelace@example.com").expect("valid")
        );
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
        assert_eq!(
            ExternalId::try_from(" E-42 ").expect("valid").as_str(),
            "E-42"
        );
        assert!(ExternalId::try_from("x".repeat(200)).is_ok());
        assert_eq!(
            field_of(ExternalId::try_from("x".repeat(201))),
            "externalId"
        );
        assert_eq!(field_of(ExternalId::try_from(" ")), "externalId");
        assert_eq!(field_of(ExternalId::try_from("E\u{001b}42")), "externalId");
    }

    #[test]
    fn handle_strips_leading_at() {
        assert_eq!(Handle::try_from(" @acme ").expect("valid").as_str(), "acme");
        assert_eq!(Handle::try_from("acme").expect("valid").as_str(), "acme");
        assert!(Handle::try_from(format!("@{}", "h".repeat(100))).is_ok());
    }

    #[test]
    fn handle_rules() {
        assert_eq!(field_of(Handle::try_from("")), "handle");
        assert_eq!(field_of(Handle::try_from("@")), "handle");
        assert_eq!(field_of(Handle::try_from("h".repeat(101))), "handle");
        assert_eq!(field_of(Handle::try_from("ac me")), "handle");
        assert_eq!(field_of(Handle::try_from("@ acme")), "handle");
        assert_eq!(field_of(Handle::try_from("ac\u{0001}me")), "handle");
    }

    #[test]
    fn reason_rules() {
        assert_eq!(
            Reason::try_from("  covers leave ").expect("valid").as_str(),
            "covers leave"
        );
        assert!(Reason::try_from("line one\nline two").is_ok());
        assert!(Reason::try_from("r".repeat(1000)).is_ok());
        assert_eq!(field_of(Reason::try_from("r".repeat(1001))), "reason");
        assert_eq!(field_of(Reason::try_from(" \n ")), "reason");
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
        let name = TeamName::try_from("Social").expect("valid");
        assert_eq!(
            serde_json::to_string(&name).expect("serialize"),
            "\"Social\""
        );
        let back: TeamName = serde_json::from_str("\" Social \"").expect("deserialize");
        assert_eq!(back, name);
        assert!(serde_json::from_str::<TeamName>("\"\"").is_err());
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
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
        assert_enum_names(Affiliation::ALL, Affiliation::as_str);
        assert_enum_names(RoleFunction::ALL, RoleFunction::as_str);
        assert_enum_names(Responsibility::ALL, Responsibility::as_str);
        assert_enum_names(SocialNetwork::ALL, SocialNetwork::as_str);
        assert_enum_names(ScopeKind::ALL, ScopeKind::as_str);
        assert_eq!(Affiliation::ALL.len(), 4);
        assert_eq!(RoleFunction::ALL.len(), 12);
        assert_eq!(Responsibility::ALL.len(), 8);
        assert_eq!(SocialNetwork::ALL.len(), 12);
        assert_eq!(ScopeKind::ALL.len(), 3);
        assert_eq!(SocialNetwork::Linkedin.as_str(), "LINKEDIN");
        assert_eq!(
            Responsibility::LegalUgcCounsel.as_str(),
            "LEGAL_UGC_COUNSEL"
        );
    }

    #[test]
    fn enum_parse_rejects_unknown_names() {
        let err = "internal".parse::<Affiliation>().expect_err("case matters");
        assert_eq!(err.field, "affiliation");
        assert_eq!(
            err.rule,
            "must be one of INTERNAL, AGENCY, CONSULTANT, FREELANCER"
        );
        assert_eq!(
            "NOPE".parse::<RoleFunction>().expect_err("unknown").field,
            "function"
        );
        assert_eq!(
            "NOPE".parse::<Responsibility>().expect_err("unknown").field,
            "responsibility"
        );
        assert_eq!(
            "NOPE".parse::<SocialNetwork>().expect_err("unknown").field,
            "network"
        );
        assert_eq!(
            "NOPE".parse::<ScopeKind>().expect_err("unknown").field,
            "scope"
        );
    }

    #[test]
    fn affiliation_externality() {
        assert!(!Affiliation::Internal.is_external());
        assert!(Affiliation::Agency.is_external());
        assert!(Affiliation::Consultant.is_external());
        assert!(Affiliation::Freelancer.is_external());
    }

    #[test]
    fn responsibility_functions() {
        use Responsibility as R;
        use RoleFunction as F;
        assert_eq!(
            R::Strategist.allowed_functions(),
            &[F::SeniorManagement, F::SocialMedia, F::Marketing]
        );
        assert_eq!(R::SocialMediaManager.allowed_functions(), &[F::SocialMedia]);
        assert_eq!(
            R::ContentDeveloper.allowed_functions(),
            &[F::SocialMedia, F::Marketing, F::Creative]
        );
        assert_eq!(
            R::InfluencerRelations.allowed_functions(),
            &[F::PublicRelations, F::Marketing]
        );
        assert_eq!(R::ProductMarketing.allowed_functions(), &[F::Marketing]);
        assert_eq!(
            R::MetricsAnalyst.allowed_functions(),
            &[F::Analytics, F::SocialMedia]
        );
        assert_eq!(R::LegalUgcCounsel.allowed_functions(), &[F::Legal]);
        assert_eq!(
            R::LegalPrivacySecurityCounsel.allowed_functions(),
            &[F::Legal]
        );
        assert!(R::Strategist.allows(F::Marketing));
        assert!(!R::SocialMediaManager.allows(F::Legal));
    }

    #[test]
    fn recommended_functions_cover_all_twelve() {
        assert_eq!(RECOMMENDED_FUNCTIONS.len(), 12);
        for function in RoleFunction::ALL {
            assert!(RECOMMENDED_FUNCTIONS.contains(function));
        }
    }

    #[test]
    fn backdate_tolerance_is_five_minutes() {
        assert_eq!(BACKDATE_TOLERANCE, TimeDelta::minutes(5));
    }

    #[test]
    fn role_scope_serializes_as_struct() {
        let id = Uuid::nil();
        let json = serde_json::to_value(RoleScope::team(id)).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({ "kind": "TEAM", "id": "00000000-0000-0000-0000-000000000000" })
        );
        assert_eq!(RoleScope::organization(id).kind, ScopeKind::Organization);
        assert_eq!(RoleScope::channel(id).kind, ScopeKind::Channel);
    }
}
