//! What a role assignment is made of (a function, perhaps a responsibility within it, and
//! the scope it applies to), how a person is attached to the organization, and how far a
//! grant may be backdated.

use chorus_shared::code_enum;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How far in the past a role grant's `effective_from` may lie relative to the
/// command's `now`. Small clock skew between client and server is tolerated,
/// real backdating is not: auditors rely on grants never predating approval.
pub const BACKDATE_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

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
    use crate::testing::assert_code_enum;

    #[test]
    fn enum_names_match_serde_and_parse_back() {
        assert_code_enum(Affiliation::ALL, Affiliation::as_str, 4, "affiliation");
        assert_code_enum(RoleFunction::ALL, RoleFunction::as_str, 12, "function");
        let responsibilities = Responsibility::ALL;
        assert_code_enum(
            responsibilities,
            Responsibility::as_str,
            8,
            "responsibility",
        );
        assert_code_enum(ScopeKind::ALL, ScopeKind::as_str, 3, "scope");
        assert_eq!(
            Responsibility::LegalUgcCounsel.as_str(),
            "LEGAL_UGC_COUNSEL"
        );
        let err = "internal".parse::<Affiliation>().expect_err("case matters");
        assert_eq!(
            err.rule,
            "must be one of INTERNAL, AGENCY, CONSULTANT, FREELANCER"
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
