//! `chorus demo`: a realistic organization so a front-end developer sees data at once —
//! divisions and virtual teams, employees and agency people with roles, reporting lines
//! and channels on several networks; then content ([`crate::demo_content`]). Every step
//! runs the use case its GraphQL mutation runs, as the person who would do it.

use std::sync::Arc;

use chorus_api::{outcome_uuid, ApiResult, Caller, Principal};
use chorus_kernel::{Actor, CommandOutcome};
use chorus_teams as domain;
use chorus_teams::commands as teams_uc;
use domain::{Affiliation as Aff, Responsibility as R, RoleFunction as F, SocialNetwork as N};
use teams_uc::{AdminCommand, ScopeRef};
use uuid::Uuid;

use crate::cli::{init, CliError, Issued};
use crate::demo_cases::{load_cases, CaseWorkers};
use crate::demo_content::{load_content, Channels, People};
use crate::state::AppState;

/// The demo organization being loaded: its id and founding admin.
pub(crate) struct Demo<'a> {
    state: &'a AppState,
    pub(crate) org: Uuid,
    pub(crate) admin: Uuid,
}

impl Demo<'_> {
    /// The runtime the use cases run against.
    pub(crate) fn runtime(&self) -> std::sync::Arc<chorus_api::Runtime> {
        self.state.runtime.clone()
    }

    /// Waits until the read models include every event appended so far (the timer's
    /// events are appended outside the use cases' read-your-writes).
    pub(crate) async fn settle(&self) -> Result<(), CliError> {
        let head = self.state.reader.head().await?;
        Ok(self.state.runtime.wait_for(head).await?)
    }

    /// `person`, as the use cases see a caller (channel `demo`).
    fn principal(&self, person: Uuid) -> Principal {
        Principal::without_token(self.org, Actor::person(person))
    }

    /// Runs `use_case` as `person` through the `demo` door.
    pub(crate) async fn as_person<T, U>(&self, person: Uuid, use_case: U) -> Result<T, CliError>
    where
        U: AsyncFnOnce(Caller<'_>) -> ApiResult<T>,
    {
        let principal = self.principal(person);
        let caller = Caller {
            runtime: &self.state.runtime,
            principal: &principal,
            channel: "demo",
        };
        Ok(use_case(caller).await?)
    }

    /// Runs `use_case` as the admin and answers the id of what it created.
    pub(crate) async fn admin_creates<U>(&self, use_case: U) -> Result<Uuid, CliError>
    where
        U: AsyncFnOnce(Caller<'_>) -> ApiResult<CommandOutcome>,
    {
        let outcome = self.as_person(self.admin, use_case).await?;
        Ok(outcome_uuid(&outcome)?)
    }

    /// Runs a teams use case as the admin and answers the id of what it created.
    async fn created(&self, use_case: impl AdminCommand) -> Result<Uuid, CliError> {
        self.admin_creates(async |c| teams_uc::run(c, use_case, None).await)
            .await
    }

    async fn team(&self, name: &str, parent_id: Option<Uuid>) -> Result<Uuid, CliError> {
        let input = teams_uc::CreateTeam {
            name: domain::TeamName::try_from(name)?,
            parent_id,
        };
        self.created(input).await
    }

    async fn person(
        &self,
        (name, email, affiliation): (&str, &str, Aff),
    ) -> Result<Uuid, CliError> {
        let external_id = (affiliation == Aff::Internal)
            .then(|| {
                let suffix = Uuid::new_v4().simple().to_string();
                domain::ExternalId::try_from(format!("HR-{}", &suffix[24..]))
            })
            .transpose()?;
        let input = teams_uc::AddPerson {
            display_name: domain::DisplayName::try_from(name)?,
            email: domain::Email::try_from(email)?,
            affiliation,
            external_id,
        };
        self.created(input).await
    }

    async fn role(
        &self,
        (person_id, function, responsibility, scope, reason): (Uuid, F, Option<R>, ScopeRef, &str),
    ) -> Result<Uuid, CliError> {
        let input = teams_uc::AssignRole {
            person_id,
            function,
            responsibility,
            scope,
            effective_from: None,
            reason: domain::Reason::try_from(reason)?,
        };
        let assigned = self
            .as_person(self.admin, async |c| input.assign(c, None).await)
            .await?;
        assigned
            .assignment_id
            .ok_or_else(|| CliError::Refused("demo role assignment was replayed".into()))
    }

    async fn reports_to(&self, person_id: Uuid, manager_id: Uuid) -> Result<(), CliError> {
        let input = teams_uc::SetReportingLine {
            person_id,
            manager_id,
        };
        self.as_person(self.admin, async |c| teams_uc::run(c, input, None).await)
            .await?;
        Ok(())
    }

    async fn channel(&self, team_id: Uuid, network: N, handle: &str) -> Result<Uuid, CliError> {
        let input = teams_uc::RegisterChannel {
            team_id,
            network,
            handle: domain::Handle::try_from(handle)?,
        };
        self.created(input).await
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

    let marketing = d.team("Marketing Division", None).await?;
    let social = d.team("Social Media Hub", Some(marketing)).await?;
    let content = d.team("Brand & Content Studio", Some(marketing)).await?;
    let care = d.team("Customer Care", None).await?;
    let legal = d.team("Legal & Compliance", None).await?;
    let emea = d.team("EMEA Virtual Social Team", Some(social)).await?;

    let org = ScopeRef::Organization;
    d.role((
        admin,
        F::SeniorManagement,
        Some(R::Strategist),
        org,
        "Founding executive sponsor of social media",
    ))
    .await?;

    // One line a person and a role: the table reads better than rustfmt's columns.
    #[rustfmt::skip]
    let joiners = [
        ("Priya Raman", "priya.raman@northwind.example", Aff::Internal),
        ("Marcus Chen", "marcus.chen@northwind.example", Aff::Internal),
        ("Sofia Alvarez", "sofia.alvarez@northwind.example", Aff::Internal),
        ("Tom Becker", "tom.becker@northwind.example", Aff::Internal),
        ("Amara Okafor", "amara.okafor@northwind.example", Aff::Internal),
        ("Lena Fischer", "lena.fischer@northwind.example", Aff::Internal),
        ("Jonas Berg", "jonas@brightwave-agency.example", Aff::Agency),
        ("Keiko Tanaka", "keiko@tanaka-consulting.example", Aff::Consultant),
        ("Ravi Patel", "ravi.patel.creative@freelance.example", Aff::Freelancer),
        ("Hannah Moore", "hannah.moore@northwind.example", Aff::Internal),
    ];
    let mut people = Vec::new();
    for person in joiners {
        people.push(d.person(person).await?);
    }
    let [priya, marcus, sofia, tom, amara, lena, jonas, keiko, ravi, hannah] = people[..] else {
        return Err(CliError::Refused("demo people missing".into()));
    };

    let team = ScopeRef::Team;
    #[rustfmt::skip]
    let roles = [
        (priya, F::SocialMedia, Some(R::SocialMediaManager), team(social), "Runs day-to-day publishing and community management"),
        (priya, F::SocialMedia, Some(R::Strategist), team(social), "Owns the social strategy for the division"),
        (marcus, F::Marketing, Some(R::ContentDeveloper), team(content), "Maintains the editorial calendar"),
        (ravi, F::Creative, Some(R::ContentDeveloper), team(content), "Freelance designer for campaign visuals"),
        (sofia, F::CustomerService, None, team(care), "Leads social customer care"),
        (tom, F::Sales, None, team(care), "Answers pricing and promotion questions routed from social"),
        (amara, F::Legal, Some(R::LegalUgcCounsel), team(legal), "Reviews user-generated content rights"),
        (lena, F::Legal, Some(R::LegalPrivacySecurityCounsel), team(legal), "Privacy and security counsel for campaigns"),
        (jonas, F::PublicRelations, Some(R::InfluencerRelations), team(emea), "Agency partner for influencer outreach in EMEA"),
        (keiko, F::Analytics, Some(R::MetricsAnalyst), team(social), "Monthly sentiment and engagement reports"),
        (hannah, F::HumanResources, None, org, "Social media policy and training"),
        (priya, F::SocialMedia, Some(R::SocialMediaManager), team(emea), "Coordinates the EMEA virtual team"),
    ];
    for role in roles {
        d.role(role).await?;
    }

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
    let instagram = d
        .channel(social, N::Instagram, "@northwind.outfitters")
        .await?;
    let linkedin = d
        .channel(social, N::Linkedin, "northwind-outfitters")
        .await?;
    let tiktok = d.channel(emea, N::Tiktok, "@northwind_emea").await?;
    let care_x = d.channel(care, N::X, "@northwind_help").await?;
    d.role((
        sofia,
        F::CustomerService,
        None,
        ScopeRef::Channel(x),
        "Watches brand mentions for complaints",
    ))
    .await?;

    let people = People {
        olivia: admin,
        priya,
        jonas,
        amara,
        lena,
    };
    let channels = Channels {
        x,
        instagram,
        linkedin,
        tiktok,
        care_x,
    };
    load_content(&d, &people, &channels).await?;
    let workers = CaseWorkers {
        olivia: admin,
        priya,
        sofia,
        tom,
        care,
        social,
        care_x,
    };
    load_cases(&d, &workers).await?;
    Ok(issued)
}
