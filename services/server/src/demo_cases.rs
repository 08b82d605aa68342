//! The demo's cases, through the cases use cases: routing rules and an SLA policy, then
//! cases in every state a case queue shows (routed, waiting on the contact, a reply
//! awaiting approval, an approved reply delivered, a rejected reply, breached, an
//! escalated crisis, resolved, reopened).

use std::collections::BTreeMap;

use chorus_api::{outcome_uuid, ApiResult};
use chorus_cases::commands as cases_uc;
use chorus_cases::domain::case::OutboundStatus;
use chorus_cases::domain::routing::{RoutingRule, RuleActions, RuleConditions};
use chorus_cases::domain::sla::{SlaPolicyDefinition, SlaTargets};
use chorus_cases::domain::values::{CaseCategory, Priority, Visibility};
use chorus_cases::CaseSettings;
use chorus_teams::RoleFunction as F;
use chrono::{TimeDelta, Utc};
use uuid::Uuid;

use crate::cli::CliError;
use crate::demo::Demo;

/// Who works the demo's cases.
pub(crate) struct CaseWorkers {
    /// SENIOR_MANAGEMENT at organization scope: configures, takes in, works escalations.
    pub(crate) olivia: Uuid,
    /// SOCIAL_MEDIA in the Social Media Hub: common questions.
    pub(crate) priya: Uuid,
    /// CUSTOMER_SERVICE in Customer Care: complaints.
    pub(crate) sofia: Uuid,
    /// SALES in Customer Care: pricing questions.
    pub(crate) tom: Uuid,
    /// Customer Care's team, and its channel on X.
    pub(crate) care: Uuid,
    /// The Social Media Hub, whose queue takes common questions.
    pub(crate) social: Uuid,
    pub(crate) care_x: Uuid,
}

fn text<T: TryFrom<String, Error = chorus_shared::ValueError>>(raw: &str) -> Result<T, CliError> {
    T::try_from(raw.to_owned()).map_err(|e| CliError::Refused(format!("demo text: {}", e.rule)))
}

fn rule(
    name: &str,
    terms: &[&str],
    function: F,
    priority: Priority,
    policy: Uuid,
) -> Result<RoutingRule, CliError> {
    Ok(RoutingRule {
        name: text(name)?,
        conditions: RuleConditions {
            terms: terms.iter().map(|t| text(t)).collect::<Result<_, _>>()?,
            ..RuleConditions::default()
        },
        actions: RuleActions {
            category: None,
            function,
            team_id: None,
            priority,
            sla_policy_id: Some(policy),
            handle_privately: false,
            escalate_to: None,
            reply_approver: None,
        },
    })
}

