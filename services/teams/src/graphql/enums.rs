//! The teams enums, mirrored from the domain so the schema names them.

use super::*;

mirror_enum!(
    /// How a person is attached to the organization.
    Affiliation => domain::Affiliation { Internal, Agency, Consultant, Freelancer }
);
mirror_enum!(
    /// A function a social media team needs represented.
    RoleFunction => domain::RoleFunction { SeniorManagement, SocialMedia, Marketing, PublicRelations, CustomerService, Sales, Creative, Technology, Production, Analytics, HumanResources, Legal }
);
mirror_enum!(
    /// A responsibility within a function.
    Responsibility => domain::Responsibility { Strategist, SocialMediaManager, ContentDeveloper, InfluencerRelations, ProductMarketing, MetricsAnalyst, LegalUgcCounsel, LegalPrivacySecurityCounsel }
);
mirror_enum!(
    /// A social network an organization account lives on.
    SocialNetwork => domain::SocialNetwork { X, Facebook, Instagram, Linkedin, Tiktok, Youtube, Threads, Bluesky, Mastodon, Pinterest, Reddit, Other }
);
mirror_enum!(
    /// Where a role applies.
    ScopeKind => domain::ScopeKind { Organization, Team, Channel }
);

/// Whether a person is still with the organization.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PersonStatus {
    Active,
    Offboarded,
}
