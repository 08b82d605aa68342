//! `chorus demo`: a realistic organization so a front-end developer sees data at once —
//! divisions and virtual teams, employees and agency people with roles, reporting lines
//! and channels on several networks.

use std::sync::Arc;

use chorus_content as content;
use chorus_kernel::Actor;
use chorus_teams as domain;
use domain::{Affiliation as Aff, Responsibility as R, RoleFunction as F, SocialNetwork as N};
use uuid::Uuid;

use crate::cli::{init, run, CliError, Issued};
use crate::content::service;
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
    let instagram = d
        .channel(social, N::Instagram, "@northwind.outfitters")
        .await?;
    let linkedin = d
        .channel(social, N::Linkedin, "northwind-outfitters")
        .await?;
    let tiktok = d.channel(emea, N::Tiktok, "@northwind_emea").await?;
    let care_x = d.channel(care, N::X, "@northwind_help").await?;
    d.role(
        sofia,
        F::CustomerService,
        None,
        domain::RoleScope::channel(x),
        "Watches brand mentions for complaints",
    )
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
    Ok(issued)
}

// ---------------------------------------------------------------------------------------
// Content: policies, the lexicon, posts in every state and legal reviews
// ---------------------------------------------------------------------------------------

/// The demo people who write, sign and review content.
struct People {
    /// Founding admin, SENIOR_MANAGEMENT strategist (signs the brand step).
    olivia: Uuid,
    /// Social media manager and strategist of the Social Media Hub (authors, publishes).
    priya: Uuid,
    /// Agency PR partner of the EMEA virtual team (authors on TikTok).
    jonas: Uuid,
    /// LEGAL, user-generated content counsel.
    amara: Uuid,
    /// LEGAL, privacy and security counsel.
    lena: Uuid,
}

/// The demo channels posts go to.
struct Channels {
    /// @northwind on X (Social Media Hub).
    x: Uuid,
    instagram: Uuid,
    linkedin: Uuid,
    /// @northwind_emea on TikTok (EMEA virtual team).
    tiktok: Uuid,
    /// @northwind_help on X (Customer Care).
    care_x: Uuid,
}

/// What a demo post is written with.
struct Draft<'a> {
    author: Uuid,
    channels: &'a [Uuid],
    text: &'a str,
    media: &'a [&'a str],
    campaign: Option<&'a str>,
    scheduled_in: Option<chrono::Duration>,
    flags: &'a [content::ContentFlag],
}

impl<'a> Draft<'a> {
    fn new(author: Uuid, channels: &'a [Uuid], text: &'a str) -> Self {
        Draft {
            author,
            channels,
            text,
            media: &[],
            campaign: None,
            scheduled_in: None,
            flags: &[],
        }
    }
}

fn rule(function: F, responsibility: Option<R>) -> content::SignerRule {
    content::SignerRule {
        function,
        responsibility,
    }
}

fn step(
    name: &str,
    flags_any: Vec<content::ContentFlag>,
    signers: Vec<content::SignerRule>,
) -> Result<content::PolicyStep, CliError> {
    Ok(content::PolicyStep {
        name: content::StepName::try_from(name)?,
        conditions: content::StepConditions {
            flags_any,
            ..content::StepConditions::default()
        },
        signers,
        required_signatures: 1,
    })
}

