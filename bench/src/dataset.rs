//! The history the scenarios read: an organization with teams, channels, people, role
//! churn over two years, reporting lines, posts approved under an eight-signature
//! policy, and cases from contacts in the teams' queues ([`cases`]). Every event comes out of the domain aggregates' own command handlers (so it is
//! one the command path could have produced) and is bulk-loaded into the events table
//! ([`loader`]). The read models are then built by `chorus projections rebuild`, which is
//! itself a scenario.
//!
//! This is the one writer that does not go through the contexts' use cases, on purpose:
//! the history lies in the past (each event at its own instant over two years) and a
//! million approvals must load in minutes, which neither the use cases (they stamp now
//! and append one command per transaction) nor the API could do.

mod cases;
pub mod growth;
mod loader;
mod recorder;

use std::collections::HashMap;

use chorus_content::{
    ApprovalPolicy, ApprovalPolicyCommand, HeldRole, PolicyDefinition, PolicyScope, PolicySnapshot,
    PolicyStep, Post, PostCommand, PostText, SignerRule, StepConditions, StepName,
};
use chorus_teams::{
    Channel, ChannelCommand, Handle, Organization, OrganizationCommand, OrganizationName, Person,
    PersonCommand, Reason, ReportingLines, RoleFunction, RoleScope, ScopeKind, SocialNetwork, Team,
    TeamCommand, TeamName,
};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

pub use cases::Cases;
pub use loader::Loader;
use recorder::{value, Recorder, Tracked};

use crate::BenchError;

/// How much history to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Approvals stored (the auditor scenario's table size).
    pub approvals: usize,
    /// People who sign posts.
    pub approvers: usize,
    /// Signatures each post needs (one policy step).
    pub signatures_per_post: u8,
    /// Teams, each with one channel and one author.
    pub teams: usize,
    /// Members of the team the read scenario fetches (each with two roles there).
    pub read_team_members: usize,
    /// Membership changes in that team over the history (for time travel).
    pub read_team_churn: usize,
    /// People the write scenario assigns roles to.
    pub write_pool: usize,
    /// Length of the history.
    pub history_days: i64,
    /// Cases stored (the case queue and SLA timer scenarios' table size).
    pub cases: usize,
}

impl Plan {
    pub fn full() -> Self {
        Self {
            approvals: 1_000_000,
            approvers: 1_000,
            signatures_per_post: 8,
            teams: 40,
            read_team_members: 50,
            read_team_churn: 1_000,
            write_pool: 2_048,
            history_days: 730,
            cases: 1_000_000,
        }
    }

    pub fn quick() -> Self {
        Self {
            approvals: 4_000,
            approvers: 40,
            signatures_per_post: 8,
            teams: 8,
            read_team_members: 50,
            read_team_churn: 40,
            write_pool: 256,
            history_days: 730,
            cases: 5_000,
        }
    }
}

/// What was generated: the ids and instants the scenarios need.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub organization_id: Uuid,
    pub admin_id: Uuid,
    pub read_team_id: Uuid,
    pub teams: Vec<Uuid>,
    pub approvers: Vec<Uuid>,
    pub write_pool: Vec<Uuid>,
    pub history_from: DateTime<Utc>,
    pub history_to: DateTime<Utc>,
    pub events: u64,
    pub approvals: u64,
    /// The team whose queue takes the most cases.
    pub case_team_id: Uuid,
    pub cases: Cases,
}

/// A person with the assignment they act under.
#[derive(Clone)]
struct Held {
    person: Uuid,
    role: HeldRole,
}

/// The history's clock: every command a little after the one before.
struct Clock(DateTime<Utc>);

impl Clock {
    fn tick(&mut self) -> DateTime<Utc> {
        self.0 += Duration::milliseconds(10);
        self.0
    }
}

