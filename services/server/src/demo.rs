//! `chorus demo`: a realistic organization so a front-end developer sees data at once —
//! divisions and virtual teams, employees and agency people with roles, reporting lines
//! and channels on several networks.

use std::sync::Arc;

use chorus_content as content;
use chorus_kernel::Actor;
use chorus_teams as domain;
use domain::{Affiliation as Aff, Responsibility as R, RoleFunction as F, SocialNetwork as N};
use uuid::Uuid;

use chorus_api::{outcome_uuid, Caller, Principal};
use chorus_content::commands as content_uc;
use chorus_teams::commands as teams_uc;

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

    /// `person`, as the use cases see a caller (channel `demo`).
    fn principal(&self, person: Uuid) -> Principal {
        Principal {
            organization_id: self.org,
            actor: Actor::person(person),
            scopes: Default::default(),
            expires_at: chrono::DateTime::<chrono::Utc>::MAX_UTC,
            token_id: None,
        }
    }

    fn caller<'p>(&'p self, principal: &'p Principal) -> Caller<'p> {
        Caller {
            runtime: &self.state.runtime,
            principal,
            channel: "demo",
        }
    }

    async fn team(&self, name: &str, parent: Option<Uuid>) -> Result<Uuid, CliError> {
        let admin = self.principal(self.admin);
        let input = teams_uc::CreateTeam {
            name: domain::TeamName::try_from(name)?,
            parent_id: parent,
        };
        let outcome = teams_uc::create_team(self.caller(&admin), input, None).await?;
        Ok(outcome_uuid(&outcome)?)
    }

    async fn person(&self, name: &str, email: &str, affiliation: Aff) -> Result<Uuid, CliError> {
        let admin = self.principal(self.admin);
        let input = teams_uc::AddPerson {
            display_name: domain::DisplayName::try_from(name)?,
            email: domain::Email::try_from(email)?,
            affiliation,
            external_id: (affiliation == Aff::Internal)
                .then(|| {
                    let suffix = Uuid::new_v4().simple().to_string();
                    domain::ExternalId::try_from(format!("HR-{}", &suffix[24..]))
                })
                .transpose()?,
        };
        let outcome = teams_uc::add_person(self.caller(&admin), input, None).await?;
        Ok(outcome_uuid(&outcome)?)
    }

    async fn role(
        &self,
        person: Uuid,
        function: F,
        responsibility: Option<R>,
        scope: domain::RoleScope,
        reason: &str,
    ) -> Result<Uuid, CliError> {
        let admin = self.principal(self.admin);
        let input = teams_uc::AssignRole {
            person_id: person,
            function,
            responsibility,
            scope: match scope.kind {
                domain::ScopeKind::Organization => teams_uc::ScopeRef::Organization,
                domain::ScopeKind::Team => teams_uc::ScopeRef::Team(scope.id),
                domain::ScopeKind::Channel => teams_uc::ScopeRef::Channel(scope.id),
            },
            effective_from: None,
            reason: domain::Reason::try_from(reason)?,
        };
        let assigned = teams_uc::assign_role(self.caller(&admin), input, None).await?;
        assigned
            .assignment_id
            .ok_or_else(|| CliError::Refused("demo role assignment was replayed".into()))
    }

    async fn reports_to(&self, person: Uuid, manager: Uuid) -> Result<(), CliError> {
        let admin = self.principal(self.admin);
        let input = teams_uc::SetReportingLine {
            person_id: person,
            manager_id: manager,
        };
        teams_uc::set_reporting_line(self.caller(&admin), input, None).await?;
        Ok(())
    }

    async fn channel(&self, team: Uuid, network: N, handle: &str) -> Result<Uuid, CliError> {
        let admin = self.principal(self.admin);
        let input = teams_uc::RegisterChannel {
            team_id: team,
            network,
            handle: domain::Handle::try_from(handle)?,
        };
        let outcome = teams_uc::register_channel(self.caller(&admin), input, None).await?;
        Ok(outcome_uuid(&outcome)?)
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

    /// Drafts a post through the `draftPost` use case.
    async fn draft(&self, draft: Draft<'_>) -> Result<Uuid, CliError> {
        let author = self.principal(draft.author);
        let input = content_uc::DraftPost {
            channel_ids: draft.channels.to_vec(),
            text: content::PostText::try_from(draft.text)?,
            media: draft
                .media
                .iter()
                .map(|m| content::MediaUrl::try_from(*m))
                .collect::<Result<_, _>>()?,
            campaign: draft
                .campaign
                .map(content::CampaignName::try_from)
                .transpose()?,
            scheduled_at: draft.scheduled_in.map(|d| chorus_kernel::now() + d),
            author_flags: draft.flags.to_vec(),
        };
        let outcome = content_uc::draft_post(self.caller(&author), input, None).await?;
        Ok(outcome_uuid(&outcome)?)
    }

    /// Submits a post under the policies in force now.
    async fn submit(&self, post: Uuid, author: Uuid) -> Result<(), CliError> {
        let author = self.principal(author);
        let input = content_uc::SubmitPost { post_id: post };
        content_uc::submit_post(self.caller(&author), input, None).await?;
        Ok(())
    }

    /// Signs the first open step `signer` is entitled to.
    async fn approve(
        &self,
        post: Uuid,
        signer: Uuid,
        comment: Option<&str>,
    ) -> Result<(), CliError> {
        let signer = self.principal(signer);
        let input = content_uc::ApprovePost {
            post_id: post,
            step: None,
            comment: comment.map(content::Comment::try_from).transpose()?,
        };
        content_uc::approve_post(self.caller(&signer), input, None).await?;
        Ok(())
    }

    async fn reject(&self, post: Uuid, signer: Uuid, comment: &str) -> Result<(), CliError> {
        let signer = self.principal(signer);
        let input = content_uc::RejectPost {
            post_id: post,
            comment: content::Comment::try_from(comment)?,
        };
        content_uc::reject_post(self.caller(&signer), input, None).await?;
        Ok(())
    }

    /// Records a publication (delegated authority is decided by the domain against the
    /// policies in force now).
    async fn publish(
        &self,
        post: Uuid,
        publisher: Uuid,
        network_post_id: &str,
        url: &str,
    ) -> Result<(), CliError> {
        let publisher = self.principal(publisher);
        let input = content_uc::MarkPublished {
            post_id: post,
            network_post_id: content::NetworkPostId::try_from(network_post_id)?,
            url: content::PublishedUrl::try_from(url)?,
        };
        content_uc::mark_published(self.caller(&publisher), input, None).await?;
        Ok(())
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
    d.submit(giveaway, p.priya).await?;
    d.approve(giveaway, p.olivia, Some("On brand — over to legal."))
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
    d.submit(clip, p.jonas).await?;
    d.approve(clip, p.priya, None).await?;

    // REJECTED: a regulated claim legal will not let through.
    let claim = d
        .draft(Draft::new(
            p.priya,
            &x,
            "Our new thermal base layer is clinically proven to keep you 5 degrees warmer.",
        ))
        .await?;
    d.submit(claim, p.priya).await?;
    d.reject(
        claim,
        p.lena,
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
    d.submit(sale, p.priya).await?;
    d.approve(sale, p.olivia, None).await?;

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
    d.submit(launch, p.priya).await?;
    d.approve(launch, p.olivia, Some("Great launch copy."))
        .await?;
    d.publish(
        launch,
        p.priya,
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
    d.submit(opening, p.priya).await?;
    d.approve(opening, p.olivia, None).await?;
    d.publish(
        opening,
        p.priya,
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
    d.submit(ugc, p.priya).await?;
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
    d.approve(ugc, p.amara, Some("Cleared under the UGC licence."))
        .await?;
    d.approve(ugc, p.olivia, None).await?;

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
    d.submit(contest, p.priya).await?;
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
