//! `chorus demo`: a realistic organization so a front-end developer sees data at once —
//! divisions and virtual teams, employees and agency people with roles, reporting lines
//! and channels on several networks.

use std::sync::Arc;

use chorus_kernel::Actor;
use chorus_teams as domain;
use domain::{Affiliation as Aff, Responsibility as R, RoleFunction as F, SocialNetwork as N};
use uuid::Uuid;

use crate::cli::{init, run, CliError, Issued};
use crate::state::AppState;

struct Demo<'a> {
    state: &'a AppState,
    org: Uuid,
    admin: Uuid,
}

impl Demo<'_> {
    fn actor(&self) -> Actor {
        Actor::person(self.admin)
    }

    async fn team(&self, name: &str, parent: Option<Uuid>) -> Result<Uuid, CliError> {
        let id = Uuid::now_v7();
        let command = domain::TeamCommand::CreateTeam {
            team_id: id,
            organization_id: self.org,
            name: domain::TeamName::try_from(name)?,
            parent_id: parent,
        };
        run::<domain::Team>(self.state, self.org, self.actor(), id, command).await?;
        Ok(id)
    }

    async fn person(&self, name: &str, email: &str, affiliation: Aff) -> Result<Uuid, CliError> {
        let id = Uuid::now_v7();
        let command = domain::PersonCommand::AddPerson {
            person_id: id,
            organization_id: self.org,
            display_name: domain::DisplayName::try_from(name)?,
            email: domain::Email::try_from(email)?,
            affiliation,
            external_id: (affiliation == Aff::Internal)
                .then(|| {
                    domain::ExternalId::try_from(format!("HR-{}", &id.simple().to_string()[24..]))
                })
                .transpose()?,
        };
        run::<domain::Person>(self.state, self.org, self.actor(), id, command).await?;
        Ok(id)
    }

    async fn role(
        &self,
        person: Uuid,
        function: F,
        responsibility: Option<R>,
        scope: domain::RoleScope,
        reason: &str,
    ) -> Result<Uuid, CliError> {
        let id = Uuid::now_v7();
        let now = chorus_kernel::now();
        let command = domain::PersonCommand::AssignRole {
            assignment_id: id,
            function,
            responsibility,
            scope,
            effective_from: now,
            reason: domain::Reason::try_from(reason)?,
            granted_by: self.admin,
            now,
        };
        run::<domain::Person>(self.state, self.org, self.actor(), person, command).await?;
        Ok(id)
    }

    async fn reports_to(&self, person: Uuid, manager: Uuid) -> Result<(), CliError> {
        let command = domain::ReportingLinesCommand::SetReportingLine {
            person_id: person,
            manager_id: manager,
        };
        run::<domain::ReportingLines>(self.state, self.org, self.actor(), self.org, command)
            .await?;
        Ok(())
    }

    async fn channel(&self, team: Uuid, network: N, handle: &str) -> Result<Uuid, CliError> {
        let id = Uuid::now_v7();
        let command = domain::ChannelCommand::RegisterChannel {
            channel_id: id,
            organization_id: self.org,
            team_id: team,
            network,
            handle: domain::Handle::try_from(handle)?,
        };
        run::<domain::Channel>(self.state, self.org, self.actor(), id, command).await?;
        Ok(id)
    }
}

