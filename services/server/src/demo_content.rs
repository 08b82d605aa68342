//! `chorus demo`'s content: approval policies, the lexicon, posts in every state and legal
//! reviews, each through the use case its GraphQL mutation runs.

use chorus_api::outcome_uuid;
use chorus_content as content;
use chorus_content::commands as content_uc;
use chorus_teams::{Responsibility as R, RoleFunction as F};
use uuid::Uuid;

use crate::cli::CliError;
use crate::demo::Demo;

/// The demo people who write, sign and review content.
pub(crate) struct People {
    /// Founding admin, SENIOR_MANAGEMENT strategist (signs the brand step).
    pub(crate) olivia: Uuid,
    /// Social media manager and strategist of the Social Media Hub (authors, publishes).
    pub(crate) priya: Uuid,
    /// Agency PR partner of the EMEA virtual team (authors on TikTok).
    pub(crate) jonas: Uuid,
    /// LEGAL, user-generated content counsel.
    pub(crate) amara: Uuid,
    /// LEGAL, privacy and security counsel.
    pub(crate) lena: Uuid,
}

/// The demo channels posts go to.
pub(crate) struct Channels {
    /// @northwind on X (Social Media Hub).
    pub(crate) x: Uuid,
    pub(crate) instagram: Uuid,
    pub(crate) linkedin: Uuid,
    /// @northwind_emea on TikTok (EMEA virtual team).
    pub(crate) tiktok: Uuid,
    /// @northwind_help on X (Customer Care).
    pub(crate) care_x: Uuid,
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
        let input = content_uc::DefinePolicy {
            scope,
            steps,
            delegation,
        };
        self.admin_creates(async |c| content_uc::define_policy(c, input, None).await)
            .await
    }

    async fn lexicon_term(
        &self,
        by: Uuid,
        flag: content::ContentFlag,
        term: &str,
    ) -> Result<(), CliError> {
        let input = content_uc::LexiconTermChange {
            flag,
            term: content::LexiconTerm::try_from(term)?,
        };
        self.as_person(by, async |c| {
            content_uc::add_lexicon_term(c, input, None).await
        })
        .await?;
        Ok(())
    }

    /// Drafts a post through the `draftPost` use case.
    async fn draft(&self, draft: Draft<'_>) -> Result<Uuid, CliError> {
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
        let outcome = self
            .as_person(draft.author, async |c| {
                content_uc::draft_post(c, input, None).await
            })
            .await?;
        Ok(outcome_uuid(&outcome)?)
    }

    /// Submits a post under the policies in force now.
    async fn submit(&self, post_id: Uuid, author: Uuid) -> Result<(), CliError> {
        let input = content_uc::SubmitPost { post_id };
        self.as_person(author, async |c| {
            content_uc::submit_post(c, input, None).await
        })
        .await?;
        Ok(())
    }

    /// Signs the first open step `signer` is entitled to.
    async fn approve(
        &self,
        post_id: Uuid,
        signer: Uuid,
        comment: Option<&str>,
    ) -> Result<(), CliError> {
        let input = content_uc::ApprovePost {
            post_id,
            step: None,
            comment: comment.map(content::Comment::try_from).transpose()?,
        };
        self.as_person(signer, async |c| {
            content_uc::approve_post(c, input, None).await
        })
        .await?;
        Ok(())
    }

    async fn reject(&self, post_id: Uuid, signer: Uuid, comment: &str) -> Result<(), CliError> {
        let input = content_uc::RejectPost {
            post_id,
            comment: content::Comment::try_from(comment)?,
        };
        self.as_person(signer, async |c| {
            content_uc::reject_post(c, input, None).await
        })
        .await?;
        Ok(())
    }

    /// Records a publication (delegated authority is decided by the domain against the
    /// policies in force now).
    async fn publish(
        &self,
        post_id: Uuid,
        publisher: Uuid,
        network_post_id: &str,
        url: &str,
    ) -> Result<(), CliError> {
        let input = content_uc::MarkPublished {
            post_id,
            network_post_id: content::NetworkPostId::try_from(network_post_id)?,
            url: content::PublishedUrl::try_from(url)?,
        };
        self.as_person(publisher, async |c| {
            content_uc::mark_published(c, input, None).await
        })
        .await?;
        Ok(())
    }

    async fn retract(&self, post_id: Uuid, by: Uuid, reason: &str) -> Result<(), CliError> {
        let input = content_uc::RetractPost {
            post_id,
            reason: content::Comment::try_from(reason)?,
        };
        self.as_person(by, async |c| content_uc::retract_post(c, input, None).await)
            .await?;
        Ok(())
    }

    /// Logs a legal review of a post, which the use case applies to the post.
    async fn legal_review(
        &self,
        reviewer: Uuid,
        post: Uuid,
        review: Review<'_>,
    ) -> Result<Uuid, CliError> {
        let input = content_uc::LogLegalReview {
            subject_kind: content::ReviewSubjectKind::Post,
            subject_id: Some(post),
            subject_reference: None,
            kind: review.kind,
            outcome: review.outcome,
            conditions: review
                .conditions
                .map(|c| content::ReviewText::parse_field("conditions", c))
                .transpose()?,
            notes: Some(content::ReviewText::parse_field("notes", review.notes)?),
            references: review.references.iter().map(|r| (*r).to_owned()).collect(),
        };
        let logged = self
            .as_person(reviewer, async |c| {
                content_uc::log_legal_review(c, input, None).await
            })
            .await?;
        Ok(logged.review_id)
    }
}

/// What a demo legal review finds.
struct Review<'a> {
    kind: content::ReviewKind,
    outcome: content::ReviewOutcome,
    conditions: Option<&'a str>,
    notes: &'a str,
    references: &'a [&'a str],
}

/// Policies, the lexicon, posts in every state and legal reviews, on top of the teams
/// data. Times are relative to now; scheduled times lie in the future.
pub(crate) async fn load_content(d: &Demo<'_>, p: &People, c: &Channels) -> Result<(), CliError> {
    use chorus_teams::ScopeKind;
    use content::ContentFlag as Flag;
    use content::{ReviewKind as Kind, ReviewOutcome as Outcome};

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
        Review {
            kind: Kind::UgcRights,
            outcome: Outcome::ClearedWithConditions,
            conditions: Some(
                "Credit @alpine_sam in the caption; licence limited to 12 months on owned channels.",
            ),
            notes: "Written permission received by direct message on the creator's account.",
            references: &["https://instagram.com/p/alpine-sam-summit"],
        },
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
        Review {
            kind: Kind::Privacy,
            outcome: Outcome::Blocked,
            conditions: None,
            notes: "The entry form collects email addresses without a privacy notice or official rules.",
            references: &["https://legal.northwind.example/contests/official-rules-template"],
        },
    )
    .await?;
    Ok(())
}