/// The routing rules and SLA policy, then one case per state.
pub(crate) async fn load_cases(d: &Demo<'_>, w: &CaseWorkers) -> Result<(), CliError> {
    let targets = |first, next, resolution| SlaTargets {
        first_response: Some(first),
        next_response: Some(next),
        resolution: Some(resolution),
    };
    let definition = SlaPolicyDefinition::try_new(
        BTreeMap::from([
            (Priority::Normal, targets(60, 120, 24 * 60)),
            (Priority::High, targets(30, 60, 8 * 60)),
            (Priority::Urgent, targets(15, 30, 4 * 60)),
        ]),
        None,
        10,
    )
    .map_err(|e| CliError::Refused(e.rule))?;
    let policy = d
        .admin_creates(async |c| {
            let input = cases_uc::DefineSlaPolicy {
                name: text("Social care standard").map_err(demo_error)?,
                definition,
            };
            cases_uc::define_sla_policy(c, input, None).await
        })
        .await?;
    let mut complaints = rule(
        "Complaints",
        &["refund", "broken", "damaged"],
        F::CustomerService,
        Priority::Normal,
        policy,
    )?;
    complaints.actions.category = Some(CaseCategory::Complaint);
    complaints.actions.team_id = Some(w.care);
    complaints.actions.handle_privately = true;
    complaints.actions.reply_approver = Some(F::SeniorManagement);
    let mut crisis = rule(
        "Crisis",
        &["boycott", "scandal", "recall"],
        F::PublicRelations,
        Priority::Urgent,
        policy,
    )?;
    crisis.actions.category = Some(CaseCategory::Crisis);
    crisis.actions.escalate_to = Some(F::SeniorManagement);
    let mut pricing = rule(
        "Pricing and promotions",
        &["price", "discount", "promo", "coupon"],
        F::Sales,
        Priority::Normal,
        policy,
    )?;
    pricing.actions.category = Some(CaseCategory::PricingQuestion);
    pricing.actions.team_id = Some(w.care);
    let mut rest = rule(
        "Everything else",
        &[],
        F::SocialMedia,
        Priority::Normal,
        policy,
    )?;
    rest.actions.category = Some(CaseCategory::CommonQuestion);
    rest.actions.team_id = Some(w.social);
    let rules = vec![crisis, complaints, pricing, rest];
    d.as_person(w.olivia, async |c| {
        cases_uc::set_routing_rules(c, rules, None).await
    })
    .await?;

    // Routed, waiting in Customer Care's queue for sales.
    message(
        d,
        w,
        "dm-1001",
        "@skier_jo",
        "Is there a discount on the winter jackets?",
        5,
    )
    .await?;
    // Answered, waiting on the contact.
    let hours = message(
        d,
        w,
        "dm-1002",
        "@early_bird",
        "What are your store hours on Sunday?",
        40,
    )
    .await?;
    work(
        d,
        w.priya,
        hours,
        Step::Reply("We open at 10:00 on Sundays."),
    )
    .await?;
    work(d, w.priya, hours, Step::Wait).await?;
    // A complaint whose private reply awaits senior management's approval.
    let broken = message(
        d,
        w,
        "dm-1003",
        "@broken_zip",
        "My jacket arrived broken, I want a refund",
        25,
    )
    .await?;
    work(d, w.sofia, broken, Step::Assign).await?;
    work(
        d,
        w.sofia,
        broken,
        Step::Reply("So sorry! We are sending a replacement today."),
    )
    .await?;
    // A complaint whose reply senior management approved; the integration reports it
    // delivered.
    let late = message(
        d,
        w,
        "dm-1008",
        "@late_lena",
        "My parcel came damaged and two weeks late",
        90,
    )
    .await?;
    work(d, w.sofia, late, Step::Assign).await?;
    work(
        d,
        w.sofia,
        late,
        Step::Reply("We are sorry: your parcel ships today, tracking follows."),
    )
    .await?;
    let approved = pending_reply(d, w.sofia, late).await?;
    work(d, w.olivia, late, Step::Approve(approved)).await?;
    work(d, w.sofia, late, Step::Delivered(approved)).await?;
    // A reply senior management sent back with a note.
    let refund = message(
        d,
        w,
        "dm-1009",
        "@angry_al",
        "Your support is useless, I want a refund now",
        70,
    )
    .await?;
    work(d, w.sofia, refund, Step::Assign).await?;
    work(
        d,
        w.sofia,
        refund,
        Step::Reply("Refunds take 30 days, there is nothing we can do."),
    )
    .await?;
    let rejected = pending_reply(d, w.sofia, refund).await?;
    work(d, w.olivia, refund, Step::Reject(rejected)).await?;
    // Nobody answered in time: the SLA timer records the breach.
    message(
        d,
        w,
        "dm-1004",
        "@waiting_wes",
        "Still waiting to hear about my order status",
        180,
    )
    .await?;
    // A crisis, escalated to senior management, who took it.
    let crisis = message(
        d,
        w,
        "mention-77",
        "@eco_watch",
        "Reports of a product recall: is this a scandal?",
        10,
    )
    .await?;
    work(d, w.olivia, crisis, Step::Assign).await?;
    // Resolved.
    let size = message(
        d,
        w,
        "dm-1005",
        "@tall_tim",
        "Where can I find the size chart?",
        300,
    )
    .await?;
    work(
        d,
        w.priya,
        size,
        Step::Reply("Here it is: northwind.example/sizes"),
    )
    .await?;
    work(d, w.priya, size, Step::Resolve).await?;
    // Resolved, then reopened by the contact's next message.
    let promo = message(
        d,
        w,
        "dm-1006",
        "@coupon_cara",
        "Does the promo code work online?",
        200,
    )
    .await?;
    work(d, w.tom, promo, Step::Assign).await?;
    work(d, w.tom, promo, Step::Reply("Yes, at checkout.")).await?;
    work(d, w.tom, promo, Step::Resolve).await?;
    message(
        d,
        w,
        "dm-1007",
        "@coupon_cara",
        "It says the code expired?",
        1,
    )
    .await?;
    chorus_cases::sla_timer::sweep(&d.runtime())
        .await
        .map_err(|e| CliError::Refused(format!("SLA timer: {e}")))?;
    d.settle().await
}