impl Demo<'_> {
    async fn policy(
        &self,
        scope: content::PolicyScope,
        steps: Vec<content::PolicyStep>,
        delegation: Option<content::Delegation>,
    ) -> Result<Uuid, CliError> {
        let id = Uuid::now_v7();
        let command = content::ApprovalPolicyCommand::DefinePolicy {
            policy_id: id,
            organization_id: self.org,
            scope,
            definition: content::PolicyDefinition::new(steps, delegation)?,
            by: self.admin,
        };
        run::<content::ApprovalPolicy>(self.state, self.org, self.actor(), id, command).await?;
        Ok(id)
    }

    async fn lexicon_term(
        &self,
        by: Uuid,
        flag: content::ContentFlag,
        term: &str,
    ) -> Result<(), CliError> {
        let command = content::LexiconCommand::AddLexiconTerm {
            organization_id: self.org,
            flag,
            term: content::LexiconTerm::try_from(term)?,
            by,
        };
        run::<content::Lexicon>(self.state, self.org, Actor::person(by), self.org, command).await?;
        Ok(())
    }

    /// Runs a post command as `by`.
    async fn post_command(
        &self,
        post: Uuid,
        by: Uuid,
        command: content::PostCommand,
    ) -> Result<(), CliError> {
        run::<content::Post>(self.state, self.org, Actor::person(by), post, command).await?;
        Ok(())
    }

    /// Drafts a post as the GraphQL `draftPost` does: the author's qualifying roles
    /// for the channels and the lexicon's matches go into the command.
    async fn draft(&self, draft: Draft<'_>) -> Result<Uuid, CliError> {
        let now = chorus_kernel::now();
        let author_roles =
            service::qualifying_roles(&self.state.db, self.org, draft.author, draft.channels, now)
                .await?;
        if !service::may_author(&author_roles) {
            return Err(CliError::Refused(format!(
                "demo author {} holds no authoring role for the post's channels",
                draft.author
            )));
        }
        let text = content::PostText::try_from(draft.text)?;
        let lexicon_matches =
            service::scan_lexicon(&self.state.store, self.org, text.as_str()).await?;
        let id = Uuid::now_v7();
        let command = content::PostCommand::DraftPost {
            post_id: id,
            organization_id: self.org,
            author_id: draft.author,
            author_roles,
            channel_ids: draft.channels.to_vec(),
            text,
            media: draft
                .media
                .iter()
                .map(|m| content::MediaUrl::try_from(*m))
                .collect::<Result<_, _>>()?,
            campaign: draft
                .campaign
                .map(content::CampaignName::try_from)
                .transpose()?,
            scheduled_at: draft.scheduled_in.map(|d| now + d),
            author_flags: draft.flags.to_vec(),
            lexicon_matches,
            now,
        };
        self.post_command(id, draft.author, command).await?;
        Ok(id)
    }

    /// Submits a post under the policies in force now, as `submitPost` does.
    async fn submit(&self, post: Uuid, author: Uuid, channels: &[Uuid]) -> Result<(), CliError> {
        let policies =
            service::resolve_policies(&self.state.db, &self.state.store, self.org, channels)
                .await?;
        let command = content::PostCommand::SubmitPost {
            policies,
            by: author,
            now: chorus_kernel::now(),
        };
        self.post_command(post, author, command).await
    }

    /// Signs the first open step `signer` is entitled to, as `approvePost` does.
    async fn approve(
        &self,
        post: Uuid,
        signer: Uuid,
        channels: &[Uuid],
        comment: Option<&str>,
    ) -> Result<(), CliError> {
        let now = chorus_kernel::now();
        let signer_roles =
            service::qualifying_roles(&self.state.db, self.org, signer, channels, now).await?;
        let command = content::PostCommand::ApprovePost {
            signer_id: signer,
            signer_roles,
            step: None,
            comment: comment.map(content::Comment::try_from).transpose()?,
            now,
        };
        self.post_command(post, signer, command).await
    }

    async fn reject(
        &self,
        post: Uuid,
        signer: Uuid,
        channels: &[Uuid],
        comment: &str,
    ) -> Result<(), CliError> {
        let now = chorus_kernel::now();
        let signer_roles =
            service::qualifying_roles(&self.state.db, self.org, signer, channels, now).await?;
        let command = content::PostCommand::RejectPost {
            signer_id: signer,
            signer_roles,
            comment: content::Comment::try_from(comment)?,
            now,
        };
        self.post_command(post, signer, command).await
    }

    /// Records a publication as `markPublished` does (delegated authority is decided
    /// by the domain against the policies in force now).
    async fn publish(
        &self,
        post: Uuid,
        publisher: Uuid,
        channels: &[Uuid],
        network_post_id: &str,
        url: &str,
    ) -> Result<(), CliError> {
        let now = chorus_kernel::now();
        let publisher_roles =
            service::qualifying_roles(&self.state.db, self.org, publisher, channels, now).await?;
        let delegation_policies =
            service::resolve_policies(&self.state.db, &self.state.store, self.org, channels)
                .await?;
        let command = content::PostCommand::MarkPublished {
            publisher_id: publisher,
            publisher_roles,
            network_post_id: content::NetworkPostId::try_from(network_post_id)?,
            url: content::PublishedUrl::try_from(url)?,
            delegation_policies,
            now,
        };
        self.post_command(post, publisher, command).await
    }

    async fn retract(&self, post: Uuid, by: Uuid, reason: &str) -> Result<(), CliError> {
        let command = content::PostCommand::RetractPost {
            reason: content::Comment::try_from(reason)?,
            by,
            now: chorus_kernel::now(),
        };
        self.post_command(post, by, command).await
    }

    /// Logs a legal review of a post and applies it to the post, as `logLegalReview`
    /// does.
    #[allow(clippy::too_many_arguments)]
    async fn legal_review(
        &self,
        reviewer: Uuid,
        post: Uuid,
        kind: content::ReviewKind,
        outcome: content::ReviewOutcome,
        conditions: Option<&str>,
        notes: &str,
        references: &[&str],
    ) -> Result<Uuid, CliError> {
        let now = chorus_kernel::now();
        let reviewer_role = service::legal_role(&self.state.db, self.org, reviewer, now)
            .await?
            .ok_or_else(|| CliError::Refused("demo reviewer holds no legal role".into()))?;
        let id = Uuid::now_v7();
        let command = content::LegalReviewCommand::LogLegalReview {
            review_id: id,
            organization_id: self.org,
            subject_kind: content::ReviewSubjectKind::Post,
            subject_id: Some(post),
            subject_reference: None,
            kind,
            outcome,
            conditions: conditions
                .map(|c| content::ReviewText::parse_field("conditions", c))
                .transpose()?,
            notes: Some(content::ReviewText::parse_field("notes", notes)?),
            references: references.iter().map(|r| (*r).to_owned()).collect(),
            reviewer_id: reviewer,
            reviewer_role,
            now,
        };
        run::<content::LegalReview>(self.state, self.org, Actor::person(reviewer), id, command)
            .await?;
        let applied = content::PostCommand::ApplyLegalReview {
            review_id: id,
            outcome,
            now,
        };
        self.post_command(post, reviewer, applied).await?;
        Ok(id)
    }
}