/// Loads the demo organization and returns the admin's credentials.
pub async fn load(state: &Arc<AppState>) -> Result<Issued, CliError> {
    let issued = init(
        state,
        "Northwind Outfitters",
        "olivia.hart@northwind.example",
        Some("Olivia Hart"),
    )
    .await?;
    let admin = issued
        .person_id
        .ok_or_else(|| CliError::Refused("init returned no admin".into()))?;
    let d = Demo {
        state,
        org: issued.organization_id,
        admin,
    };
    let org_scope = domain::RoleScope::organization(d.org);

    let marketing = d.team("Marketing Division", None).await?;
    let social = d.team("Social Media Hub", Some(marketing)).await?;
    let content = d.team("Brand & Content Studio", Some(marketing)).await?;
    let care = d.team("Customer Care", None).await?;
    let legal = d.team("Legal & Compliance", None).await?;
    let emea = d.team("EMEA Virtual Social Team", Some(social)).await?;

    d.role(
        admin,
        F::SeniorManagement,
        Some(R::Strategist),
        org_scope,
        "Founding executive sponsor of social media",
    )
    .await?;

    let priya = d
        .person(
            "Priya Raman",
            "priya.raman@northwind.example",
            Aff::Internal,
        )
        .await?;
    let marcus = d
        .person(
            "Marcus Chen",
            "marcus.chen@northwind.example",
            Aff::Internal,
        )
        .await?;
    let sofia = d
        .person(
            "Sofia Alvarez",
            "sofia.alvarez@northwind.example",
            Aff::Internal,
        )
        .await?;
    let tom = d
        .person("Tom Becker", "tom.becker@northwind.example", Aff::Internal)
        .await?;
    let amara = d
        .person(
            "Amara Okafor",
            "amara.okafor@northwind.example",
            Aff::Internal,
        )
        .await?;
    let lena = d
        .person(
            "Lena Fischer",
            "lena.fischer@northwind.example",
            Aff::Internal,
        )
        .await?;
    let jonas = d
        .person("Jonas Berg", "jonas@brightwave-agency.example", Aff::Agency)
        .await?;
    let keiko = d
        .person(
            "Keiko Tanaka",
            "keiko@tanaka-consulting.example",
            Aff::Consultant,
        )
        .await?;
    let ravi = d
        .person(
            "Ravi Patel",
            "ravi.patel.creative@freelance.example",
            Aff::Freelancer,
        )
        .await?;
    let hannah = d
        .person(
            "Hannah Moore",
            "hannah.moore@northwind.example",
            Aff::Internal,
        )
        .await?;

    let s = domain::RoleScope::team;
    d.role(
        priya,
        F::SocialMedia,
        Some(R::SocialMediaManager),
        s(social),
        "Runs day-to-day publishing and community management",
    )
    .await?;
    d.role(
        priya,
        F::SocialMedia,
        Some(R::Strategist),
        s(social),
        "Owns the social strategy for the division",
    )
    .await?;
    d.role(
        marcus,
        F::Marketing,
        Some(R::ContentDeveloper),
        s(content),
        "Maintains the editorial calendar",
    )
    .await?;
    d.role(
        ravi,
        F::Creative,
        Some(R::ContentDeveloper),
        s(content),
        "Freelance designer for campaign visuals",
    )
    .await?;
    d.role(
        sofia,
        F::CustomerService,
        None,
        s(care),
        "Leads social customer care",
    )
    .await?;
    d.role(
        tom,
        F::Sales,
        None,
        s(care),
        "Answers pricing and promotion questions routed from social",
    )
    .await?;
    d.role(
        amara,
        F::Legal,
        Some(R::LegalUgcCounsel),
        s(legal),
        "Reviews user-generated content rights",
    )
    .await?;
    d.role(
        lena,
        F::Legal,
        Some(R::LegalPrivacySecurityCounsel),
        s(legal),
        "Privacy and security counsel for campaigns",
    )
    .await?;
    d.role(
        jonas,
        F::PublicRelations,
        Some(R::InfluencerRelations),
        s(emea),
        "Agency partner for influencer outreach in EMEA",
    )
    .await?;
    d.role(
        keiko,
        F::Analytics,
        Some(R::MetricsAnalyst),
        s(social),
        "Monthly sentiment and engagement reports",
    )
    .await?;
    d.role(
        hannah,
        F::HumanResources,
        None,
        org_scope,
        "Social media policy and training",
    )
    .await?;
    d.role(
        priya,
        F::SocialMedia,
        Some(R::SocialMediaManager),
        s(emea),
        "Coordinates the EMEA virtual team",
    )
    .await?;

    for (person, manager) in [
        (priya, admin),
        (marcus, admin),
        (sofia, admin),
        (amara, admin),
        (tom, sofia),
        (lena, amara),
        (keiko, priya),
        (jonas, priya),
        (ravi, marcus),
        (hannah, admin),
    ] {
        d.reports_to(person, manager).await?;
    }

    let x = d.channel(social, N::X, "@northwind").await?;
    d.channel(social, N::Instagram, "@northwind.outfitters")
        .await?;
    d.channel(social, N::Linkedin, "northwind-outfitters")
        .await?;
    d.channel(emea, N::Tiktok, "@northwind_emea").await?;
    d.channel(care, N::X, "@northwind_help").await?;
    d.role(
        sofia,
        F::CustomerService,
        None,
        domain::RoleScope::channel(x),
        "Watches brand mentions for complaints",
    )
    .await?;
    Ok(issued)
}