fn demo_error(e: CliError) -> chorus_api::ApiError {
    chorus_api::ApiError::internal(&e)
}

/// A message on Customer Care's X channel received `minutes_ago`; answers its case.
async fn message(
    d: &Demo<'_>,
    w: &CaseWorkers,
    id: &str,
    handle: &str,
    body: &str,
    minutes_ago: i64,
) -> Result<Uuid, CliError> {
    let input = cases_uc::ChannelMessage {
        channel_id: w.care_x,
        external_message_id: text(id)?,
        author_handle: text(handle)?,
        author: cases_uc::ContactInfo::default(),
        text: text(body)?,
        visibility: Visibility::Private,
        received_at: Utc::now() - TimeDelta::minutes(minutes_ago),
    };
    d.admin_creates(async |c| {
        cases_uc::receive_channel_message(c, input, CaseSettings::default(), None).await
    })
    .await
}

enum Step {
    Assign,
    Reply(&'static str),
    Approve(Uuid),
    Reject(Uuid),
    /// The integration reports the reply on the network.
    Delivered(Uuid),
    Wait,
    Resolve,
}

/// The reply of `case` awaiting approval, as `person` sees the case.
async fn pending_reply(d: &Demo<'_>, person: Uuid, case_id: Uuid) -> Result<Uuid, CliError> {
    let case = d
        .as_person(person, async |c| cases_uc::load_case(c, case_id).await)
        .await?;
    case.pending_replies()
        .keys()
        .next()
        .copied()
        .ok_or_else(|| CliError::Refused("the demo reply does not await approval".into()))
}

async fn work(d: &Demo<'_>, person: Uuid, case_id: Uuid, step: Step) -> Result<(), CliError> {
    let run = async |c: chorus_api::Caller<'_>| -> ApiResult<Uuid> {
        let outcome = match step {
            Step::Assign => {
                let input = cases_uc::AssignCase {
                    case_id,
                    assignee: None,
                };
                cases_uc::assign_case(c, input, None).await?
            }
            Step::Reply(body) => {
                let input = cases_uc::Reply {
                    case_id,
                    text: text(body).map_err(demo_error)?,
                    visibility: Visibility::Private,
                };
                cases_uc::reply_to_case(c, input, None).await?
            }
            Step::Approve(reply_id) => {
                let input = cases_uc::DecideReply {
                    case_id,
                    reply_id,
                    note: None,
                };
                cases_uc::approve_reply(c, input, None).await?
            }
            Step::Reject(reply_id) => {
                let input = cases_uc::DecideReply {
                    case_id,
                    reply_id,
                    note: Some(text("Offer the refund and an apology.").map_err(demo_error)?),
                };
                cases_uc::reject_reply(c, input, None).await?
            }
            Step::Delivered(reply_id) => {
                let input = cases_uc::RecordOutbound {
                    case_id,
                    reply_id,
                    status: OutboundStatus::Sent,
                    network_message_id: Some(text("x-dm-55012").map_err(demo_error)?),
                    detail: None,
                };
                cases_uc::record_outbound(c, input, None).await?
            }
            Step::Wait => cases_uc::wait_on_contact(c, case_id, None).await?,
            Step::Resolve => {
                let code = text("ANSWERED").map_err(demo_error)?;
                cases_uc::resolve_case(c, case_id, code, None).await?
            }
        };
        outcome_uuid(&outcome)
    };
    d.as_person(person, run).await.map(|_| ())
}