/// Generates the history and loads it through `loader`.
pub async fn load(plan: Plan, loader: Loader) -> Result<Dataset, BenchError> {
    let organization_id = Uuid::now_v7();
    let admin_id = Uuid::now_v7();
    let history_to = Utc::now() - Duration::hours(1);
    let history_from = history_to - Duration::days(plan.history_days);
    let mut rec = Recorder::new(organization_id, loader);
    let mut clock = Clock(history_from);

    let mut org = Tracked::<Organization>::new(organization_id);
    let command = OrganizationCommand::CreateOrganization {
        organization_id,
        name: value::<OrganizationName, _>("Bench Corp")?,
        founding_admin_id: admin_id,
    };
    rec.run(&mut org, command, admin_id, clock.tick()).await?;
    let mut people: HashMap<Uuid, Tracked<Person>> = HashMap::new();
    let admin = rec.add_person(admin_id, clock.tick(), admin_id).await?;
    people.insert(admin_id, admin);

    let (teams, channels) = teams_and_channels(&mut rec, &mut clock, &plan, admin_id).await?;
    let read_team_id = teams[0];

    // Approvers sign at organization scope; one author per team drafts for its channel.
    let mut approvers = Vec::with_capacity(plan.approvers);
    let organization = RoleScope::organization(organization_id);
    for _ in 0..plan.approvers {
        let role = (RoleFunction::Marketing, organization);
        approvers.push(role_holder(&mut rec, &mut clock, &mut people, role, admin_id).await?);
    }
    let mut authors = Vec::with_capacity(plan.teams);
    for team in &teams {
        let role = (RoleFunction::SocialMedia, RoleScope::team(*team));
        authors.push(role_holder(&mut rec, &mut clock, &mut people, role, admin_id).await?);
    }

    let span = history_to - history_from;
    read_team_history(
        &mut rec,
        &mut clock,
        &mut people,
        &plan,
        read_team_id,
        (history_from, span),
        admin_id,
    )
    .await?;

    // People the write scenario assigns roles to.
    let mut write_pool = Vec::with_capacity(plan.write_pool);
    for _ in 0..plan.write_pool {
        let id = Uuid::now_v7();
        rec.add_person(admin_id, clock.tick(), id).await?;
        write_pool.push(id);
    }
    drop(people);

    let policy = policy(&mut rec, &mut clock, &plan, admin_id).await?;
    let mut approvals = 0u64;
    let signatures = usize::from(plan.signatures_per_post);
    let posts = plan.approvals.div_ceil(signatures);
    for i in 0..posts {
        let start = history_from + span * (i as i32) / (posts as i32 + 1) + Duration::hours(1);
        let author = &authors[i % authors.len()];
        let signers: Vec<&Held> = (0..signatures)
            .map(|s| &approvers[(i * signatures + s) % approvers.len()])
            .collect();
        let channel = channels[i % channels.len()];
        approvals +=
            approved_post(&mut rec, i, (author, channel), &policy, &signers, start).await?;
    }
    let cases = cases::load(
        &mut rec,
        &mut clock,
        plan.cases,
        (&teams, &channels),
        history_to,
        admin_id,
    )
    .await?;
    let events = rec.finish().await?;
    Ok(Dataset {
        organization_id,
        admin_id,
        read_team_id,
        teams,
        approvers: approvers.iter().map(|a| a.person).collect(),
        write_pool,
        history_from,
        history_to,
        events,
        approvals,
        case_team_id: read_team_id,
        cases,
    })
}