/// Policies, the lexicon, posts in every state and legal reviews, on top of the teams
/// data. Times are relative to now; scheduled times lie in the future.
async fn load_content(d: &Demo<'_>, p: &People, c: &Channels) -> Result<(), CliError> {
    use content::ContentFlag as Flag;
    use content::{ReviewKind as Kind, ReviewOutcome as Outcome};
    use domain::ScopeKind;

    // The organization's policy: a brand sign-off for everything, legal for risky
    // content; social media managers publish flag-free replies on their own authority.
    d.policy(
        content::PolicyScope {
            kind: ScopeKind::Organization,
            id: d.org,
        },
        vec![
            step(
                "brand",
                vec![],
                vec![
                    rule(F::SocialMedia, Some(R::Strategist)),
                    rule(F::SeniorManagement, None),
                ],
            )?,
            step(
                "legal",
                vec![
                    Flag::ContainsUserGeneratedContent,
                    Flag::ContestOrPromotion,
                    Flag::RegulatedClaim,
                ],
                vec![rule(F::Legal, None)],
            )?,
        ],
        Some(content::Delegation {
            holders: vec![rule(F::SocialMedia, Some(R::SocialMediaManager))],
        }),
    )
    .await?;
    // Customer care's X account: a care lead signs, and anything crisis-related also
    // goes past senior management.
    d.policy(
        content::PolicyScope {
            kind: ScopeKind::Channel,
            id: c.care_x,
        },
        vec![
            step("care-lead", vec![], vec![rule(F::CustomerService, None)])?,
            step(
                "crisis",
                vec![Flag::CrisisRelated],
                vec![rule(F::SeniorManagement, None)],
            )?,
        ],
        Some(content::Delegation {
            holders: vec![
                rule(F::SocialMedia, Some(R::SocialMediaManager)),
                rule(F::CustomerService, None),
            ],
        }),
    )
    .await?;

    for (flag, term) in [
        (Flag::MentionsPricing, "discount"),
        // Not "% off": the lexicon matches whole words only, so it would never match
        // "20% off" (the "%" is glued to a digit).
        (Flag::MentionsPricing, "sale"),
        (Flag::MentionsPricing, "percent off"),
        (Flag::ContestOrPromotion, "giveaway"),
        (Flag::ContestOrPromotion, "contest"),
        (Flag::RegulatedClaim, "clinically proven"),
        (Flag::CrisisRelated, "outage"),
    ] {
        d.lexicon_term(p.amara, flag, term).await?;
    }

    let x = [c.x];
    let instagram = [c.instagram];
    let linkedin = [c.linkedin];
    let tiktok = [c.tiktok];
    let x_and_linkedin = [c.x, c.linkedin];
    let days = chrono::Duration::days;

    // DRAFT: the agency's TikTok idea, not yet submitted.
    d.draft(Draft {
        campaign: Some("EMEA Trail Stories"),
        ..Draft::new(
            p.jonas,
            &tiktok,
            "Behind the scenes with our EMEA trail runners: 5 days, 3 countries, 1 pair of boots.",
        )
    })
    .await?;

    // IN_REVIEW with a partial signature: brand signed, legal (the giveaway) pending —
    // it waits in the legal team's approval inbox.
    let giveaway = d
        .draft(Draft {
            campaign: Some("Autumn Trail 2026"),
            scheduled_in: Some(days(10)),
            ..Draft::new(
                p.priya,
                &instagram,
                "Autumn giveaway! Tag a hiking buddy below for a chance to win a Ridge jacket.",
            )
        })
        .await?;
    d.submit(giveaway, p.priya, &instagram).await?;
    d.approve(
        giveaway,
        p.olivia,
        &instagram,
        Some("On brand — over to legal."),
    )
    .await?;

    // APPROVED: the agency's TikTok clip, signed by the social media strategist.
    let clip = d
        .draft(Draft {
            media: &["https://cdn.northwind.example/emea/trail-clip.mp4"],
            campaign: Some("EMEA Trail Stories"),
            ..Draft::new(
                p.jonas,
                &tiktok,
                "Sunrise on the Dolomites ridge. Where is your favourite trail?",
            )
        })
        .await?;
    d.submit(clip, p.jonas, &tiktok).await?;
    d.approve(clip, p.priya, &tiktok, None).await?;

    // REJECTED: a regulated claim legal will not let through.
    let claim = d
        .draft(Draft::new(
            p.priya,
            &x,
            "Our new thermal base layer is clinically proven to keep you 5 degrees warmer.",
        ))
        .await?;
    d.submit(claim, p.priya, &x).await?;
    d.reject(
        claim,
        p.lena,
        &x,
        "We hold no clinical study for this claim; describe the fabric instead.",
    )
    .await?;

    // SCHEDULED: a pricing post (the lexicon flags "sale"; brand only), approved for
    // next week.
    let sale = d
        .draft(Draft {
            campaign: Some("Autumn Trail 2026"),
            scheduled_in: Some(days(7)),
            ..Draft::new(
                p.priya,
                &linkedin,
                "Weekend sale: 20% off all rain shells, in store and online.",
            )
        })
        .await?;
    d.submit(sale, p.priya, &linkedin).await?;
    d.approve(sale, p.olivia, &linkedin, None).await?;

    // PUBLISHED after approval, on two channels.
    let launch = d
        .draft(Draft {
            media: &["https://cdn.northwind.example/autumn/collection.jpg"],
            campaign: Some("Autumn Trail 2026"),
            ..Draft::new(
                p.priya,
                &x_and_linkedin,
                "The Autumn Trail collection is here: lighter packs, warmer layers, same lifetime repairs.",
            )
        })
        .await?;
    d.submit(launch, p.priya, &x_and_linkedin).await?;
    d.approve(
        launch,
        p.olivia,
        &x_and_linkedin,
        Some("Great launch copy."),
    )
    .await?;
    d.publish(
        launch,
        p.priya,
        &x_and_linkedin,
        "1850000000000000001",
        "https://x.com/northwind/status/1850000000000000001",
    )
    .await?;

    // PUBLISHED under delegated authority: a flag-free reply, never submitted.
    let reply = d
        .draft(Draft::new(
            p.priya,
            &x,
            "Thanks for the kind words, Sam! See you on the trail.",
        ))
        .await?;
    d.publish(
        reply,
        p.priya,
        &x,
        "1850000000000000002",
        "https://x.com/northwind/status/1850000000000000002",
    )
    .await?;

    // RETRACTED: published with the wrong date, then taken down.
    let opening = d
        .draft(Draft::new(
            p.priya,
            &x,
            "Join us for the opening of our Berlin flagship store on 12 October!",
        ))
        .await?;
    d.submit(opening, p.priya, &x).await?;
    d.approve(opening, p.olivia, &x, None).await?;
    d.publish(
        opening,
        p.priya,
        &x,
        "1850000000000000003",
        "https://x.com/northwind/status/1850000000000000003",
    )
    .await?;
    d.retract(
        opening,
        p.priya,
        "Wrong opening date; a corrected post follows.",
    )
    .await?;

    // A user-generated photo cleared by legal with conditions, then fully signed and
    // scheduled.
    let ugc = d
        .draft(Draft {
            media: &["https://cdn.northwind.example/ugc/alpine-sam-summit.jpg"],
            campaign: Some("Autumn Trail 2026"),
            scheduled_in: Some(days(3)),
            flags: &[Flag::ContainsUserGeneratedContent],
            ..Draft::new(
                p.priya,
                &instagram,
                "Summit views from @alpine_sam in the Ridge jacket. Share yours with #NorthwindTrails!",
            )
        })
        .await?;
    d.submit(ugc, p.priya, &instagram).await?;
    d.legal_review(
        p.amara,
        ugc,
        Kind::UgcRights,
        Outcome::ClearedWithConditions,
        Some("Credit @alpine_sam in the caption; licence limited to 12 months on owned channels."),
        "Written permission received by direct message on the creator's account.",
        &["https://instagram.com/p/alpine-sam-summit"],
    )
    .await?;
    d.approve(
        ugc,
        p.amara,
        &instagram,
        Some("Cleared under the UGC licence."),
    )
    .await?;
    d.approve(ugc, p.olivia, &instagram, None).await?;

    // A contest blocked by legal: it stays in review and cannot be approved or published.
    let contest = d
        .draft(Draft {
            campaign: Some("Autumn Trail 2026"),
            ..Draft::new(
                p.priya,
                &x,
                "Photo contest: post your best trail shot and win a year of free gear!",
            )
        })
        .await?;
    d.submit(contest, p.priya, &x).await?;
    d.legal_review(
        p.lena,
        contest,
        Kind::Privacy,
        Outcome::Blocked,
        None,
        "The entry form collects email addresses without a privacy notice or official rules.",
        &["https://legal.northwind.example/contests/official-rules-template"],
    )
    .await?;
    Ok(())
}