/// Teams, each with one X channel: the first eight are divisions, the rest sit under them.
async fn teams_and_channels(
    rec: &mut Recorder,
    clock: &mut Clock,
    plan: &Plan,
    admin_id: Uuid,
) -> Result<(Vec<Uuid>, Vec<Uuid>), BenchError> {
    let organization_id = rec.organization_id();
    let mut teams = Vec::with_capacity(plan.teams);
    let mut channels = Vec::with_capacity(plan.teams);
    for i in 0..plan.teams {
        let id = Uuid::now_v7();
        let mut team = Tracked::<Team>::new(id);
        let command = TeamCommand::CreateTeam {
            team_id: id,
            organization_id,
            name: value::<TeamName, _>(format!("Team {i}").as_str())?,
            parent_id: (i >= 8).then(|| teams[i % 8]),
        };
        rec.run(&mut team, command, admin_id, clock.tick()).await?;
        teams.push(id);
        let channel_id = Uuid::now_v7();
        let mut channel = Tracked::<Channel>::new(channel_id);
        let command = ChannelCommand::RegisterChannel {
            channel_id,
            organization_id,
            team_id: id,
            network: SocialNetwork::X,
            handle: value::<Handle, _>(format!("benchteam{i}").as_str())?,
        };
        rec.run(&mut channel, command, admin_id, clock.tick())
            .await?;
        channels.push(channel_id);
    }
    Ok((teams, channels))
}

/// A new person holding one role.
async fn role_holder(
    rec: &mut Recorder,
    clock: &mut Clock,
    people: &mut HashMap<Uuid, Tracked<Person>>,
    role: (RoleFunction, RoleScope),
    admin_id: Uuid,
) -> Result<Held, BenchError> {
    let id = Uuid::now_v7();
    let mut person = rec.add_person(admin_id, clock.tick(), id).await?;
    let role = rec
        .assign(
            &mut person,
            role,
            "benchmark history",
            clock.tick(),
            admin_id,
        )
        .await?;
    people.insert(id, person);
    Ok(Held { person: id, role })
}

/// The read team: five leads, then members who come and go over the history; each
/// member holds two roles there and reports to a lead.
async fn read_team_history(
    rec: &mut Recorder,
    clock: &mut Clock,
    people: &mut HashMap<Uuid, Tracked<Person>>,
    plan: &Plan,
    read_team_id: Uuid,
    (history_from, span): (DateTime<Utc>, Duration),
    admin_id: Uuid,
) -> Result<(), BenchError> {
    let mut reporting = Tracked::<ReportingLines>::new(rec.organization_id());
    let pool_size = plan.read_team_members * 3;
    let mut pool = Vec::with_capacity(pool_size);
    for _ in 0..pool_size {
        let id = Uuid::now_v7();
        let person = rec.add_person(admin_id, clock.tick(), id).await?;
        people.insert(id, person);
        pool.push(id);
    }
    let leads = 5.min(plan.read_team_members);
    let mut active: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for (index, person_id) in pool.iter().take(plan.read_team_members).enumerate() {
        let person_id = *person_id;
        let at = clock.tick();
        let roles = join_team(rec, people, person_id, read_team_id, at, admin_id).await?;
        if index >= leads {
            let line = (person_id, pool[index % leads]);
            rec.set_manager(&mut reporting, line, at, admin_id).await?;
        }
        active.push((person_id, roles));
    }
    let mut next_joiner = plan.read_team_members;
    for churn in 0..plan.read_team_churn {
        let at = history_from + span * (churn as i32 + 1) / (plan.read_team_churn as i32 + 2);
        // A non-lead member leaves; someone from the pool who is not a member joins.
        let leaving = leads + churn % (plan.read_team_members - leads).max(1);
        let (left, roles) = active.remove(leaving);
        let person = people
            .get_mut(&left)
            .ok_or_else(|| BenchError::Dataset("unknown person".into()))?;
        for assignment_id in roles {
            let command = PersonCommand::RevokeRole {
                assignment_id,
                reason: value::<Reason, _>("moved on")?,
                revoked_by: admin_id,
                at,
            };
            rec.run(person, command, admin_id, at).await?;
        }
        let joiner = loop {
            let candidate = pool[next_joiner % pool.len()];
            next_joiner += 1;
            if candidate != left && !active.iter().any(|(p, _)| *p == candidate) {
                break candidate;
            }
        };
        let roles = join_team(rec, people, joiner, read_team_id, at, admin_id).await?;
        // A returning member may already report to this lead: the domain refuses a
        // change that changes nothing, so only a new line is set.
        let lead = pool[churn % leads];
        if reporting.aggregate.manager_of(joiner) != Some(lead) {
            rec.set_manager(&mut reporting, (joiner, lead), at, admin_id)
                .await?;
        }
        active.insert(leaving, (joiner, roles));
    }
    Ok(())
}

/// The two roles a read-team member holds there; returns their assignment ids.
async fn join_team(
    rec: &mut Recorder,
    people: &mut HashMap<Uuid, Tracked<Person>>,
    person_id: Uuid,
    team: Uuid,
    at: DateTime<Utc>,
    admin_id: Uuid,
) -> Result<Vec<Uuid>, BenchError> {
    let person = people
        .get_mut(&person_id)
        .ok_or_else(|| BenchError::Dataset("unknown person".into()))?;
    let mut roles = Vec::new();
    for function in [RoleFunction::SocialMedia, RoleFunction::Analytics] {
        let role = (function, RoleScope::team(team));
        let held = rec
            .assign(person, role, "joined the team", at, admin_id)
            .await?;
        roles.push(held.assignment_id);
    }
    Ok(roles)
}

/// One organization-wide policy: a single step signed by eight marketing people.
async fn policy(
    rec: &mut Recorder,
    clock: &mut Clock,
    plan: &Plan,
    admin_id: Uuid,
) -> Result<PolicySnapshot, BenchError> {
    let organization_id = rec.organization_id();
    let policy_id = Uuid::now_v7();
    let scope = PolicyScope {
        kind: ScopeKind::Organization,
        id: organization_id,
    };
    let step = PolicyStep {
        name: value::<StepName, _>("review")?,
        conditions: StepConditions::default(),
        signers: vec![SignerRule {
            function: RoleFunction::Marketing,
            responsibility: None,
        }],
        required_signatures: plan.signatures_per_post,
    };
    let definition =
        PolicyDefinition::new(vec![step], None).map_err(|e| BenchError::Dataset(e.to_string()))?;
    let mut policy = Tracked::<ApprovalPolicy>::new(policy_id);
    let command = ApprovalPolicyCommand::DefinePolicy {
        policy_id,
        organization_id,
        scope,
        definition: definition.clone(),
        by: admin_id,
    };
    rec.run(&mut policy, command, admin_id, clock.tick())
        .await?;
    Ok(PolicySnapshot {
        policy_id,
        version: 1,
        scope,
        definition,
    })
}

/// Post `i`, from `start`: drafted, submitted, then signed by each of `signers` (the
/// last signature approves). Returns the signatures stored.
async fn approved_post(
    rec: &mut Recorder,
    i: usize,
    (author, channel): (&Held, Uuid),
    policy: &PolicySnapshot,
    signers: &[&Held],
    start: DateTime<Utc>,
) -> Result<u64, BenchError> {
    let post_id = Uuid::now_v7();
    let mut post = Tracked::<Post>::new(post_id);
    let text = format!("Benchmark post {i}: our spring collection is live, come and see.");
    let command = PostCommand::DraftPost {
        post_id,
        organization_id: rec.organization_id(),
        author_id: author.person,
        author_roles: vec![author.role],
        channel_ids: vec![channel],
        text: value::<PostText, _>(text.as_str())?,
        media: Vec::new(),
        campaign: None,
        scheduled_at: None,
        author_flags: Vec::new(),
        lexicon_matches: Vec::new(),
        now: start,
    };
    rec.run(&mut post, command, author.person, start).await?;
    let at = start + Duration::minutes(1);
    let command = PostCommand::SubmitPost {
        policies: vec![policy.clone()],
        by: author.person,
        now: at,
    };
    rec.run(&mut post, command, author.person, at).await?;
    for (s, signer) in signers.iter().enumerate() {
        let at = start + Duration::minutes(2 + s as i64);
        let command = PostCommand::ApprovePost {
            signer_id: signer.person,
            signer_roles: vec![signer.role],
            step: None,
            comment: None,
            now: at,
        };
        rec.run(&mut post, command, signer.person, at).await?;
    }
    Ok(signers.len() as u64)
}
